"""The entity page (``/entity?iri=…``): a resource's label and types, what it says, what links
to it, and its sources as :func:`borderkg.explain.explain` quotes them. Every fact is asked of
the engine through the front (time limit, seal); the page is plain HTML, no script.
"""

from __future__ import annotations

import html
from urllib.parse import quote

import anyio
from pyoxigraph import NamedNode, QueryResultsFormat, parse_query_results

from borderkg.errors import BorderkgError
from borderkg.serve.front import Front
from borderkg.serve.policy import Refused
from borderkg.vocab import PREFIXES, RDF, RDFS, SCHEMA, SKOS

LABELS = (SCHEMA + "name", RDFS + "label", SKOS + "prefLabel")
MAX_LINKS = 200  # statements shown each way


class EngineStore:
    """What :mod:`borderkg.explain` needs of a store (``query``), answered by the engine from a
    worker thread of the event loop that runs the front."""

    def __init__(self, front: Front) -> None:
        self.front = front

    def query(self, sparql: str, use_default_graph_as_union: bool = True, prefixes=None):
        answer = anyio.from_thread.run(self.front.ask, sparql, "application/sparql-results+json")
        return parse_query_results(answer[2], format=QueryResultsFormat.JSON)


def short(iri: str) -> str:
    """An IRI written with the project's prefixes where one fits.

    >>> short("https://w3id.org/borderkg/ontology#Raion"), short("http://x.org/a")
    ('bkg:Raion', 'http://x.org/a')
    """
    for name, base in PREFIXES.items():
        if iri.startswith(base) and len(iri) > len(base):
            return f"{name}:{iri[len(base):]}"
    return iri


def link(iri: str) -> str:
    return f'<a class="iri" href="/entity?iri={quote(iri, safe="")}">{html.escape(short(iri))}</a>'


def cell(value: str, kind: str) -> str:
    return link(value) if kind == "uri" else f"<span>{html.escape(value)}</span>"


async def facts(front: Front, iri: str) -> tuple[list[dict], list[dict]]:
    term = str(NamedNode(iri))
    out = await front.select(f"SELECT ?p ?o (ISIRI(?o) AS ?isIri) WHERE {{ {term} ?p ?o }} "
                             f"ORDER BY ?p ?o LIMIT {MAX_LINKS}")
    into = await front.select(f"SELECT ?s ?p (SAMPLE(?l) AS ?label) WHERE {{ ?s ?p {term} "
                              f"OPTIONAL {{ ?s <{SCHEMA}name> ?l }} }} GROUP BY ?s ?p "
                              f"ORDER BY ?p ?s LIMIT {MAX_LINKS}")
    return out, into


async def sources(front: Front, iri: str) -> list[str]:
    from borderkg.explain import explain

    try:
        return await anyio.to_thread.run_sync(explain, EngineStore(front), iri)
    except BorderkgError:
        return []  # not an event, mention, twin link or agreement: nothing to quote


async def entity_page(front: Front, iri: str) -> str:
    """The HTML page of the resource ``iri``; ``Refused(400)`` for a malformed IRI."""
    try:
        NamedNode(iri)
    except ValueError:
        raise Refused(400, f"not an IRI: {iri[:100]}") from None
    out, into = await facts(front, iri)
    if not out and not into:
        raise Refused(404, f"nothing is known of <{iri[:200]}> in this graph")
    labels = [r["o"] for r in out if r["p"] in LABELS]
    types = [r["o"] for r in out if r["p"] == RDF + "type"]
    title = labels[0] if labels else short(iri)
    said = "".join(f"<tr><td>{link(r['p'])}</td><td>{cell(r['o'], 'uri' if r['isIri'] == 'true' else 'literal')}</td></tr>"
                   for r in out)
    linked = "".join(f"<tr><td>{link(r['s'])}</td><td>{html.escape(r.get('label', ''))}</td>"
                     f"<td>{link(r['p'])}</td></tr>" for r in into)
    quoted = "\n".join(html.escape(line) for line in await sources(front, iri))
    editor = quote(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}", safe="")
    return f"""<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>{html.escape(title)} — borderkg</title><link rel="stylesheet" href="/query.css"></head>
<body class="entity"><p><a href="/">← редактор запросов</a> · <a href="/?query={editor}">открыть в редакторе</a></p>
<h1 id="label">{html.escape(title)}</h1>
<p><code id="iri">{html.escape(iri)}</code></p>
<p id="types">Тип: {", ".join(link(t) for t in types) or "не указан"}</p>
<h2>Источники</h2>{f'<pre id="sources">{quoted}</pre>' if quoted else '<p id="sources">Нет цитат: источники приводятся для мероприятий, упоминаний партнёров, побратимских связей и соглашений.</p>'}
<h2>Свойства</h2><table id="out"><tr><th>свойство</th><th>значение</th></tr>{said}</table>
<h2>Что ссылается на эту сущность</h2><table id="in"><tr><th>сущность</th><th>название</th><th>свойство</th></tr>{linked}</table>
</body></html>"""
