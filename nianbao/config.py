"""nianbao.toml: read once at the edge, checked key by key, and passed in (never a global).

A base module, like nianbao.errors and nianbao.config_values: every package may import it, and it imports
nothing else of the project. Each package declares the keys of its own section (e.g. crawler.settings.CRAWL_KEYS);
the CLI hands them all to load_config, which refuses an unknown key or a wrong value naming file and line.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from nianbao.config_values import HIDDEN, UNSET, Invalid, Keys, check_table, nearest, text
from nianbao.errors import ConfigError

DEFAULT_CONFIG_NAME = "nianbao.toml"
DEFAULT_DATA_DIR = "nianbao-data"
DB_NAME = "nianbao.db"
PATHS_KEYS: Keys = {"data_dir": text, "db": text}

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = r"(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
_ASSIGNMENT = re.compile(rf"^\s*({_KEY}(?:\s*\.\s*{_KEY})*)\s*=")
_STRINGS = re.compile(r"\"(?:\\.|[^\"\\])*\"|'[^']*'")


class StorePaths(NamedTuple):
    """Where a command's store is: the SQLite file, and the folder that holds documents/ and crawl-job/."""

    db: Path
    data_dir: Path


@dataclass
class Config:
    """The whole configuration file; each package reads its own section with section()."""

    path: Path | None = None
    data: dict[str, Any] = field(default_factory=dict)
    text: str = ""  # the file as written, to find the line of a key (tomllib gives no positions)

    def section(self, name: str) -> dict[str, Any]:
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{self.where(name)}: [{name}] 应为表")
        return value

    @property
    def db_path(self) -> Path:
        """[paths] db, else nianbao.db in [paths] data_dir, else nianbao-data/nianbao.db."""
        paths = self.section("paths")
        if paths.get("db"):
            return Path(paths["db"])
        return Path(paths.get("data_dir") or DEFAULT_DATA_DIR) / DB_NAME

    def store_paths(self, db: Path | None = None) -> StorePaths:
        """The one rule every command follows: the database is `db` (--db), else db_path; the documents live
        in [paths] data_dir when it is set, else in the database's own folder."""
        db = db or self.db_path
        data_dir = self.section("paths").get("data_dir")
        return StorePaths(db, Path(data_dir) if data_dir else db.parent)

    def where(self, *keys: str | int) -> str:
        """file:line of a key (section, key, index in an array of tables…), or the file alone."""
        name = str(self.path or DEFAULT_CONFIG_NAME)
        line = self.line_of(*keys)
        return f"{name}:{line}" if line else name

    def line_of(self, *keys: str | int) -> int | None:
        """The line that sets the key, else the line of the closest table or key holding it."""
        best, best_length = None, 0
        for path, line in self._key_lines:
            length = len(path)
            if length > best_length and tuple(keys[:length]) == path:
                best, best_length = line, length
        if best is None:  # a key inside a table nothing else names, e.g. [crawls.extra] for "crawls"
            best = next((line for path, line in self._key_lines if path[:len(keys)] == tuple(keys)), None)
        return best

    @cached_property
    def _key_lines(self) -> list[tuple[tuple[str | int, ...], int]]:
        """(key path, line) of every table header and assignment, arrays of tables numbered from 0."""
        found: list[tuple[tuple[str | int, ...], int]] = []
        table: tuple[str | int, ...] = ()
        counts: dict[tuple[str, ...], int] = {}
        depth, in_string = 0, ""
        for number, line in enumerate(self.text.splitlines(), start=1):
            if in_string:  # inside a multi-line string
                if in_string in line:
                    in_string = ""
                continue
            header = _HEADER.match(line) if depth == 0 else None
            if header:
                names = tuple(_key_parts(header.group(2)))
                if header.group(1) == "[[":
                    counts[names] = counts.get(names, -1) + 1
                    table = (*names, counts[names])
                else:
                    table = _numbered(names, counts)
                found.append((table, number))
                continue
            assignment = _ASSIGNMENT.match(line) if depth == 0 else None
            if assignment:
                found.append(((*table, *_key_parts(assignment.group(1))), number))
            rest = line[assignment.end():] if assignment else line
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2:
                    in_string = quote
            bare = _STRINGS.sub('""', rest).split("#")[0]
            depth = max(0, depth + bare.count("[") + bare.count("{") - bare.count("]") - bare.count("}"))
        return found


def _key_parts(dotted: str) -> list[str]:
    return [part.strip().strip("\"'") for part in re.split(r"\.(?=(?:[^\"']*[\"'][^\"']*[\"'])*[^\"']*$)", dotted)]


def _numbered(names: tuple[str, ...], counts: dict[tuple[str, ...], int]) -> tuple[str | int, ...]:
    """[alerts.recipients.extra] after [[alerts.recipients]]: a sub-table of the latest array entry."""
    for length in range(len(names) - 1, 0, -1):
        if names[:length] in counts:
            return (*names[:length], counts[names[:length]], *names[length:])
    return names


def load_config(path: str | Path | None, sections: Mapping[str, Keys] | None = None) -> Config:
    """Load nianbao.toml from the given path, else ./nianbao.toml if present, else defaults.

    With `sections` (section name → its keys), every section and key must be known and every value
    accepted, or ConfigError names the file, the line and the key."""
    if path is None:
        candidate = Path(DEFAULT_CONFIG_NAME)
        if not candidate.exists():
            return Config()
        path = candidate
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as error:
        raise ConfigError(f"{path}: 配置文件不存在") from error
    except IsADirectoryError as error:
        raise ConfigError(f"{path}: 是文件夹，不是配置文件") from error
    except OSError as error:
        raise ConfigError(f"{path}: 无法读取配置文件（{error.strerror}）") from error
    try:
        text = raw.decode("utf-8-sig")
        config = Config(path, tomllib.loads(text), text)
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: 配置文件应为 UTF-8 文本") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {_toml_problem(error)}") from error
    if sections is not None:
        check_config(config, sections)
    return config


def _toml_problem(error: tomllib.TOMLDecodeError) -> str:
    """tomllib's error (English, with its position) as where the file is wrong."""
    place = re.search(r"line (\d+), column (\d+)", str(error))
    where = f"第 {place[1]} 行第 {place[2]} 列附近" if place else ""
    return f"不是有效的 TOML 格式：{where}有语法错误（如缺少引号、等号或括号）"


def check_config(config: Config, sections: Mapping[str, Keys]) -> None:
    """ConfigError at the first unknown section or key, or value its key does not accept."""
    folder = config.path.parent if config.path is not None else Path()
    for name, value in config.data.items():
        if name not in sections:
            raise ConfigError(f"{config.where(name)}: {_unknown_section(name, value, sections)}")
        if not isinstance(value, dict):
            raise ConfigError(f"{config.where(name)}: 配置项 {name} 应为表，写作 [{name}]")
        try:
            check_table(value, sections[name], folder)
        except Invalid as error:
            raise ConfigError(f"{config.where(name, *error.keys)}: {_message(name, error)}") from None


def _unknown_section(name: str, value: Any, sections: Mapping[str, Keys]) -> str:
    if not isinstance(value, dict):  # a key above every [section]
        homes = [section for section, keys in sections.items() if name in keys]
        if homes:
            return f"配置项 {name} 应写在 [{homes[0]}] 之下"
        return f"未知配置项 {name}（配置项都写在 [{'] ['.join(sections)}] 之下）"
    available = "（可用的有：" + ", ".join(sections) + "）"
    return f"未知配置节 [{name}]{nearest(name, sections, '[{}]') or available}"


def _message(section: str, error: Invalid) -> str:
    dotted = section + "".join(f"[{key + 1}]" if isinstance(key, int) else f".{key}" for key in error.keys)
    if error.unknown:
        return f"未知配置项 {dotted}{error.problem}"
    if error.value is HIDDEN or error.value is UNSET:
        return f"配置项 {dotted} {error.problem}"
    return f"配置项 {dotted} = {_shown(error.value)}：{error.problem}"


def _shown(value: Any) -> str:
    """A value as it would be written in TOML, shortened."""
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif isinstance(value, str | list | dict):
        shown = json.dumps(value, ensure_ascii=False, default=str)
    else:
        shown = str(value)
    return shown if len(shown) <= 60 else shown[:57] + "…"
