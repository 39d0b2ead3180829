"""The linking index's surface forms, kept on disk between runs.

Inflecting every name of the census gazetteer with pymorphy3 takes about two seconds, paid
by every process that links (each `borderkg build` and each of its workers, `extract`,
`eval`). The forms are a pure function of the gazetteer, the curation's extra names, the
code that inflects them and pymorphy3's dictionaries, so they are written once to
``$BORDERKG_CACHE`` (default ``$XDG_CACHE_HOME/borderkg``, else ``~/.cache/borderkg``) under
a digest of all of these, and read back by the next run. A cache that cannot be written or
read is only slower: the forms are computed again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

# The code the forms depend on (besides its inputs), by module file name in the package.
CODE = ("link/index.py", "inflect.py", "nlp.py", "gazetteer/__init__.py", "gazetteer/model.py")
LIBRARIES = ("pymorphy3", "pymorphy3-dicts-ru")
PREFIX = "link-forms-"


def cache_dir() -> Path:
    """Where the forms are kept."""
    if os.environ.get("BORDERKG_CACHE"):
        return Path(os.environ["BORDERKG_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "borderkg"


def digest(inputs) -> str:
    """A digest of ``inputs`` (pickled), of the code in :data:`CODE` and of the versions of
    :data:`LIBRARIES`: what decides the forms.

    >>> digest(("a",)) == digest(("a",)) != digest(("b",))
    True
    """
    package = Path(__file__).resolve().parents[1]
    hashed = hashlib.sha256(pickle.dumps(inputs, protocol=5))
    for name in CODE:
        hashed.update(b"\0" + name.encode() + b"\0" + (package / name).read_bytes())
    for library in LIBRARIES:
        try:
            hashed.update(f"\0{library}=={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            hashed.update(f"\0{library} absent".encode())
    return hashed.hexdigest()[:32]


def cached(inputs, compute: Callable[[], object], directory: Path | None = None):
    """``compute()``, or what it gave for the same ``inputs`` and code in an earlier run.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> calls = []
    >>> cached(("x",), lambda: calls.append(1) or {"forms": 1}, folder)
    {'forms': 1}
    >>> cached(("x",), lambda: calls.append(1) or {"forms": 2}, folder), len(calls)
    ({'forms': 1}, 1)
    """
    directory = cache_dir() if directory is None else directory
    path = directory / f"{PREFIX}{digest(inputs)}.pickle"
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        pass
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        pass  # unreadable or from another version of the classes: computed again below
    value = compute()
    _write(path, value)
    return value


def _write(path: Path, value) -> None:
    """Write ``value`` atomically (a temporary file renamed over), dropping the forms of
    earlier inputs; a folder that cannot be written leaves the cache empty."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as handle:
            pickle.dump(value, handle, protocol=5)
        os.replace(handle.name, path)
        for old in path.parent.glob(f"{PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        try:
            os.unlink(handle.name)
        except (OSError, UnboundLocalError):
            pass
