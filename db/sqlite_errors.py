"""SQLite's error messages (English, from the library) in words people read."""

from __future__ import annotations

import sqlite3

_WORDS = (
    ("database or disk is full", "磁盘已满"),
    ("file is not a database", "不是 SQLite 数据库文件"),
    ("database is locked", "数据库正被另一个进程写入"),
    ("unable to open database file", "无法打开数据库文件（文件夹不存在或没有权限）"),
    ("readonly database", "数据库为只读，不能写入"),
    ("disk I/O error", "磁盘读写出错"),
    ("malformed", "数据库文件已损坏"),
    ("no such table", "数据库缺少应有的表（不是 nianbao 的数据库，或已损坏）"),
)


def sqlite_words(error: sqlite3.Error | BaseException) -> str:
    """The error in Chinese when it is one SQLite commonly gives, else SQLite's own words."""
    text = str(error)
    return next((words for english, words in _WORDS if english in text), f"SQLite：{text}")
