"""Why is a fact in the graph? Quote the source text behind an event, a partner link
(a mention), a twin link or an agreement.

>>> expand("id:event/r.txt/3")
'https://w3id.org/borderkg/id/event/r.txt/3'
"""

from __future__ import annotations

import re

from borderkg.errors import QueryError
from borderkg.vocab import PREFIXES


def expand(iri: str) -> str:
    """Accept a full IRI, ``<IRI>`` or a prefixed name (``id:event/…``)."""
    iri = iri.strip().strip("<>")
    prefix, _, rest = iri.partition(":")
    if prefix in PREFIXES and not rest.startswith("//"):
        return PREFIXES[prefix] + rest
    return iri


def _select(store, sparql: str, **values) -> list[dict[str, str]]:
    """Rows of ``sparql`` with each of ``values`` bound as an IRI term, never pasted as text."""
    from borderkg.query import bind_terms, iri_term

    terms = {name: iri_term(value, "explain:") for name, value in values.items()}
    result = store.query(bind_terms(sparql, terms, "explain"), use_default_graph_as_union=True,
                         prefixes=PREFIXES)
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in result]


def quote(text: str, start: int, end: int, width: int = 70) -> str:
    r"""The source text around a mention, the mention in brackets.

    >>> quote("делегация г. Кричева\nпосетила", 13, 20)
    '«делегация г. [Кричева] посетила»'
    """
    flat = lambda s: re.sub(r"\s+", " ", s)  # noqa: E731
    lead = "…" if start > width else ""
    tail = "…" if end + width < len(text) else ""
    return (f"«{lead}{flat(text[max(0, start - width):start]).lstrip()}[{flat(text[start:end])}]"
            f"{flat(text[end:end + width]).rstrip()}{tail}»")


def _sentences(text: str) -> list[str]:
    from razdel import sentenize  # knows «г.» and initials

    return [" ".join(s.text.split()) for s in sentenize(text)]


def _row(store, row: str) -> dict[str, str]:
    rows = _select(store, """SELECT ?doc ?n ?section WHERE { ?row bkg:rowNumber ?n ; dct:isPartOf/dct:identifier ?doc .
                             OPTIONAL { ?row bkg:section ?section } }""", row=row)
    return rows[0] if rows else {}


def _cell(store, row: str, field: str) -> str:
    rows = _select(store, f"SELECT ?t WHERE {{ ?row bkg:{field}Text ?t }}", row=row)
    return rows[0]["t"] if rows else ""


def _source_line(store, row: str) -> str:
    info = _row(store, row)
    if not info:
        return "source: (unknown row)"
    return f"source: {info['doc']}, row {info['n']}" + (f" (section «{info['section']}»)" if info.get("section") else "")


def explain_mention(store, mention: str) -> list[str]:
    info = _select(store, """SELECT ?text ?field ?start ?end ?extractor ?confidence ?target ?name ?row WHERE {
        ?m bkg:mentionText ?text ; bkg:inField ?field ; bkg:startOffset ?start ; bkg:endOffset ?end ;
           bkg:extractor ?extractor ; bkg:confidence ?confidence ; bkg:refersTo ?target ; prov:wasDerivedFrom ?row .
        OPTIONAL { ?target schema:name ?name } }""", m=mention)
    if not info:
        return []
    m = info[0]
    cell = _cell(store, m["row"], m["field"])
    return [f"partner link: «{m['text']}» → {m['name'] or m['target']} <{m['target']}>",
            f"  {_source_line(store, m['row'])}, {m['field']} cell, characters {m['start']}–{m['end']}",
            f"  text: {quote(cell, int(m['start']), int(m['end'])) if cell else m['text']}",
            f"  by: {m['extractor']} (confidence {m['confidence']})"]


def explain_event(store, event: str) -> list[str]:
    info = _select(store, """SELECT ?name ?muni ?start ?end ?row WHERE { ?e schema:name ?name ; prov:wasDerivedFrom ?row .
        OPTIONAL { ?e bkg:reportingMunicipality/schema:name ?muni }
        OPTIONAL { ?e schema:startDate ?start } OPTIONAL { ?e schema:endDate ?end } }""", e=event)
    if not info:
        return []
    e = info[0]
    lines = [f"event: {e['name']}", f"  {_source_line(store, e['row'])}"]
    if e["muni"]:
        lines.append(f"  reported by: {e['muni']}")
    dates = _cell(store, e["row"], "dates")
    if e["start"]:
        lines.append(f"  dates: {e['start']} – {e['end']}" + (f" (from «{' '.join(dates.split())}»)" if dates else ""))
    place = _cell(store, e["row"], "place")
    if place:
        lines.append(f"  place cell: «{' '.join(place.split())}»")
    mentions = _select(store, "SELECT ?m WHERE { ?e bkg:hasMention ?m . ?m bkg:startOffset ?s ; bkg:inField ?f } ORDER BY ?f ?s",
                       e=event)
    for m in mentions:
        lines += ["  " + line for line in explain_mention(store, m["m"])]
    for twin in _select(store, "SELECT ?t WHERE { ?e bkg:twinLink ?t }", e=event):
        lines += ["  " + line for line in explain_twin(store, twin["t"])]
    return lines


def explain_twin(store, link: str) -> list[str]:
    info = _select(store, """SELECT ?ru ?by ?row WHERE { ?l a bkg:TwinLink ; bkg:russianSide/schema:name ?ru ;
        bkg:belarusianSide/schema:name ?by ; prov:wasDerivedFrom ?row }""", l=link)
    if not info:
        return []
    t = info[0]
    lines = [f"twin link: {t['ru']} ↔ {t['by']}", f"  {_source_line(store, t['row'])}"]
    for field in ("name", "content", "participants"):
        text = _cell(store, t["row"], field)
        for sentence in _sentences(text):
            if "побратим" in sentence.lower():
                lines.append(f"  text ({field}): «{sentence}»")
    return lines


def explain_agreement(store, agreement: str) -> list[str]:
    info = _select(store, """SELECT ?kind ?row (GROUP_CONCAT(?party; separator=" | ") AS ?parties) WHERE {
        ?a bkg:agreementKind ?kind ; prov:wasDerivedFrom ?row . OPTIONAL { ?a bkg:partyName ?party } }
        GROUP BY ?kind ?row""", a=agreement)
    if not info:
        return []
    a = info[0]
    lines = [f"agreement ({a['kind']}): {a['parties']}", f"  {_source_line(store, a['row'])}"]
    content = _cell(store, a["row"], "content")
    for sentence in _sentences(content):
        if any(w in sentence.lower() for w in ("подпис", "заключ")):
            lines.append(f"  text: «{sentence}»")
    return lines


def explain(store, iri: str) -> list[str]:
    """Lines explaining why the resource is in the graph; QueryError when it is unknown."""
    iri = expand(iri)
    kinds = {r["t"] for r in _select(store, "SELECT ?t WHERE { ?s a ?t }", s=iri)}
    for kind, function in (("Event", explain_event), ("Mention", explain_mention),
                           ("TwinLink", explain_twin), ("Agreement", explain_agreement)):
        if any(k.endswith(kind) for k in kinds):
            return function(store, iri)
    if kinds:
        raise QueryError(f"{iri} is a {', '.join(sorted(k.rsplit('#', 1)[-1].rsplit('/', 1)[-1] for k in kinds))}: "
                         "explain takes an event, a mention (partner link), a twin link or an agreement")
    raise QueryError(f"{iri} is not in the graph")
