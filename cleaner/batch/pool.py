"""Worker processes the parent can stop: results in input order, bounded memory, and no page
that can hang, crash or stall a batch.

- Each worker is forked (the packs the parent loaded come along) and talks to the parent
  over its own pipe; the parent keeps at most PREFETCH pages queued at each worker.
- A page past its time limit is stopped in the worker (SIGALRM, between bytecodes); a worker
  stuck in C code past the limit and a grace is killed by the parent, and the page fails.
- A worker that dies (kill -9, the OOM killer) is replaced; its page is tried once more on a
  fresh worker, then fails alone. The pages queued behind it are sent again.
- ^C and SIGTERM reach the parent, which kills the workers on its way out: none outlives it.
  A worker whose parent dies sees its pipe close and exits.
- At most `window` pages are read ahead of the oldest result not yet given, so memory stays
  flat however long the input is; the output is the same for any number of workers.

Workers are forked, not spawned: Linux and macOS. A worker never touches stdin or stdout."""

from __future__ import annotations

import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, Pipe, wait
from typing import Any

from .. import settings
from .work import Job, Result, Task, clean_task, failed, init_worker

PREFETCH = 2  # pages queued at a worker: the next one is there when it finishes a page
_END = object()


class _Worker:
    def __init__(self, pid: int, conn: Connection) -> None:
        self.pid, self.conn = pid, conn
        self.queue: deque[tuple[int, Task, int]] = deque()  # (seq, task, tries) sent, not answered
        self.since = time.monotonic()  # when the first of the queue started


def ordered_map(job: Job, tasks: Iterable[Task], jobs: int, live: bool = False) -> Iterator[Result]:
    """clean_task over tasks in `jobs` worker processes, results in input order. `live`: the
    tasks come from a stream that may pause (a pipe): they are read in a thread, and a page
    goes to a worker as soon as it is read."""
    pool = _Pool(job, max(1, jobs))
    try:
        yield from pool.run(tasks, live)
    finally:
        pool.close()


class _Pool:
    def __init__(self, job: Job, jobs: int) -> None:
        self.job = job
        self.limit = job.page_timeout + settings.KILL_GRACE
        self.workers: list[_Worker] = []
        for _ in range(jobs):
            self.workers.append(self._spawn())
        self.window = max(64, jobs * PREFETCH * 8)

    def _spawn(self) -> _Worker:
        parent, child = Pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            code = 0
            try:
                parent.close()
                for other in self.workers:
                    other.conn.close()
                _serve(self.job, child)
            except BaseException:  # a worker must end here, whatever happened
                code = 1
                if os.environ.get("CLEANER_DEBUG"):
                    import traceback

                    traceback.print_exc()
            finally:
                os._exit(code)
        child.close()
        return _Worker(pid, parent)

    def run(self, tasks: Iterable[Task], live: bool) -> Iterator[Result]:
        feed = _LiveFeed(tasks, self.window) if live else _Feed(tasks)
        done: dict[int, Result] = {}
        retry: deque[tuple[int, Task, int]] = deque()
        next_out = seq = 0
        ended = False
        while True:
            while next_out in done:
                feed.release()
                yield done.pop(next_out)
                next_out += 1
            busy = [w for w in self.workers if w.queue]
            if ended and not retry and not busy and not done:
                break
            for w in sorted(self.workers, key=lambda w: len(w.queue)):
                while len(w.queue) < PREFETCH:
                    if retry:
                        item = retry.popleft()
                    elif ended or seq - next_out >= self.window:
                        break
                    else:
                        task = feed.get()
                        if task is None:
                            break
                        if task is _END:
                            ended = True
                            break
                        item = (seq, task, 0)
                        seq += 1
                    if not w.queue:
                        w.since = time.monotonic()
                    w.queue.append(item)
                    try:
                        w.conn.send(item[:2])
                    except OSError:
                        break  # a dead worker: found below when its pipe is read
            busy = [w for w in self.workers if w.queue]
            now = time.monotonic()
            timeout = min((w.since + self.limit - now for w in busy), default=None)
            if timeout is not None:
                timeout = max(0.0, timeout)
            waitables: list[Any] = [w.conn for w in busy] + feed.waitables(ended)
            if not waitables:
                continue
            for ready in wait(waitables, timeout):
                if ready in feed.waitables(ended):
                    feed.drain()
                    continue
                w = next(w for w in self.workers if w.conn is ready)
                self._receive(w, done, retry)
            now = time.monotonic()
            for w in [w for w in self.workers if w.queue and now - w.since > self.limit]:
                seq_, task, _ = w.queue.popleft()
                error = f"took longer than the {self.job.page_timeout:g} s page time limit; stopped"
                done[seq_] = failed(task, error, "timeout")
                self._replace(w, retry)
        feed.close()
        if feed.failure is not None:
            raise feed.failure  # a read error: raised once the records read before it are given

    def _receive(self, w: _Worker, done: dict[int, Result], retry: deque[tuple[int, Task, int]]) -> None:
        try:
            got, result = w.conn.recv()
        except (EOFError, OSError):  # the worker died: killed, or out of memory
            seq_, task, tries = w.queue.popleft()
            if tries < settings.PAGE_RETRIES:
                retry.appendleft((seq_, task, tries + 1))
            else:
                done[seq_] = failed(
                    task, "the worker cleaning it died (killed, or out of memory); skipped", "worker_died"
                )
            self._replace(w, retry)
            return
        seq_, _, _ = w.queue.popleft()
        assert seq_ == got
        done[got] = result
        w.since = time.monotonic()

    def _replace(self, w: _Worker, retry: deque[tuple[int, Task, int]]) -> None:
        """Kill a worker (stuck, or dead already) and start another; what was queued at it is
        sent again, in order, ahead of new pages."""
        retry.extendleft(reversed(w.queue))
        w.queue.clear()
        _kill(w)
        self.workers[self.workers.index(w)] = self._spawn()

    def close(self) -> None:
        """Workers with nothing to do exit when their pipe closes; busy ones (^C, an error) are
        killed: their outputs are written whole or not at all."""
        for w in self.workers:
            if w.queue:
                _kill(w)
            else:
                w.conn.close()
        deadline = time.monotonic() + settings.SHUTDOWN_SECONDS
        for w in self.workers:
            while True:
                try:
                    pid, _ = os.waitpid(w.pid, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid or time.monotonic() > deadline:
                    if not pid:
                        _kill(w)
                    break
                time.sleep(0.005)
        self.workers = []


def _kill(w: _Worker) -> None:
    try:
        os.kill(w.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(w.pid, 0)
    except ChildProcessError:
        pass
    w.conn.close()


def _serve(job: Job, conn: Connection) -> None:
    """A worker's life: pages in, results out, until the parent closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C goes to the whole group: the parent decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    init_worker(job)
    while True:
        try:
            got = conn.recv()
        except (EOFError, OSError):
            return
        seq, task = got
        conn.send((seq, clean_task(task)))


class _Feed:
    """Tasks pulled as they are needed, from an iterator that never blocks for long."""

    failure: BaseException | None = None

    def __init__(self, tasks: Iterable[Task]) -> None:
        self.it = iter(tasks)

    def get(self) -> Any:
        return next(self.it, _END)

    def waitables(self, ended: bool) -> list[Any]:
        return []

    def drain(self) -> None:
        pass

    def release(self) -> None:
        pass

    def close(self) -> None:
        pass


class _LiveFeed(_Feed):
    """Tasks read by a thread, for a stream whose next record may be long in coming; a pipe
    wakes the parent when one arrives. At most `window` are read ahead of those given."""

    def __init__(self, tasks: Iterable[Task], window: int) -> None:
        self.items: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.room = threading.Semaphore(window)
        self.wake_r, self.wake_w = os.pipe()
        self.failure = None
        threading.Thread(target=self._read, args=(tasks,), daemon=True).start()

    def _read(self, tasks: Iterable[Task]) -> None:
        try:
            for task in tasks:
                self.room.acquire()
                self.items.put(task)
                os.write(self.wake_w, b".")
        except BaseException as exc:  # handed to the parent, raised after the results
            self.items.put(exc)
        self.items.put(_END)
        try:
            os.write(self.wake_w, b".")
        except OSError:
            pass  # the parent stopped listening
        os.close(self.wake_w)

    def get(self) -> Any:
        try:
            item = self.items.get_nowait()
        except queue.Empty:
            return None
        if isinstance(item, BaseException):
            self.failure = item
            return _END
        return item

    def waitables(self, ended: bool) -> list[Any]:
        return [] if ended else [self.wake_r]

    def drain(self) -> None:
        os.read(self.wake_r, 1 << 16)

    def release(self) -> None:
        self.room.release()

    def close(self) -> None:
        os.close(self.wake_r)  # the write end stays with the reader thread, which has ended
