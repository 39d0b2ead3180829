"""The embedded store: a pyoxigraph (RocksDB) directory on disk.

Each source document is one named graph, replaced whole when its content changes. Writes
of one graph are a single transaction, and the document's content hash is written in the
same transaction as its triples, so a build killed half-way leaves either the old graph,
no graph (re-ingested next time) or the new one — never half of it.

Other processes must not open the directory while a build writes it (RocksDB: undefined
behaviour), so a writer *publishes* what it finished: a snapshot (``Store.backup``, hard
links) in ``borderkg-snapshots/N`` inside the store directory, then the generation ``N`` in
the file ``borderkg-generation``, replaced atomically. A reader (``borderkg serve``) watches
that file and copies the snapshot it names, which no process writes any more.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import BinaryIO, Iterable

from borderkg.errors import QueryError, StoreError
from borderkg.paths import STORE
from borderkg.store.sparql import (DOCUMENT_HASHES, as_nquads, graph_triples, patch_update, replace_update,
                                   serialize_ntriples)


GENERATION_FILE = "borderkg-generation"  # in the store directory: the last published generation
SNAPSHOTS_DIR = "borderkg-snapshots"     # in the store directory: one snapshot per generation


def published(path: str | Path) -> tuple[int, Path] | None:
    """The generation last published in the store directory ``path`` and its snapshot, or
    None when nothing was (a store written before publishing existed, or never closed)."""
    try:
        generation = int((Path(path) / GENERATION_FILE).read_text(encoding="ascii").strip())
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    snapshot = Path(path) / SNAPSHOTS_DIR / str(generation)
    return (generation, snapshot) if snapshot.is_dir() else None


class OxigraphStore:
    """The embedded store: a pyoxigraph (RocksDB) directory, by default ``data/store``."""

    _dirty = False  # written since the last publish()
    parallel_writes = True  # updates from several threads at once are safe (each is a transaction)

    def __init__(self, path: str | Path = STORE, read_only: bool = False) -> None:
        import pyoxigraph

        self.path = Path(path)
        self.read_only = read_only
        try:
            if read_only:
                if not self.path.exists():
                    raise StoreError(f"no store at {self.path}: run `borderkg build` first")
                if self.path.is_dir() and not (self.path / "CURRENT").exists():  # RocksDB's own file
                    raise StoreError(f"{self.path} holds no store: run `borderkg build --store {self.path}` first")
                self._store = pyoxigraph.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = pyoxigraph.Store(str(self.path))
        except OSError as exc:
            text = str(exc)
            if "lock" in text.lower():
                raise StoreError(f"the store {self.path} is in use by another borderkg process "
                                 "(a build is running); wait for it to finish") from exc
            raise StoreError(f"cannot open the store {self.path}: {text}") from exc

    @classmethod
    def in_memory(cls) -> "OxigraphStore":
        """A store in memory, for tests and one-off conversions."""
        import pyoxigraph

        self = cls.__new__(cls)
        self.path = None
        self.read_only = False
        self._store = pyoxigraph.Store()
        return self

    @property
    def native(self):
        """The underlying ``pyoxigraph.Store``, for tests that set up a store by hand; borderkg
        itself goes through the :class:`~borderkg.store.GraphStore` methods."""
        return self._store

    def __repr__(self) -> str:
        return f"OxigraphStore({str(self.path) if self.path else ':memory:'!r})"

    def quads(self) -> Iterable:
        """Every quad of the store, graph by graph."""
        return self._store.quads_for_pattern(None, None, None, None)

    def dump(self, output: BinaryIO, format, prefixes: dict[str, str] | None = None) -> None:
        """The whole dataset in a dataset format (``RdfFormat.TRIG``, ``N_QUADS``) to ``output``."""
        self._store.dump(output, format, prefixes=prefixes)

    def document_hashes(self) -> dict[str, str]:
        """File name → content hash of every document in the store."""
        return {row["id"].value: row["sha"].value for row in self._store.query(DOCUMENT_HASHES)}

    def replace_graph(self, graph: str, quads: Iterable) -> None:
        """Replace one named graph in a single update, which Oxigraph applies whole or not
        at all: a crash leaves the old graph or the new one."""
        self.replace_graph_ntriples(graph, serialize_ntriples(graph_triples(graph, quads)))

    def replace_graph_ntriples(self, graph: str, ntriples: bytes, merge: tuple[str, bytes] | None = None) -> None:
        """:meth:`replace_graph` with the triples already serialised as N-Triples (what a
        build worker sends), so the writing process neither parses nor re-serialises them.
        ``merge`` is (another graph, N-Triples) added to that graph in the same update."""
        import pyoxigraph

        self._dirty = True
        if not self._store.contains_named_graph(pyoxigraph.NamedNode(graph)):
            # A new graph (every document of a first build): nothing to drop, and one load of
            # N-Quads, a transaction as an update is, takes half the time of parsing the same
            # triples as INSERT DATA.
            parts = [as_nquads(graph, ntriples), *([as_nquads(*merge)] if merge else [])]
            if None not in parts:
                self._store.load(b"".join(parts), format=pyoxigraph.RdfFormat.N_QUADS)
                return
        self._store.update(replace_update(graph, ntriples, merge))

    def patch_graph(self, graph: str, removed: bytes, added: bytes, whole) -> None:
        """Take the N-Triples ``removed`` out of ``graph`` and add ``added``, in one update
        (``whole``, the graph as it is to be or a function giving it, is for backends that
        can only replace a graph)."""
        self._dirty = True
        self._store.update(patch_update(graph, removed, added))

    def remove_graph(self, graph: str) -> None:
        import pyoxigraph

        node = pyoxigraph.NamedNode(graph)
        if self._store.contains_named_graph(node):
            self._dirty = True
            self._store.remove_graph(node)

    def query(self, sparql: str, *, default_graph: str | list[str] | None = None, **kwargs):
        """Run a query (pyoxigraph's keywords); ``default_graph`` makes that named graph (or
        the union of those) the default graph."""
        if default_graph is not None:
            import pyoxigraph

            graphs = [default_graph] if isinstance(default_graph, str) else default_graph
            kwargs["default_graph"] = [pyoxigraph.NamedNode(graph) for graph in graphs]
        try:
            return self._store.query(sparql, **kwargs)
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL: {exc}") from exc
        except (RuntimeError, OSError, ValueError) as exc:
            raise QueryError(f"the query failed: {exc}") from exc

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def triple_count(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()

    def publish(self) -> int | None:
        """Flush, and publish the store as it is now for readers in other processes: a
        snapshot, then the generation file naming it. Returns the new generation (None for a
        store in memory or read-only). Only the previous snapshot is kept besides, for a
        reader still copying it."""
        if self.path is None or self.read_only:
            return None
        self._store.flush()
        last = published(self.path)
        generation = (last[0] if last else 0) + 1
        snapshots = self.path / SNAPSHOTS_DIR
        target = snapshots / str(generation)
        try:
            snapshots.mkdir(exist_ok=True)
            if target.exists():  # left by a writer killed before it wrote the generation
                shutil.rmtree(target)
            self._store.backup(str(target))
            marker = self.path / GENERATION_FILE
            temporary = marker.with_name(marker.name + ".tmp")
            with open(temporary, "w", encoding="ascii") as handle:
                handle.write(f"{generation}\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, marker)
        except OSError as exc:
            raise StoreError(f"cannot publish a snapshot of the store {self.path}: {exc}") from exc
        for old in snapshots.iterdir():
            if old.name.isdigit() and int(old.name) < generation - 1:
                shutil.rmtree(old, ignore_errors=True)
        self._dirty = False
        return generation

    def close(self) -> None:
        """Flush and release the store; what was written since the last publish is published.
        Closing a closed store does nothing."""
        if not hasattr(self, "_store"):
            return
        if self._dirty:
            self.publish()
        self.flush()
        del self._store
