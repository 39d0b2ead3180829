"""The figures every surface shows, read by the SELECTs of ``queries/views/``.

Each notion a user sees (events, joint events, partnerships, partners, twin links,
agreements, organisation activity: ``queries/README.md`` defines them) is computed once, in
the derived layers (``queries/derived/``) that every build recomputes. The build summary
(``ingest.totals``), the views (``views.data``) and the exports (``export``) read them
through the queries named here, so that they cannot tell different numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from borderkg.paths import QUERIES

VIEW_QUERIES = QUERIES / "views"
TOTALS = VIEW_QUERIES / "totals.rq"
MUNICIPALITIES = VIEW_QUERIES / "municipalities.rq"
PLACES = VIEW_QUERIES / "places.rq"
OBLASTS = VIEW_QUERIES / "oblasts.rq"
EVENTS = VIEW_QUERIES / "events.rq"
ROW_TEXTS = VIEW_QUERIES / "row-texts.rq"
EVENT_PARTNERS = VIEW_QUERIES / "event-partners.rq"
EVENT_CATEGORIES = VIEW_QUERIES / "event-categories.rq"
AGREEMENTS = VIEW_QUERIES / "agreements.rq"
TWIN_LINKS = VIEW_QUERIES / "twin-links.rq"
PARTNERSHIPS = VIEW_QUERIES / "partnerships.rq"
NAMES = VIEW_QUERIES / "names.rq"
ORGANISATIONS = VIEW_QUERIES / "organisations.rq"
# Saved queries the views read as they are: the «что дальше» figures have one definition.
DYNAMICS = QUERIES / "partnership-dynamics.rq"
QUIET = QUERIES / "quiet-partnerships.rq"

# The build summary's lines, in order: totals.rq's columns (the triples are the store's own count).
TOTALS_COLUMNS = ("documents", "events", "events_elsewhere", "with_belarus", "joint_events",
                  "municipalities", "belarusian_places", "partnerships", "twin_links", "agreements")


def select(store, query: Path) -> Iterator[dict[str, str]]:
    """Rows of the SELECT in ``query`` over the union of all graphs, as dicts of plain
    strings (unbound variables are absent).

    >>> from borderkg.store import OxigraphStore
    >>> [row["name"] for row in select(OxigraphStore.in_memory(), OBLASTS)]
    []
    """
    from borderkg.vocab import PREFIXES

    result = store.query(query.read_text(encoding="utf-8"), use_default_graph_as_union=True, prefixes=PREFIXES)
    names = [v.value for v in result.variables]
    for solution in result:
        yield {n: solution[n].value for n in names if solution[n] is not None}


def totals(store) -> dict[str, int]:
    """The whole graph's figures (``queries/views/totals.rq``), by ``TOTALS_COLUMNS``.

    >>> from borderkg.store import OxigraphStore
    >>> totals(OxigraphStore.in_memory())["partnerships"]
    0
    """
    row = next(select(store, TOTALS), {})
    return {name: int(row.get(name, 0)) for name in TOTALS_COLUMNS}
