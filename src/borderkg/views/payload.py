"""Data shared by the interactive views: events, oblasts and their colours, as JSON-ready dicts."""

from __future__ import annotations

from borderkg.views.model import ViewData
from borderkg.views.page import card_href, event_anchor

RUSSIAN_SIDE = "#c0392b"
OBLAST_COLOURS = {
    "by-vitebsk-oblast": "#1f77b4", "by-mogilev-oblast": "#2ca02c", "by-minsk-oblast": "#9467bd",
    "by-gomel-oblast": "#ff7f0e", "by-grodno-oblast": "#17becf", "by-brest-oblast": "#8c564b",
    "by-minsk": "#e377c2",
}
SPARE_COLOURS = ("#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173")
UNKNOWN_COLOUR = "#7f7f7f"
TWIN_COLOUR = "#1e8449"
EDGE_COLOUR = "#7f8c9d"


def node_size(joint_events: int) -> float:
    """A node's size as the network view draws it (network.js: ``7 + 2.5 * sqrt(count)``).

    >>> node_size(0), node_size(4)
    (7.0, 12.0)
    """
    return round(7 + 2.5 * joint_events ** 0.5, 2)


def edge_style(twinned: bool, joint_events: int) -> tuple[str, float]:
    """An edge's colour and width as the network view draws it (network.js).

    >>> edge_style(True, 4)
    ('#1e8449', 4.2)
    """
    return (TWIN_COLOUR if twinned else EDGE_COLOUR), round(1 + 1.6 * joint_events ** 0.5, 2)


def oblast_colour(oblast_id: str, known: list[str]) -> str:
    """A fixed colour per Belarusian oblast; others get spare colours in a stable order.

    >>> oblast_colour("by-vitebsk-oblast", []), oblast_colour("", [])
    ('#1f77b4', '#7f7f7f')
    >>> oblast_colour("x-2", ["x-1", "x-2"])
    '#393b79'
    """
    if oblast_id in OBLAST_COLOURS:
        return OBLAST_COLOURS[oblast_id]
    if not oblast_id:
        return UNKNOWN_COLOUR
    others = sorted(o for o in known if o not in OBLAST_COLOURS and o)
    if oblast_id not in others:
        return UNKNOWN_COLOUR
    return SPARE_COLOURS[others.index(oblast_id) % len(SPARE_COLOURS)]


def oblasts_payload(data: ViewData) -> list[dict]:
    """The oblasts of the partner places: id, name, colour, sorted by name."""
    used = sorted({p.oblast for p in data.places.values()}, key=data.oblast_label)
    return [{"id": o, "name": data.oblast_label(o), "colour": oblast_colour(o, used)} for o in used]


def events_payload(data: ViewData, root: str = "") -> tuple[list[dict], dict[str, int]]:
    """Every event as a dict the pages' scripts read, and event id → its index in the list.

    Categories are indices into ``data.categories()``; ``card`` links to the event on its
    municipality's card (empty when no municipality is known).
    """
    categories = {label: i for i, label in enumerate(data.categories())}
    out, index = [], {}
    for i, event in enumerate(data.events):
        index[event.id] = i
        out.append({
            "name": event.name, "date": date_text(event.start, event.end), "year": event.year,
            "quarter": event.quarter, "cats": [categories[c] for c in event.category_labels],
            "doc": event.source.document, "row": event.source.row,
            "municipality": event.municipality or "",
            "card": (f"{card_href(event.municipality, root)}#{event_anchor(event.id)}"
                     if event.municipality else ""),
        })
    return out, index


def date_text(start: str | None, end: str | None) -> str:
    """
    >>> date_text("2025-04-01", "2025-04-03"), date_text("2025-04", "2025-04"), date_text(None, None)
    ('2025-04-01 – 2025-04-03', '2025-04', 'дата не указана')
    """
    if not start:
        return "дата не указана"
    return start if not end or end == start else f"{start} – {end}"
