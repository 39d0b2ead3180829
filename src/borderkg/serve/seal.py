"""Seal the SPARQL engine before it starts: it dies with the server and cannot open outbound
connections, whatever query it is given.

Run as ``python -m borderkg.serve.seal --parent PID [--allow-port N ...] [--nice N] -- PROGRAM ARGS``:
this process applies the seals to itself and then becomes ``PROGRAM`` (``exec``), so the
engine inherits them and cannot undo them. A separate launcher, rather than a ``preexec_fn``,
because the server is multi-threaded and Python code between ``fork`` and ``exec`` is unsafe
there.

* **Lower CPU priority** (``--nice``): the engine's threads yield to the front's, so a
  runaway query cannot slow down the event loop every other query goes through.
* **Death with the server** (Linux): ``PR_SET_PDEATHSIG`` = ``SIGKILL``, so a ``kill -9`` of
  ``borderkg serve`` also ends its engine.
* **No outbound connection** (Linux, seccomp, through libseccomp's ``pyseccomp`` binding):
  ``connect()`` fails with ``EPERM``; so do ``io_uring_setup`` (which could connect without the
  system call) and TCP Fast Open sends (``MSG_FASTOPEN`` connects inside ``sendto``/``sendmsg``).
  The engine still listens and answers on its own socket: ``bind``/``listen``/``accept`` are
  untouched. A name lookup needs ``connect`` too, so not even a DNS query leaves.
* **Allow-listed SERVICE endpoints** (``--allow-port``): seccomp cannot see the address given
  to ``connect``, so then ``connect`` stays open to seccomp and Landlock (Linux ≥ 6.7, ABI 4)
  restricts TCP connections to the listed ports; other TCP ports fail with ``EACCES``. Landlock
  does not cover UDP (DNS lookups still work, as they must to reach a named endpoint) nor
  connections to Unix sockets. No maintained Python binding offers Landlock's network rules,
  hence the three system calls below.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import os
import signal
import sys

PR_SET_PDEATHSIG = 1
MSG_FASTOPEN = 0x20000000
LANDLOCK_CREATE_RULESET, LANDLOCK_ADD_RULE, LANDLOCK_RESTRICT_SELF = 444, 445, 446  # every arch
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_ACCESS_NET_CONNECT_TCP = 1 << 1
LANDLOCK_RULE_NET_PORT = 2
PR_SET_NO_NEW_PRIVS = 38


class SealError(Exception):
    """A seal could not be applied: the engine must not start."""


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> int:
    if result < 0:
        code = ctypes.get_errno()
        raise SealError(f"{what}: {os.strerror(code)}")
    return result


def die_with_parent(parent: int) -> None:
    """SIGKILL this process when its parent ends; and end now if it already has."""
    _check(_libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")
    if os.getppid() != parent:  # the server died before the line above
        os._exit(1)


def landlock_abi() -> int:
    """The Landlock ABI version of the running kernel, 0 when it has none (or not Linux)."""
    if not sys.platform.startswith("linux"):
        return 0
    libc = _libc()
    version = libc.syscall(LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0),
                           ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION))
    return max(version, 0)


def seccomp_available() -> bool:
    """Whether the seccomp seal can be applied here (Linux with libseccomp)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import pyseccomp  # noqa: F401 - loads libseccomp.so.2
    except (ImportError, OSError):
        return False
    return True


def forbid_connections(block_connect: bool) -> None:
    """Load the seccomp filter: no ``connect`` (when ``block_connect``), no io_uring, no TCP
    Fast Open. The filter sets no-new-privileges and is inherited across ``exec``."""
    import pyseccomp as seccomp

    refuse = seccomp.ERRNO(errno.EPERM)
    rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    if block_connect:
        rules.add_rule(refuse, "connect")
    rules.add_rule(refuse, "io_uring_setup")
    rules.add_rule(refuse, "sendto", seccomp.Arg(3, seccomp.MASKED_EQ, MSG_FASTOPEN, MSG_FASTOPEN))
    rules.add_rule(refuse, "sendmsg", seccomp.Arg(2, seccomp.MASKED_EQ, MSG_FASTOPEN, MSG_FASTOPEN))
    rules.load()


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64)]


class _NetPortAttr(ctypes.Structure):
    _fields_ = [("allowed_access", ctypes.c_uint64), ("port", ctypes.c_uint64)]


def allow_tcp_ports(ports: list[int]) -> None:
    """Landlock: TCP ``connect`` only to ``ports`` from now on (this process and what it execs)."""
    if landlock_abi() < 4:
        raise SealError("Landlock with network rules (Linux 6.7 or later) is not available")
    libc = _libc()
    attr = _RulesetAttr(0, LANDLOCK_ACCESS_NET_CONNECT_TCP)
    ruleset = _check(libc.syscall(LANDLOCK_CREATE_RULESET, ctypes.byref(attr),
                                  ctypes.c_size_t(ctypes.sizeof(attr)), ctypes.c_uint32(0)),
                     "landlock_create_ruleset")
    try:
        for port in sorted(set(ports)):
            rule = _NetPortAttr(LANDLOCK_ACCESS_NET_CONNECT_TCP, port)
            _check(libc.syscall(LANDLOCK_ADD_RULE, ruleset, LANDLOCK_RULE_NET_PORT,
                                ctypes.byref(rule), ctypes.c_uint32(0)), "landlock_add_rule")
        _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
        _check(libc.syscall(LANDLOCK_RESTRICT_SELF, ruleset, ctypes.c_uint32(0)),
               "landlock_restrict_self")
    finally:
        os.close(ruleset)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m borderkg.serve.seal")
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--allow-port", type=int, action="append", default=[])
    parser.add_argument("--nice", type=int, default=0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    try:
        die_with_parent(args.parent)
        if args.allow_port:
            allow_tcp_ports(args.allow_port)
        forbid_connections(block_connect=not args.allow_port)
        os.nice(args.nice)
    except (SealError, OSError, ImportError) as exc:
        sys.stderr.write(f"borderkg seal: cannot seal the engine: {exc}\n")
        sys.exit(70)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
