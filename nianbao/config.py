"""nianbao.toml: read once at the edge, with defaults, and passed in (never a global)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nianbao.errors import ConfigError

DEFAULT_CONFIG_NAME = "nianbao.toml"
DEFAULT_DATA_DIR = "nianbao-data"


@dataclass
class Config:
    """The whole configuration file; each package reads its own section with section()."""

    path: Path | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{self.path}: [{name}] must be a table")
        return value

    @property
    def data_dir(self) -> Path:
        return Path(self.section("paths").get("data_dir", DEFAULT_DATA_DIR))

    @property
    def db_path(self) -> Path:
        configured = self.section("paths").get("db")
        return Path(configured) if configured else self.data_dir / "nianbao.db"


def load_config(path: str | Path | None) -> Config:
    """Load nianbao.toml from the given path, else ./nianbao.toml if present, else defaults."""
    if path is None:
        candidate = Path(DEFAULT_CONFIG_NAME)
        if not candidate.exists():
            return Config()
        path = candidate
    path = Path(path)
    try:
        with path.open("rb") as handle:
            return Config(path, tomllib.load(handle))
    except FileNotFoundError as error:
        raise ConfigError(f"{path}: configuration file not found") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
