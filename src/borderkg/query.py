"""Saved SPARQL queries: one ``.rq`` file a question in ``queries/``, with a header
comment naming its title, description and parameters::

    # title: Belarusian partners of a municipality
    # description: Raions and towns that took part in the municipality's events.
    # param: municipality literal  Руднянский муниципальный округ

Parameters are bound as RDF terms: each value becomes one RDF term (escaped by the RDF
library's own serialiser) in a trailing ``VALUES`` clause, so a value can never change the
query's structure — it is data, not text pasted into the query.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from borderkg.errors import QueryError
from borderkg.paths import QUERIES
from borderkg.vocab import PREFIXES, XSD

XSD_STRING = XSD + "string"

PARAM_KINDS = ("literal", "iri", "int", "date", "year")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    default: str | None = None


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = field(default_factory=tuple)


def parse_header(name: str, path: Path, text: str) -> SavedQuery:
    """Read the header comment of a saved query.

    >>> q = parse_header("x", Path("x.rq"), "# title: T\\n# param: m literal  Рудня\\nSELECT * {}")
    >>> q.title, q.params
    ('T', (Param(name='m', kind='literal', default='Рудня'),))
    """
    meta: dict[str, str] = {}
    params = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = re.match(r"#\s*(\w+):\s*(.*)", line)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        if key == "param":
            parts = value.split(None, 2)
            if len(parts) < 2 or parts[1] not in PARAM_KINDS:
                raise QueryError(f"{path}: bad param line {line!r}: expected '# param: NAME KIND [DEFAULT]' "
                                 f"with KIND one of {', '.join(PARAM_KINDS)}")
            params.append(Param(parts[0], parts[1], parts[2].strip() if len(parts) > 2 else None))
        else:
            meta[key] = (meta.get(key, "") + " " + value).strip()
    return SavedQuery(name, path, text, meta.get("title", ""), meta.get("description", ""), tuple(params))


def saved_queries(directory: Path = QUERIES) -> list[SavedQuery]:
    """Every saved query, by name."""
    return [load_query(str(p)) for p in sorted(directory.glob("*.rq"))]


def load_query(name: str, directory: Path = QUERIES) -> SavedQuery:
    """A saved query by name (``partners-of-municipality``) or a path to a ``.rq`` file."""
    path = Path(name)
    if not (path.suffix == ".rq" and path.exists()):
        path = directory / f"{name}.rq"
    if not path.exists():
        known = ", ".join(p.stem for p in sorted(directory.glob("*.rq"))) or "none"
        raise QueryError(f"no saved query named {name!r} (known: {known})")
    return parse_header(path.stem, path, path.read_text(encoding="utf-8"))


def parse_params(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``NAME=VALUE`` pairs from the command line.

    >>> parse_params(["municipality=город Смоленск"])
    {'municipality': 'город Смоленск'}
    """
    values = {}
    for pair in pairs:
        if "=" not in pair:
            raise QueryError(f"parameter {pair!r} is not NAME=VALUE")
        key, value = pair.split("=", 1)
        values[key.strip()] = value
    return values


def _term(param: Param, value: str):
    """The RDF term of one parameter value, checked against its kind: a QueryError names the
    parameter and the form expected.

    >>> _term(Param("from", "date"), "2025-04-01")
    <Literal value=2025-04-01 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>
    >>> _term(Param("from", "date"), "2025-13-45")
    Traceback (most recent call last):
    ...
    borderkg.errors.QueryError: parameter from: '2025-13-45' is not a date (YYYY-MM-DD, e.g. 2025-04-01): month must be in 1..12
    >>> _term(Param("top", "int"), "five")
    Traceback (most recent call last):
    ...
    borderkg.errors.QueryError: parameter top: 'five' is not a whole number (e.g. 5)
    """
    from pyoxigraph import Literal, NamedNode

    text = value.strip()
    if param.kind == "iri":
        return iri_term(value, f"parameter {param.name}:")
    if param.kind == "int":
        if not re.fullmatch(r"[-+]?\d{1,18}", text):
            raise QueryError(f"parameter {param.name}: {value!r} is not a whole number (e.g. 5)")
        return Literal(str(int(text)), datatype=NamedNode(PREFIXES["xsd"] + "integer"))
    if param.kind == "year":
        if not re.fullmatch(r"\d{4}", text):
            raise QueryError(f"parameter {param.name}: {value!r} is not a year (YYYY, e.g. 2025)")
        return Literal(text, datatype=NamedNode(PREFIXES["xsd"] + "gYear"))
    if param.kind == "date":
        expected = f"parameter {param.name}: {value!r} is not a date (YYYY-MM-DD, e.g. 2025-04-01)"
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise QueryError(expected)
        try:
            datetime.date.fromisoformat(text)
        except ValueError as exc:
            raise QueryError(f"{expected}: {exc}") from None
        return Literal(text, datatype=NamedNode(PREFIXES["xsd"] + "date"))
    return Literal(value)


def bindings(saved: SavedQuery, values: dict[str, str]) -> dict:
    """RDF terms for the query's parameters: given values, else defaults."""
    from pyoxigraph import Variable

    unknown = set(values) - {p.name for p in saved.params}
    if unknown:
        known = ", ".join(p.name for p in saved.params) or "none"
        raise QueryError(f"query {saved.name!r} has no parameter {', '.join(sorted(unknown))} (parameters: {known})")
    terms = {}
    for param in saved.params:
        value = values.get(param.name, param.default)
        if value is None:
            raise QueryError(f"query {saved.name!r} needs --param {param.name}=…")
        terms[Variable(param.name)] = _term(param, value)
    return terms


def bound_text(saved: SavedQuery, values: dict[str, str] | None = None) -> str:
    """The query text with its parameters bound by a VALUES block opening the WHERE clause
    (so that FILTERs see them), each value one RDF term serialised by pyoxigraph.

    >>> q = parse_header("x", Path("x.rq"), "# param: m literal\\nSELECT ?s WHERE { ?s ?p ?m }")
    >>> print(bound_text(q, {"m": 'a" } DROP ALL'}))
    # param: m literal
    SELECT ?s WHERE { VALUES (?m) { ("a\\" } DROP ALL"^^<http://www.w3.org/2001/XMLSchema#string>) }
     ?s ?p ?m }
    """
    return bind_terms(saved.text, bindings(saved, values or {}), saved.name)


def term_text(term) -> str:
    """One term in SPARQL text, a simple literal with its datatype written out: the same term
    (RDF 1.1), which Virtuoso 7 needs — its ``STR()`` of a bare non-ASCII literal gives ``?``s.

    >>> from pyoxigraph import Literal
    >>> term_text(Literal("Орша")), term_text(Literal("Орша", language="ru"))
    ('"Орша"^^<http://www.w3.org/2001/XMLSchema#string>', '"Орша"@ru')
    """
    from pyoxigraph import Literal

    if isinstance(term, Literal) and term.language is None and term.datatype.value == XSD_STRING:
        return f"{term}^^<{XSD_STRING}>"
    return str(term)


def values_block(variables, rows) -> str:
    """A VALUES block of ``rows`` of terms (each serialised by :func:`term_text`) for
    ``variables`` (names or ``Variable``s).

    >>> from pyoxigraph import NamedNode
    >>> values_block(["e"], [[NamedNode("urn:a")], [NamedNode("urn:b")]])
    'VALUES (?e) { (<urn:a>) (<urn:b>) }'
    """
    names = " ".join(f"?{getattr(v, 'value', v)}" for v in variables)
    body = " ".join("(" + " ".join(term_text(t) for t in row) + ")" for row in rows)
    return f"VALUES ({names}) {{ {body} }}"


def bind_values(text: str, variables, rows, name: str = "query") -> str:
    """``text`` with ``variables`` bound to ``rows`` of terms by a VALUES block opening its
    WHERE clause (the first ``WHERE {``, or the first ``{``; comment lines are skipped).

    >>> from pyoxigraph import NamedNode
    >>> bind_values("CONSTRUCT { ?p ?x ?y } WHERE { ?p ?x ?y }", ["p"], [[NamedNode("urn:p")]])
    'CONSTRUCT { ?p ?x ?y } WHERE { VALUES (?p) { (<urn:p>) }\\n ?p ?x ?y }'
    """
    # Search with comment lines blanked out (same length), so offsets stay those of the text.
    body = re.sub(r"(?m)^#.*$", lambda m: " " * len(m.group(0)), text)
    match = re.search(r"\bWHERE\s*\{", body, re.IGNORECASE) or re.search(r"\{", body)
    if match is None:
        raise QueryError(f"query {name!r} has no WHERE clause to bind parameters in")
    offset = match.end()
    return f"{text[:offset]} {values_block(variables, rows)}\n{text[offset:]}"


def bind_terms(text: str, terms: dict, name: str = "query") -> str:
    """``text`` with ``terms`` (variable name or ``Variable`` → pyoxigraph term) bound by a
    VALUES block opening its WHERE clause: every value is one term serialised by pyoxigraph,
    so that no value can change the query's structure. Every query the CLI builds from user
    input binds it this way (``query -p``, ``explain``).

    >>> from pyoxigraph import NamedNode
    >>> bind_terms("SELECT ?t WHERE { ?s a ?t }", {"s": NamedNode("urn:x")})
    'SELECT ?t WHERE { VALUES (?s) { (<urn:x>) }\\n ?s a ?t }'
    """
    if not terms:
        return text
    return bind_values(text, list(terms), [list(terms.values())], name)


IRI_CHARACTERS = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", re.IGNORECASE)


def iri_term(value: str, what: str = "value"):
    """``value`` as an IRI term, or a QueryError naming ``what`` when it is not an IRI.

    >>> iri_term("https://w3id.org/borderkg/id/event/x")
    <NamedNode value=https://w3id.org/borderkg/id/event/x>
    >>> iri_term("urn:x> } SERVICE <http://127.0.0.1:9/x> { ?a ?b ?c", "explain:")
    Traceback (most recent call last):
    ...
    borderkg.errors.QueryError: explain: 'urn:x> } SERVICE <http://127.0.0.1:9/x> { ?a ?b ?c' is not an IRI (scheme:…, without spaces or any of <>"{}|^`\\)
    """
    from pyoxigraph import NamedNode

    if IRI_CHARACTERS.match(value):
        try:
            return NamedNode(value)
        except ValueError:
            pass
    raise QueryError(f"{what} {value!r} is not an IRI (scheme:…, without spaces or any of <>\"{{}}|^`\\)")


def run_query(store, saved: SavedQuery, values: dict[str, str] | None = None):
    """Run a saved query over the union of all graphs, parameters bound as RDF terms."""
    return store.query(bound_text(saved, values), use_default_graph_as_union=True, prefixes=PREFIXES)


def _cell(term) -> str:
    if term is None:
        return ""
    return term.value


def result_rows(result) -> tuple[list[str], list[list[str]]]:
    """Column names and rows (as text) of a SELECT result."""
    names = [v.value for v in result.variables]
    return names, [[_cell(solution[name]) for name in names] for solution in result]


def format_results(result, fmt: str = "table") -> str:
    """SELECT results as an aligned table, CSV or JSON (a list of objects); ASK as a word;
    CONSTRUCT/DESCRIBE as N-Triples."""
    from pyoxigraph import QueryBoolean

    if isinstance(result, (bool, QueryBoolean)):
        result = bool(result)
        return ("true" if result else "false") + "\n"
    if not hasattr(result, "variables"):
        return "".join(f"{triple} .\n" for triple in result)
    names, rows = result_rows(result)
    if fmt == "json":
        return json.dumps([dict(zip(names, row)) for row in rows], ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":  # opened in spreadsheets too: cells made safe (borderkg.spreadsheet)
        from borderkg.spreadsheet import safe_row

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(safe_row(names))
        writer.writerows(safe_row(row) for row in rows)
        return out.getvalue()
    widths = [min(60, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths)),
             "  ".join("-" * w for w in widths)]
    for row in rows:
        lines.append("  ".join((c if len(c) <= w else c[: w - 1] + "…").ljust(w) for c, w in zip(row, widths)))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"
