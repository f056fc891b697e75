"""Parse worker processes that one bad document cannot take down with it.

Each worker is a process behind its own pipe, driven by one thread of the parent. A document that kills
its worker (a native crash, the kernel's OOM killer, kill -9) or that runs over the time or memory limit
costs that document only: the worker is replaced, a document whose worker died is tried once more alone
in a fresh worker, and the outcome is a ParseError saying what happened. Everything else goes on.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from parsers.errors import ParseAborted

logger = logging.getLogger(__name__)

WORKER_DIED = "解析进程异常退出"
TIMED_OUT = "解析超时"
OVER_MEMORY = "解析占用内存超过上限"

_POLL_SECONDS = 0.05
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Pool initializer: on Linux, have the kernel SIGKILL this worker when the process that started it dies.
    Otherwise a kill -9 of a crawl or an ingest left its workers waiting forever on their task queue."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


@dataclass(frozen=True)
class WorkerLimits:
    """Per-document limits enforced from outside the worker (they hold whatever the document does)."""

    seconds: float = 120.0
    memory_bytes: int = 2 * 1024 * 1024 * 1024


def _resident_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def _serve(connection: Connection, function: Callable[..., Any], parent: int) -> None:
    """The worker's loop: one job in, one outcome out, until the pipe closes or a None job arrives."""
    die_with_parent(parent)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            outcome = function(*job)
        except MemoryError:
            outcome = ParseAborted(str(job[0]), OVER_MEMORY)
        connection.send(outcome)


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: Any, function: Callable[..., Any]) -> None:
        self.connection, child = context.Pipe()
        self.process: BaseProcess = context.Process(target=_serve, args=(child, function, os.getpid()), daemon=True)
        self.process.start()
        child.close()

    def run(self, job: tuple[Any, ...], limits: WorkerLimits) -> tuple[str, Any]:
        """("ok", outcome), ("died", exit code), ("timeout", None) or ("memory", resident bytes)."""
        self.connection.send(job)
        deadline = time.monotonic() + limits.seconds
        while True:
            try:
                if self.connection.poll(_POLL_SECONDS):
                    return "ok", self.connection.recv()
            except (EOFError, OSError):
                self.process.join(timeout=5)
                return "died", self.process.exitcode
            if not self.process.is_alive():
                self.process.join(timeout=5)
                return "died", self.process.exitcode
            resident = _resident_bytes(self.process.pid or 0)
            if resident > limits.memory_bytes:
                return "memory", resident
            if time.monotonic() > deadline:
                return "timeout", None

    def stop(self, *, kill: bool = False) -> None:
        if kill and self.process.is_alive():
            self.process.kill()
        elif self.process.is_alive():
            try:
                self.connection.send(None)
            except OSError:
                self.process.kill()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def _describe_death(exit_code: int | None) -> str:
    if exit_code is not None and exit_code < 0:
        return f"{WORKER_DIED}（信号 {-exit_code}）"
    return f"{WORKER_DIED}（退出码 {exit_code}）"


class WorkerPool:
    """`submit(source, *args)` → Future of function(source, *args) run in a worker process.

    `function` must be a module-level function; its first argument names the document (file or URL),
    so that a failure can say which. Outcomes that are ParseErrors are returned, not raised."""

    def __init__(self, function: Callable[..., Any], workers: int, limits: WorkerLimits | None = None,
                 *, start_method: str = "spawn") -> None:
        self.function = function
        self.limits = limits or WorkerLimits()
        self.context = multiprocessing.get_context(start_method)
        self.jobs: queue.SimpleQueue[tuple[tuple[Any, ...], Future[Any]] | None] = queue.SimpleQueue()
        self.deaths = 0  # workers replaced so far (died, timed out or over memory)
        self._lock = threading.Lock()
        self._workers: dict[int, _Worker] = {}
        self._threads = [threading.Thread(target=self._slot, args=(index,), name=f"nianbao-parse-{index}",
                                          daemon=True) for index in range(max(1, workers))]
        for thread in self._threads:
            thread.start()

    def submit(self, *job: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.jobs.put((job, future))
        return future

    def pids(self) -> list[int]:
        """The worker processes alive now (for tests and monitoring)."""
        with self._lock:
            return [w.process.pid for w in self._workers.values() if w.process.pid and w.process.is_alive()]

    def map(self, jobs: Iterable[tuple[Any, ...]]) -> Iterator[Any]:
        """Outcomes in the order of the jobs (all submitted at once; workers take them as they free up)."""
        futures = [self.submit(*job) for job in jobs]
        for future in futures:
            yield future.result()

    def close(self) -> None:
        """Stop the workers once the jobs already submitted are done."""
        for _ in self._threads:
            self.jobs.put(None)
        for thread in self._threads:
            thread.join()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _slot(self, index: int) -> None:
        worker: _Worker | None = None
        try:
            while (item := self.jobs.get()) is not None:
                job, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                outcome, worker = self._run(index, job, worker)
                future.set_result(outcome)
        finally:
            if worker is not None:
                worker.stop()

    def _start(self, index: int) -> _Worker:
        worker = _Worker(self.context, self.function)
        with self._lock:
            self._workers[index] = worker
        return worker

    def _run(self, index: int, job: tuple[Any, ...], worker: _Worker | None) -> tuple[Any, _Worker | None]:
        source = str(job[0])
        for attempt in (1, 2):
            worker = worker or self._start(index)
            try:
                state, detail = worker.run(job, self.limits)
            except Exception as error:  # noqa: BLE001 - e.g. an unpicklable job or outcome: this document only
                worker.stop(kill=True)
                self.deaths += 1
                return ParseAborted(source, f"{WORKER_DIED}: {type(error).__name__}: {error}"), None
            if state == "ok":
                return detail, worker
            worker.stop(kill=True)
            worker = None
            self.deaths += 1
            if state == "timeout":
                logger.warning("%s：解析超过 %.0f 秒，已换用新的解析进程", source, self.limits.seconds)
                return ParseAborted(source, f"{TIMED_OUT}（超过 {self.limits.seconds:g} 秒）"), None
            if state == "memory":
                mib = self.limits.memory_bytes // (1024 * 1024)
                logger.warning("%s：解析超过 %d MiB 内存，已换用新的解析进程", source, mib)
                return ParseAborted(source, f"{OVER_MEMORY}（超过 {mib} MiB）"), None
            logger.warning("%s：解析进程异常退出（退出码 %s），第 %d 次尝试", source, detail, attempt)
            if attempt == 2:
                return ParseAborted(source, _describe_death(detail)), None
        raise AssertionError("unreachable")
