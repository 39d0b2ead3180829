"""The SPARQL protocol as clients expect it, as pure functions: the project's prefixes
predeclared (as the Wikidata service does), ``format=`` read as a media type, and the engine's
parser errors turned into one sentence.
"""

from __future__ import annotations

import re

from borderkg.serve.policy import Refused
from borderkg.vocab import PREFIXES

# format= values (the names Fuseki, Virtuoso and SPARQLWrapper send) and the media types they
# ask for; each names the form for SELECT/ASK and for CONSTRUCT/DESCRIBE where both exist.
FORMATS = {
    "json": "application/sparql-results+json, application/ld+json;q=0.9",
    "xml": "application/sparql-results+xml, application/rdf+xml;q=0.9",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
ALIASES = {"ttl": "turtle", "n3": "turtle", "nt": "ntriples", "n-triples": "ntriples",
           "json-ld": "jsonld", "rdf": "rdfxml", "rdf+xml": "rdfxml", "srj": "json", "srx": "xml"}

_DECLARED = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:")
_ERROR = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)
_PNAME_END = re.compile(r"(?:([A-Za-z][\w.-]*)?):[\w.:%-]*$")


def declared_prefixes(query: str) -> set[str]:
    """The prefix names a query declares itself (``""`` for the empty prefix).

    >>> sorted(declared_prefixes("PREFIX bkg: <x#> prefix  : <y#> SELECT * {}"))
    ['', 'bkg']
    """
    return {match.group(1) or "" for match in _DECLARED.finditer(query)}


def with_prefixes(query: str, prefixes: dict[str, str] = PREFIXES) -> tuple[str, int]:
    """The query with a ``PREFIX`` line put in front for each project prefix it does not
    declare itself, and how many lines were put in front (to give errors the user's line).

    >>> text, added = with_prefixes("PREFIX schema: <http://schema.org/>\\nSELECT * {}",
    ...                             {"bkg": "https://b/#", "schema": "https://schema.org/"})
    >>> print(text)
    PREFIX bkg: <https://b/#>
    PREFIX schema: <http://schema.org/>
    SELECT * {}
    >>> added
    1
    """
    own = declared_prefixes(query)
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items() if name not in own]
    if not lines:
        return query, 0
    return "\n".join(lines) + "\n" + query, len(lines)


def accept_for(fmt: str | None, accept: str | None) -> str:
    """The ``Accept`` to ask the engine for: the media type ``format=`` names (a name such as
    ``csv`` or a media type itself), else the client's own ``Accept``.

    >>> accept_for("csv", "application/json"), accept_for(None, "text/turtle")
    ('text/csv', 'text/turtle')
    >>> accept_for("text/tab-separated-values", None)
    'text/tab-separated-values'
    >>> accept_for("yaml", None)
    Traceback (most recent call last):
    borderkg.serve.policy.Refused: unknown format=yaml: use one of json, xml, csv, tsv, turtle, ntriples, jsonld, rdfxml (or a media type)
    """
    if not fmt:
        return accept or "*/*"
    name = fmt.strip().lower()
    name = ALIASES.get(name, name)
    if name in FORMATS:
        return FORMATS[name]
    if re.fullmatch(r"[a-z]+/[\w.+-]+", name):
        return name
    raise Refused(400, f"unknown format={fmt[:40]}: use one of {', '.join(FORMATS)} (or a media type)")


def error_sentence(message: str, query: str, added: int = 0) -> str:
    """One sentence for the engine's parser error ``message`` about ``query`` (the text the
    client sent; ``added`` lines were put in front of it before the engine read it).

    >>> error_sentence("error at 1:26: expected one of OPTIONAL, Prefix not found, ['%']",
    ...                "SELECT * WHERE { ?s foaf:x ?o }")
    'unknown prefix foaf: at line 1, column 21 (declare it with PREFIX foaf: <…>; predeclared: bkg, id, schema, org, prov, geo, skos, dct, rdf, rdfs, owl, xsd, wd)'
    >>> error_sentence("error at 7:9: expected one of \\"!\\", \\"$\\", [A-Z]", "SELECT *\\nWHERE { ?x", 5)
    'syntax error at line 2, column 9 near «?x»'
    >>> error_sentence("error at 1:21: expected CONSTRUCT", "SELECT * WHERE { ?x ")
    'syntax error at line 1, column 21 after «SELECT * WHERE { ?x»'
    """
    found = _ERROR.search(message)
    if not found:
        first = message.strip().splitlines()[0] if message.strip() else "the engine refused the query"
        return first[:300]
    line, column, detail = int(found.group(1)) - added, int(found.group(2)), found.group(3)
    lines = query.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if "Prefix not found" in detail:
        name = _PNAME_END.search(text[:column - 1])
        if name is not None:
            prefix = name.group(1) or ""
            known = ", ".join(PREFIXES)
            return (f"unknown prefix {prefix}: at line {line}, column {name.start() + 1} "
                    f"(declare it with PREFIX {prefix}: <…>; predeclared: {known})")
    rest = (text[column - 1:].strip() or " ".join(lines[line:]).strip())[:40]
    before = text[:column - 1].strip()[-40:]
    place = f"near «{rest}»" if rest else f"after «{before}»" if before else "at the end of the query"
    return f"syntax error at line {line}, column {column} {place}"
