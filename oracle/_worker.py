"""The oracle's worker process: imports torch, the patches and every stand-in once, then
forks one child per program it is sent, so a program costs a fork, not an import of torch.

Protocol (with oracle.runner): length-prefixed JSON messages on the worker's stdin and on a
private copy of its stdout; the worker's own fd 1 is pointed at stderr so nothing a program
prints can corrupt the channel. A child writes its verdict into a pipe the same way."""
from __future__ import annotations

import gc
import json
import os
import select
import shutil
import signal
import struct
import sys
import tempfile
import time

STANDINS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "standins")
# Every stand-in imported once here, so children only fork it (missing ones are skipped).
STANDIN_PACKAGES = ("PIL", "torchvision", "timm", "open_clip", "clip", "segment_anything",
                    "transformers", "accelerate", "lightning", "pytorch_lightning")

# Programs' folders go under the worker's cwd, a folder the runner removes with the worker
# (even when the worker itself was killed mid-program).
WORKER_HOME = os.getcwd()

# ORACLE_REAL=1: the real libraries and CUDA, no stand-ins (oracle/real_mode.py, gpu_check.py).
REAL = os.environ.get("ORACLE_REAL") == "1"

_HEADER = struct.Struct(">I")


def send(fd: int, data: dict) -> None:
    payload = json.dumps(data).encode()
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view):]


def _read_exact(fd: int, size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = os.read(fd, size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def receive(fd: int) -> dict | None:
    header = _read_exact(fd, _HEADER.size)
    if header is None:
        return None
    payload = _read_exact(fd, _HEADER.unpack(header)[0])
    return None if payload is None else json.loads(payload)


def _child(message: dict, root: str, result_fd: int) -> None:
    """In the forked child: run the program, send the verdict, never return."""
    code = 0
    try:
        os.setpgid(0, 0)  # the worker kills the whole group (DataLoader workers included)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        from oracle import execute, patches

        patches.reset_program_state()  # the worker's warm-up entered an autocast
        patches.STATE.autocast = bool(message["autocast"])
        patches.STATE.cuda = not REAL and message["program"]["env"].get("ORACLE_CUDA", "1") != "0"
        if REAL:  # the real libraries are imported here: on import they may initialise CUDA
            from oracle import real_mode

            real_mode.install()
        verdict = execute.run_program(message["program"], root, STANDIN_PACKAGES)
        verdict["autocast_entered"] = patches.STATE.autocast_entered
        send(result_fd, verdict)
    except BaseException as exc:  # noqa: BLE001 - report, never escape into the worker's loop
        try:
            send(result_fd, {"status": "other_error", "message": f"oracle child failed: {exc!r}"})
        except BaseException:  # noqa: BLE001
            code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()  # a program that pointed sys.stdout at a file keeps what it wrote
            except BaseException:  # noqa: BLE001
                pass
        os._exit(code)


def _parse(buffer: bytes) -> dict | None:
    if len(buffer) < _HEADER.size:
        return None
    size = _HEADER.unpack(buffer[: _HEADER.size])[0]
    if len(buffer) < _HEADER.size + size:
        return None
    return json.loads(buffer[_HEADER.size: _HEADER.size + size])


def _collect(pid: int, read_fd: int, timeout: float) -> dict:
    """The child's verdict, or a timeout / crash verdict. Never waits for EOF alone: a
    program's DataLoader workers may hold the pipe open after the child is gone."""
    buffer = b""
    deadline = time.monotonic() + timeout
    finished = False
    while True:
        verdict = _parse(buffer)
        if verdict is not None:
            return verdict
        if finished:
            return {"status": "other_error", "message": "oracle: the program's process died without a verdict"}
        left = deadline - time.monotonic()
        if left <= 0:
            return {"status": "timeout", "message": f"timeout after {timeout:g} s"}
        if select.select([read_fd], [], [], min(left, 0.2))[0]:
            chunk = os.read(read_fd, 1 << 16)
            buffer += chunk
            finished = not chunk
        elif os.waitpid(pid, os.WNOHANG)[0] == pid:
            while select.select([read_fd], [], [], 0)[0]:
                chunk = os.read(read_fd, 1 << 16)
                if not chunk:
                    break
                buffer += chunk
            finished = True


def _exec_child(message: dict, root: str, write_fd: int) -> None:
    """Real mode: the child execs a fresh interpreter (a process forked after anything touched
    CUDA cannot use it), which then runs the program as a forked child would."""
    handle, message_path = tempfile.mkstemp(prefix="oracle-message-", suffix=".json")
    with os.fdopen(handle, "w") as out:
        json.dump(message, out)
    os.set_inheritable(write_fd, True)
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    boot = (f"import sys; sys.path.insert(0, {repo!r}); from oracle import _worker; "
            f"_worker.exec_child_main({write_fd}, {message_path!r}, {root!r})")
    os.execv(sys.executable, [sys.executable, "-c", boot])


def exec_child_main(write_fd: int, message_path: str, root: str) -> None:
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path[:] = [p for p in sys.path if p not in ("", here)]
    with open(message_path) as handle:
        message = json.load(handle)
    os.unlink(message_path)
    from oracle import patches

    patches.install()
    patches.STATE.cuda = False
    _child(message, root, write_fd)


def run_one(message: dict) -> dict:
    root = tempfile.mkdtemp(prefix="oracle-", dir=WORKER_HOME)
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        if REAL:
            _exec_child(message, root, write_fd)
        _child(message, root, write_fd)
    os.close(write_fd)
    try:
        return _collect(pid, read_fd, float(message["timeout"]))
    finally:
        os.close(read_fd)
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        shutil.rmtree(root, ignore_errors=True)


def _warm_up() -> None:
    """Pays every lazy import and first-call cost once, before any fork."""
    import torch

    net = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Flatten(), torch.nn.LazyLinear(2))
    x = torch.rand(2, 3, 8, 8)
    optimizer = torch.optim.AdamW(net.parameters(), lr=1e-3)  # imports torch._dynamo
    with torch.autocast("cpu", dtype=torch.bfloat16):
        loss = torch.nn.functional.cross_entropy(net(x).float(), torch.tensor([0, 1]))
    loss.backward()
    optimizer.step()
    torch.optim.SGD(net.parameters(), lr=0.1).step()
    torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x), batch_size=2)
    if REAL:
        return  # the real libraries may initialise CUDA on import, and a forked child cannot use it then
    for name in STANDIN_PACKAGES:
        try:
            __import__(name)
        except ImportError:
            pass


def main() -> None:
    channel_out = os.dup(1)
    channel_in = os.dup(0)
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    # The repository root put us here; programs must not see it, only the stand-ins.
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path[:] = ([] if REAL else [STANDINS]) + [p for p in sys.path if p not in ("", here, os.getcwd())]
    from oracle import patches

    patches.install()
    if REAL:
        patches.STATE.cuda = False  # real CUDA: nothing redirected, torch.cuda answers for itself
    _warm_up()
    if REAL and sys.modules["torch"].cuda.is_initialized():
        raise RuntimeError("oracle real mode: CUDA was initialised before forking")
    gc.freeze()  # children then leave the worker's objects (and their pages) alone
    send(channel_out, {"ready": True, "pid": os.getpid()})
    while True:
        message = receive(channel_in)
        if message is None:
            return
        send(channel_out, run_one(message))


if __name__ == "__main__":
    main()
