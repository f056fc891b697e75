"""One crawl per store at a time, and no temporary folder left behind by a crawl that was killed."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from db.processes import pid_alive
from nianbao.errors import DatabaseError

TEMP_PREFIX = "nianbao-crawl-"


@contextlib.contextmanager
def crawl_lock(db_path: Path) -> Iterator[None]:
    """Hold `<db>.crawl.lock` for the crawl; another crawl of the same store is refused, naming the holder.

    flock locks die with their process, so the lock of a killed crawl is free again at once (nothing stale)."""
    lock_path = db_path.with_name(db_path.name + ".crawl.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a+", encoding="ascii") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise DatabaseError(f"{db_path}：另一个 nianbao 爬取进程（pid {holder}）正在写入这个数据库；请等它结束，"
                                "或用 --redis 让多个爬取进程共用") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()


def crawl_temp_dir() -> Path:
    """A fresh temporary folder named after this process; folders of crawls whose process is gone are removed."""
    base = Path(tempfile.gettempdir())
    for stale in base.glob(TEMP_PREFIX + "*"):
        pid = stale.name.removeprefix(TEMP_PREFIX).partition("-")[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))
