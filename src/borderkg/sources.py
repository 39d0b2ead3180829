"""Which files a build reads: the files named, and the supported files under the folders
named, each entry that is not read named with its reason.

A folder is searched in name order. A symbolic link under it is followed only when it stays
inside the folder, unless the user asks (``follow_symlinks``); a link that leads nowhere or
round in a loop, a FIFO, a device, a socket and a folder that cannot be listed are refused
by name, and never opened (a FIFO would hang the build). A file reached twice (two links,
a hard link, a folder named twice) is read once.

Two kinds of entry are not read: *skipped* ones are not reports (a file of an unsupported
kind, a second way to the same file) and leave the build's exit status alone; *refused*
ones look like reports that could not be read, and fail the build.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from borderkg.read import is_supported

FOLLOW_HINT = "not read (build --follow-symlinks reads it)"


@dataclass
class Sources:
    """The files to read, in order, and the entries not read, each ``(path, reason)``."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    _seen: dict[tuple[int, int], Path] = field(default_factory=dict, repr=False)

    def _take(self, path: Path, status: os.stat_result) -> None:
        first = self._seen.setdefault((status.st_dev, status.st_ino), path)
        if first is path:
            self.files.append(path)
        else:
            self.skipped.append((str(path), f"the same file as {first}, read there"))


def find_sources(paths: Iterable[str | Path], follow_symlinks: bool = False) -> Sources:
    """The sources of a build.

    A file named is read whatever its kind (so that an unsupported one is reported as a
    failure); under a folder, a file of an unsupported kind is skipped by name.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "a.txt").write_text("Отчёт", encoding="utf-8") and None
    >>> (folder / "b.xlsx").write_bytes(b"x") and None
    >>> elsewhere = Path(tempfile.mkdtemp()) / "c.txt"
    >>> elsewhere.write_text("Отчёт", encoding="utf-8") and None
    >>> os.symlink(elsewhere, folder / "c.txt")
    >>> found = find_sources([folder])
    >>> [p.name for p in found.files], [(Path(p).name, r) for p, r in found.skipped]
    (['a.txt'], [('b.xlsx', "unsupported file type '.xlsx'")])
    >>> [(Path(p).name, r.split(",")[1].strip()) for p, r in found.refused]
    [('c.txt', 'outside the folder given: not read (build --follow-symlinks reads it)')]
    """
    found = Sources()
    for path in map(Path, paths):
        status = _stat(path, found)
        if status is None:
            continue
        if stat.S_ISDIR(status.st_mode):
            _search(path, found, follow_symlinks)
        elif stat.S_ISREG(status.st_mode):
            found._take(path, status)
        else:
            found.refused.append((str(path), _not_a_file(status)))
    return found


def _search(root: Path, found: Sources, follow_symlinks: bool) -> None:
    """Every entry under ``root``, depth first in name order (the order of sorted paths),
    without recursion however deep the folders go."""
    inside = os.path.realpath(root)
    searched = {_key(os.stat(root))}  # folders entered: a folder reached twice is entered once
    stack = [iter(_listing(root, found))]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            status = _linked(path, inside, found, follow_symlinks)
        else:
            status = _stat(path, found)
        if status is None:
            continue
        if stat.S_ISDIR(status.st_mode):
            if _key(status) in searched:
                found.skipped.append((str(path), "the same folder as one searched already (a link?)"))
            else:
                searched.add(_key(status))
                stack.append(iter(_listing(path, found)))
        elif not stat.S_ISREG(status.st_mode):
            found.refused.append((str(path), _not_a_file(status)))
        elif not is_supported(path):
            found.skipped.append((str(path), f"unsupported file type {path.suffix or '(none)'!r}"))
        else:
            found._take(path, status)


def _listing(folder: Path, found: Sources) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        found.refused.append((str(folder), f"the folder cannot be read ({exc.strerror or exc})"))
        return []


def _linked(path: Path, inside: str, found: Sources, follow_symlinks: bool) -> os.stat_result | None:
    """The status of what a symbolic link leads to, or None when it is not followed."""
    target = os.readlink(path)
    status = _stat(path, found, link=target)
    if status is None:
        return None
    real = os.path.realpath(path)
    if follow_symlinks or real == inside or real.startswith(inside.rstrip(os.sep) + os.sep):
        return status
    if stat.S_ISREG(status.st_mode) and not is_supported(path):
        found.skipped.append((str(path), f"unsupported file type {path.suffix or '(none)'!r}"))
    else:
        found.refused.append((str(path), f"a symbolic link to {real}, outside the folder given: {FOLLOW_HINT}"))
    return None


def _stat(path: Path, found: Sources, link: str | None = None) -> os.stat_result | None:
    """The status of a path (through links), or None with the reason it cannot be had."""
    try:
        return os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            reason = "a symbolic link that leads round in a loop"
        elif exc.errno == errno.ENOENT and (link is not None or path.is_symlink()):
            reason = f"a symbolic link to {link or os.readlink(path)}, which does not exist"
        elif exc.errno == errno.ENOENT:
            reason = "no such file or folder"
        else:
            reason = f"cannot be read ({exc.strerror or exc})"
        found.refused.append((str(path), reason))
        return None


def _key(status: os.stat_result) -> tuple[int, int]:
    return status.st_dev, status.st_ino


def _not_a_file(status: os.stat_result) -> str:
    """Why a special file is refused: it is never opened.

    >>> _not_a_file(os.stat("/dev/null"))
    'a character device, not a file: refused without opening it'
    """
    mode = status.st_mode
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a character device" if stat.S_ISCHR(mode) else "a block device" if stat.S_ISBLK(mode)
            else "not a regular file")
    return f"{kind}, not a file: refused without opening it"
