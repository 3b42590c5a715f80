"""Worker processes and the ordered, bounded window of work in flight.

``ordered_results`` hands items to ``work`` in chunks and yields each item with its result in
input order, whatever the number of workers. At most a few chunks per worker, and at most
``WINDOW_BYTES`` in all, are in flight, so memory grows neither with the input nor with the
number of workers. A worker that dies costs only the item that killed it; a worker whose parent
dies ends at once (it would otherwise wait for work forever, and keep the forkserver, the
resource tracker and the parent's standard streams alive with it).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import multiprocessing.process
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import resource_tracker
from multiprocessing.context import BaseContext
from typing import Generic, TypeVar

__all__ = [
    "CHUNKS_PER_WORKER",
    "CHUNK_BYTES",
    "CHUNK_ITEMS",
    "MAX_JOBS",
    "WINDOW_BYTES",
    "cpu_count",
    "ordered_results",
]

T = TypeVar("T")
R = TypeVar("R")

# Items handed to a worker at a time, and how many such chunks each worker may have queued.
CHUNK_ITEMS = 32
CHUNK_BYTES = 1 << 20
CHUNKS_PER_WORKER = 4
# Bytes of items in flight at most, whatever the number of workers.
WINDOW_BYTES = 64 << 20
# Worker processes at most: each holds its own parser (tens of MiB).
MAX_JOBS = 256


def ordered_results(
    items: Iterable[T],
    work: Callable[[list[T]], list[R]],
    jobs: int,
    *,
    size: Callable[[T], int],
    lost: Callable[[T], R],
    context: BaseContext | None = None,
) -> Iterator[tuple[T, R]]:
    """Each item with ``work``'s result for it, in input order.

    ``work`` (picklable: a module-level function or a ``functools.partial`` of one) turns a
    chunk of items into one result each; it runs in ``jobs`` worker processes, or in this
    process for ``jobs <= 1``. ``size`` measures an item for chunking; ``lost(item)`` is the
    result of an item whose worker died while working on it alone. ``jobs`` over
    ``MAX_JOBS`` is a ``ValueError``.
    """
    if jobs > MAX_JOBS:
        raise ValueError(f"at most {MAX_JOBS} worker processes, not {jobs}")
    if jobs <= 1:
        for item in items:
            yield item, work([item])[0]
        return
    pool = _Pool(jobs, work, lost, context or default_context())
    window: deque[tuple[list[T], Future[list[R]]]] = deque()
    held = 0
    try:
        for chunk in _chunks(items, size):
            window.append((chunk, pool.submit(chunk)))
            held += sum(size(item) for item in chunk)
            # Bounded read-ahead: at most a few chunks per worker, and WINDOW_BYTES in all.
            while window and (len(window) >= jobs * CHUNKS_PER_WORKER or held >= WINDOW_BYTES):
                held -= sum(size(item) for item in window[0][0])
                yield from pool.collect(window)
        while window:
            yield from pool.collect(window)
    finally:
        pool.shutdown()


def _chunks(items: Iterable[T], size: Callable[[T], int]) -> Iterator[list[T]]:
    chunk: list[T] = []
    total = 0
    for item in items:
        chunk.append(item)
        total += size(item)
        if len(chunk) >= CHUNK_ITEMS or total >= CHUNK_BYTES:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk


class _Pool(Generic[T, R]):
    """Worker processes that survive a worker's death: the items it held are worked on again
    one at a time, and an item that kills a worker on its own gets ``lost(item)``."""

    def __init__(
        self,
        jobs: int,
        work: Callable[[list[T]], list[R]],
        lost: Callable[[T], R],
        context: BaseContext,
    ) -> None:
        self._jobs = jobs
        self._work = work
        self._lost = lost
        self._context = context
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        start_forkserver(self._context)
        with _interrupts_held():
            return ProcessPoolExecutor(
                max_workers=self._jobs, mp_context=self._context, initializer=_worker_init
            )

    def _restart(self) -> None:
        # A broken pool is not waited for: its bookkeeping thread can hang on the dead
        # worker's pipe (CPython 3.11), and its work is sent again anyway. Its live workers
        # are stopped: one blocked writing a result that nobody reads any more would keep
        # the process from exiting, as Python joins every pool at exit. (There is no public
        # way to reach them before Python 3.14's ``terminate_workers``.)
        old = self._executor
        workers = list((getattr(old, "_processes", None) or {}).values())
        old.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        self._executor = self._start()

    def submit(self, chunk: list[T]) -> Future[list[R]]:
        # Submitting may start a worker (spawn starts it from this process).
        with _interrupts_held():
            try:
                return self._executor.submit(self._work, chunk)
            except (BrokenProcessPool, OSError):
                # A worker's death is noticed by the pool's own thread; a submit that starts a
                # worker in that moment meets the pipes it closed (OSError), not yet
                # BrokenProcessPool.
                self._restart()
                return self._executor.submit(self._work, chunk)

    def collect(self, window: deque[tuple[list[T], Future[list[R]]]]) -> list[tuple[T, R]]:
        """The results of the oldest chunk in flight."""
        chunk, future = window.popleft()
        try:
            return list(zip(chunk, future.result(), strict=True))
        except BrokenProcessPool:
            pass
        self._restart()
        done = [(item, self._alone(item)) for item in chunk]
        # The chunks still in flight went down with the pool: send them again.
        for index, (other, other_future) in enumerate(window):
            if not other_future.done() or other_future.exception() is not None:
                window[index] = (other, self.submit(other))
        return done

    def _alone(self, item: T) -> R:
        try:
            return self.submit([item]).result()[0]
        except BrokenProcessPool:
            self._restart()
            return self._lost(item)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back while worker processes start: they inherit the held mask,
    so a Ctrl-C during their start-up cannot raise in them (and print a traceback) before
    ``_worker_init`` ignores it. A Ctrl-C meanwhile reaches this process when it ends."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "pthread_sigmask"
    ):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group; only the parent decides what happens then.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    parent = multiprocessing.process.parent_process()
    if parent is not None:
        threading.Thread(
            target=_end_with, args=(parent.sentinel,), name="parent-watch", daemon=True
        ).start()


def _end_with(sentinel: int) -> None:
    """End this worker as soon as its parent has died (its sentinel becomes ready): nothing
    is left to work for, and a worker waiting for work would wait forever."""
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def start_forkserver(context: BaseContext | None = None) -> None:
    """Start the process workers are forked from, if they are (``context``, by default
    ``default_context()``), unless it runs already. The command starts it as soon as it
    knows it will have workers, so that the forkserver's imports run beside its own."""
    if (context or default_context()).get_start_method() != "forkserver":
        return
    # The resource tracker first: starting it unblocks SIGINT in this process (CPython
    # 3.11 to 3.13), which would undo the hold below. It ignores Ctrl-C itself.
    resource_tracker.ensure_running()
    with _interrupts_held():
        # Started with Ctrl-C held, so that it and every worker forked from it start with
        # Ctrl-C held too (see ``_worker_init``).
        from multiprocessing import forkserver

        forkserver.ensure_running()


def default_context() -> BaseContext:
    """How workers start. Not fork: the parent may hold threads (the pool's own), and fork
    is not safe with them."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # Workers start with the parser already imported.
        context.set_forkserver_preload(["ctparse.batch.run"])
        return context
    return multiprocessing.get_context("spawn")


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
