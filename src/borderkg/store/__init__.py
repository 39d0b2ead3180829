"""The triple store: the embedded Oxigraph backend (:mod:`borderkg.store.embedded`) and a
remote SPARQL store (:mod:`borderkg.store.remote`)."""

from borderkg.store.embedded import (GENERATION_FILE, SNAPSHOTS_DIR, GraphStore, OxigraphStore,
                                     open_store, published, replace_update)

__all__ = ["GENERATION_FILE", "SNAPSHOTS_DIR", "GraphStore", "OxigraphStore", "open_store",
           "published", "replace_update"]
