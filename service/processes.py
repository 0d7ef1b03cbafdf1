"""Small process helpers shared by ``claimdesk serve`` and ``claimdesk worker`` (Linux first).

No web framework and no database here: a worker imports this.
"""

from __future__ import annotations

import ctypes
import os
import signal
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

PR_SET_PDEATHSIG = 1


@lru_cache(maxsize=1)
def _prctl() -> Callable[..., int] | None:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not Linux
        return None


def load_prctl() -> None:
    """Look ``prctl`` up now, in the parent: a child between fork and exec must not load a
    library (another thread of the parent may have held the loader's lock at fork)."""
    _prctl()


def die_with_parent(sig: int = signal.SIGTERM, *, parent: int | None = None) -> None:
    """Linux: this process gets ``sig`` when its parent dies (``PR_SET_PDEATHSIG``).

    Call it in the child, right after fork (``preexec_fn``, ``os.register_at_fork``). The
    kernel counts the *thread* that forked as the parent: fork from a thread that lives as long
    as the process. ``parent``, the pid that forked, catches a parent that died before the call.
    """
    prctl = _prctl()
    if prctl is None:
        return
    prctl(PR_SET_PDEATHSIG, int(sig))
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), sig)


def process_alive(pid: int) -> bool:
    """True when ``pid`` runs (a zombie, dead but not reaped, does not count)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: trust kill(0)
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def command_line(pid: int) -> str:
    """The process's command line, arguments joined by spaces ("" when unknown)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def wait_gone(pid: int, timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for ``pid`` to end; True when it did."""
    deadline = time.monotonic() + timeout
    while process_alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def terminate(pid: int, *, timeout: float) -> bool:
    """SIGTERM, up to ``timeout`` seconds, then SIGKILL; True when SIGTERM sufficed."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    if wait_gone(pid, timeout):
        return True
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return True
    wait_gone(pid, 5)
    return False
