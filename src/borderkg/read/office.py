"""Office documents other than .docx (.doc, .odt, .rtf): LibreOffice converts them to .docx,
which the .docx reader reads, so every office format gives the same rows and section headers.

LibreOffice runs headless in a temporary directory with a profile of its own (so that
parallel conversions, or a desktop LibreOffice that is open, cannot block one another), and
is killed when it takes longer than :data:`CONVERT_TIMEOUT_S`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from borderkg.document import Document
from borderkg.errors import BadInputError, MissingToolError
from borderkg.read.common import make_document, title_of
from borderkg.read.docx import docx_blocks

MEDIA_TYPES = {
    ".doc": "application/msword",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".rtf": "application/rtf",
}
CONVERT_TIMEOUT_S = 120
LIBREOFFICE_PACKAGE = "libreoffice-writer-nogui"  # Debian; `libreoffice-writer` works too
_PROGRAMS = ("soffice", "libreoffice")


def libreoffice() -> str | None:
    """The LibreOffice program on PATH, or None."""
    return next((found for name in _PROGRAMS if (found := shutil.which(name))), None)


def missing_libreoffice(path: Path | str, what: str) -> MissingToolError:
    """The error for a file that needs LibreOffice when it is not installed.

    >>> missing_libreoffice("a.doc", "read .doc files").reason
    'LibreOffice is needed to read .doc files but is not installed (Debian: apt-get install libreoffice-writer-nogui)'
    """
    return MissingToolError(path, f"LibreOffice is needed to {what} but is not installed "
                                  f"(Debian: apt-get install {LIBREOFFICE_PACKAGE})")


def convert(path: Path, raw: bytes, target: str, timeout: float | None = None) -> bytes:
    """The bytes of ``raw`` (a file of ``path``'s kind) converted by LibreOffice to the
    ``target`` format (``"docx"``, ``"pdf"``, ``"odt"``…).

    Raises :class:`MissingToolError` without LibreOffice and :class:`BadInputError` when
    the conversion fails or takes longer than ``timeout`` seconds (by default
    :data:`CONVERT_TIMEOUT_S`).
    """
    timeout = timeout or CONVERT_TIMEOUT_S
    program = libreoffice()
    if program is None:
        raise missing_libreoffice(path, f"read {path.suffix or 'such'} files")
    with tempfile.TemporaryDirectory(prefix="borderkg-office-") as work:
        work_dir = Path(work)
        # The bytes already checked are what is converted, under a plain name.
        source = work_dir / f"input{path.suffix.lower()}"
        source.write_bytes(raw)
        out_dir = work_dir / "out"
        command = [program, f"-env:UserInstallation={(work_dir / 'profile').as_uri()}",
                   "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                   "--convert-to", target, "--outdir", str(out_dir), str(source)]
        _run(path, command, timeout, home=work_dir)
        produced = sorted(out_dir.glob(f"*.{target.split(':')[0]}"))
        if not produced:
            raise BadInputError(path, f"LibreOffice could not convert the file to .{target} "
                                      "(damaged, or not the kind its name says)")
        return produced[0].read_bytes()


def _run(path: Path, command: list[str], timeout: float, home: Path) -> None:
    """Run LibreOffice in a session of its own, so that a timeout kills all its processes."""
    env = {**os.environ, "HOME": str(home)}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, start_new_session=True, env=env)
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise BadInputError(path, f"LibreOffice took longer than {timeout:g} s to convert the "
                                  "file: stopped") from None
    if process.returncode != 0:
        detail = stderr.decode(errors="replace").strip().splitlines()[-1:] or [f"exit {process.returncode}"]
        raise BadInputError(path, f"LibreOffice failed to convert the file ({detail[0]})")


# How each kind's files begin: LibreOffice opens anything else as plain text, without error.
SIGNATURES = {
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Word 97-2003 document"),  # OLE2
    ".odt": (b"PK\x03\x04", "an OpenDocument file (a zip archive)"),
    ".rtf": (b"{\\rtf", "an RTF file"),
}


def check_signature(path: Path, raw: bytes) -> None:
    """Refuse a file that does not begin as its kind does (a renamed or damaged file).

    >>> check_signature(Path("a.rtf"), b"{\\\\rtf1\\\\ansi ...")
    >>> check_signature(Path("a.doc"), b"PK\\x03\\x04...")
    Traceback (most recent call last):
    borderkg.errors.BadInputError: a.doc: not a .doc file (it does not begin as a Word 97-2003 document does)
    """
    signature, kind = SIGNATURES[path.suffix.lower()]
    if not raw.lstrip()[:8].startswith(signature):
        raise BadInputError(path, f"not a {path.suffix.lower()} file (it does not begin as {kind} does)")


def read_office(path: Path, raw: bytes) -> Document:
    """Read a .doc, .odt or .rtf file through its .docx conversion."""
    check_signature(path, raw)
    blocks = docx_blocks(path, convert(path, raw, "docx"))
    return make_document(path, raw, blocks, title=title_of(blocks),
                         media_type=MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream"))
