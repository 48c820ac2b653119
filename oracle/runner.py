"""run_programs / label_programs: hand programs to a pool of worker processes.

The pool lives as long as the calling process (closed at exit), so repeated calls (a label
run, then its autocast=False re-run, then re-runs of fixed programs) pay torch's import once
per worker. Only the workers put oracle/standins on sys.path; this process never does."""
from __future__ import annotations

import atexit
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from typing import List, Optional, Sequence

from oracle import _worker
from oracle.program import Label, Program, Verdict

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_BOOT = f"import sys; sys.path.insert(0, {_ROOT!r}); from oracle._worker import main; main()"
# Headroom over the program's own timeout for the worker's fork and bookkeeping.
_REPLY_SLACK = 30.0


class _Worker:
    def __init__(self) -> None:
        env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1",
                   PYTORCH_NVML_BASED_CUDA_CHECK="1")  # a real-CUDA worker must not init CUDA before forking
        self.cwd = tempfile.mkdtemp(prefix="oracle-worker-")
        self.process = subprocess.Popen(
            [sys.executable, "-c", _BOOT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            cwd=self.cwd, env=env,
        )
        self.ready = False

    def wait_ready(self) -> None:
        reply = _worker.receive(self.process.stdout.fileno())
        if not reply or not reply.get("ready"):
            raise RuntimeError("oracle worker failed to start (see its stderr)")
        self.ready = True

    def run(self, message: dict) -> Optional[dict]:
        try:
            _worker.send(self.process.stdin.fileno(), message)
            return _worker.receive(self.process.stdout.fileno())
        except OSError:
            return None

    def close(self) -> None:
        try:
            self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        shutil.rmtree(self.cwd, ignore_errors=True)


class _Pool:
    def __init__(self) -> None:
        self.workers: List[_Worker] = []
        self.lock = threading.Lock()

    def ensure(self, jobs: int) -> List[_Worker]:
        started = [_Worker() for _ in range(jobs - len(self.workers))]
        for worker in started:  # started together, they import torch in parallel
            worker.wait_ready()
        self.workers.extend(started)
        return self.workers[:jobs]

    def replace(self, worker: _Worker) -> _Worker:
        worker.close()
        fresh = _Worker()
        fresh.wait_ready()
        self.workers[self.workers.index(worker)] = fresh
        return fresh

    def close(self) -> None:
        for worker in self.workers:
            worker.close()
        self.workers = []


_POOL = _Pool()
atexit.register(_POOL.close)


def run_programs(programs: Sequence[Program], *, jobs: int = 2, timeout: float = 30.0,
                 autocast: bool = True) -> List[Verdict]:
    """One verdict per program, in order. ``autocast=False`` builds every autocast disabled."""
    results: List[Optional[Verdict]] = [None] * len(programs)
    if not programs:
        return []
    with _POOL.lock:
        workers = _POOL.ensure(max(1, jobs))
        pending: "queue.Queue[int]" = queue.Queue()
        for index in range(len(programs)):
            pending.put(index)

        def serve(worker: _Worker) -> None:
            while True:
                try:
                    index = pending.get_nowait()
                except queue.Empty:
                    return
                message = {"program": programs[index].to_message(), "autocast": autocast, "timeout": timeout}
                reply = worker.run(message)
                if reply is None:  # the worker itself died: say so, start a fresh one
                    reply = {"status": "other_error", "message": "oracle: worker process died"}
                    worker = _POOL.replace(worker)
                results[index] = Verdict.from_message(reply)

        threads = [threading.Thread(target=serve, args=(worker,), daemon=True) for worker in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return [verdict if verdict is not None else Verdict("other_error", message="oracle: not run") for verdict in results]


def label_programs(programs: Sequence[Program], *, jobs: int = 2, timeout: float = 30.0) -> List[Label]:
    """BFD001: the normal run raises the bf16-input dtype error. BFD002: the normal run is ok
    and the run with every autocast disabled raises it. None: ok both ways (or the autocast-free
    run fails some other way). "invalid": the normal run fails any other way."""
    normal = run_programs(programs, jobs=jobs, timeout=timeout)
    # A run that entered no enabled autocast is its own autocast-free run: only re-run the rest.
    no_autocast = {index: verdict for index, verdict in enumerate(normal)
                   if verdict.status == "ok" and not verdict.autocast_entered}
    again = [index for index, verdict in enumerate(normal) if verdict.status == "ok" and verdict.autocast_entered]
    bare = run_programs([programs[index] for index in again], jobs=jobs, timeout=timeout, autocast=False)
    no_autocast.update(zip(again, bare))
    labels = []
    for index, verdict in enumerate(normal):
        if verdict.status == "ok":
            second = no_autocast[index]
            if second.status == "dtype_error" and second.direction == "bf16_input":
                labels.append(Label("BFD002", second.frames, verdict, second))
            else:
                labels.append(Label(None, (), verdict, second))
        elif verdict.status == "dtype_error" and verdict.direction == "bf16_input":
            labels.append(Label("BFD001", verdict.frames, verdict, None))
        else:
            labels.append(Label("invalid", verdict.frames, verdict, None))
    return labels
