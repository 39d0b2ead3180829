"""The triple store: one interface (:class:`GraphStore`), two backends.

* :mod:`borderkg.store.embedded` — :class:`OxigraphStore`, a pyoxigraph directory on disk
  (by default ``data/store``), publishing snapshots for readers in other processes;
* :mod:`borderkg.store.remote` — :class:`~borderkg.store.remote.RemoteStore`, any SPARQL 1.1
  server (Oxigraph server, Fuseki, GraphDB, Virtuoso) over HTTP, with its credentials handled
  by :mod:`borderkg.store.auth`.

The SPARQL text both write and read is built once, in :mod:`borderkg.store.sparql`.
:func:`open_store` picks the backend from the location: a directory or an ``http(s)://`` URL.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Iterable, Protocol

from borderkg.paths import STORE
from borderkg.vocab import ID
from borderkg.store.embedded import GENERATION_FILE, SNAPSHOTS_DIR, OxigraphStore, published
from borderkg.store.sparql import replace_update


# Every graph borderkg writes is named under this: on a shared server, its graphs are these
# alone (the server's own and other projects' graphs are neither counted nor exported).
GRAPHS_NAMESPACE = ID + "graph/"


class GraphStore(Protocol):
    """What borderkg needs of a quad store; every backend provides it (and passes the
    contract suite of ``tests/test_store.py``)."""

    parallel_writes: bool  # whether updates may come from several threads at once

    def document_hashes(self) -> dict[str, str]: ...
    def replace_graph(self, graph: str, quads: Iterable) -> None: ...
    def replace_graph_ntriples(self, graph: str, ntriples: bytes,
                               merge: tuple[str, bytes] | None = None) -> None: ...
    def remove_graph(self, graph: str) -> None: ...
    def patch_graph(self, graph: str, removed: bytes, added: bytes, whole) -> None: ...  # whole: bytes, or a function giving them
    def query(self, sparql: str, *, use_default_graph_as_union: bool = False,
              prefixes: dict[str, str] | None = None, default_graph: str | list[str] | None = None): ...
    def graphs(self) -> list[str]: ...
    def triple_count(self) -> int: ...
    def quads(self) -> Iterable: ...
    def dump(self, output: BinaryIO, format, prefixes: dict[str, str] | None = None) -> None: ...
    def flush(self) -> None: ...
    def publish(self) -> int | None: ...
    def close(self) -> None: ...


def is_url(location: str | Path) -> bool:
    """Whether a store location names a remote SPARQL store.

    >>> is_url("http://127.0.0.1:7878"), is_url("data/store")
    (True, False)
    """
    return str(location).lower().startswith(("http://", "https://"))


def open_store(location: str | Path = STORE, read_only: bool = False, user: str | None = None,
               password: str | None = None) -> GraphStore:
    """The store at a location: a directory (embedded Oxigraph) or an ``http(s)://`` URL
    (:meth:`~borderkg.store.remote.RemoteStore.from_url`): an Oxigraph server's (``/query``,
    ``/update``, ``/store``) or a dataset's (Fuseki's ``/ds``); ``read_only`` sends no updates. The credentials of a URL come from ``user``/``password``, the URL, the
    environment or ``.netrc`` (:func:`borderkg.store.auth.resolve`)."""
    if is_url(location):
        from borderkg.store.auth import resolve
        from borderkg.store.remote import RemoteStore

        url, credentials = resolve(str(location), user, password)
        return RemoteStore.from_url(url, read_only=read_only, auth=credentials, graphs_under=(GRAPHS_NAMESPACE,))
    return OxigraphStore(location, read_only=read_only)


__all__ = ["GENERATION_FILE", "GRAPHS_NAMESPACE", "SNAPSHOTS_DIR", "GraphStore", "OxigraphStore", "is_url", "open_store",
           "published", "replace_update"]
