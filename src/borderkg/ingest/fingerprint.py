"""The pipeline fingerprint: what, besides a document's own content, decides its triples.
A build whose fingerprint differs from the stored one links every document anew."""

from __future__ import annotations

from pathlib import Path

from borderkg.vocab import BKG, META_GRAPH


# What decides a document's triples besides its own content. Every file of the installed
# borderkg package is hashed except these, which only read the graph or serve it (so an edit
# of a linking rule, a reader or rdf.py — or an upgrade — relinks every document, while an
# edit of the views does not); a new module is in the fingerprint unless it is added here.
READ_ONLY_CODE = frozenset({"__main__.py", "cli.py", "commands", "evaluate.py", "explain.py",
                            "export.py", "goldens.py", "query.py", "serve", "serve.py",
                            "spreadsheet.py", "store", "validate.py", "views", "__pycache__",
                            "py.typed"})
CODE_ROOT = Path(__file__).resolve().parents[1]  # the installed package
NLP_DISTRIBUTIONS = ("natasha", "slovnet", "navec", "razdel", "yargy", "pymorphy3",
                     "pymorphy3-dicts-ru", "pyoxigraph")


def pipeline_code(root: Path | None = None) -> list[Path]:
    """The source files of the package that decide the graph (see ``READ_ONLY_CODE``)."""
    root = CODE_ROOT if root is None else root
    return sorted(path for path in root.rglob("*") if path.is_file()
                  and not READ_ONLY_CODE.intersection(path.relative_to(root).parts)
                  and path.suffix != ".pyc")


def pipeline_versions() -> list[str]:
    """``name==version`` of borderkg and of the libraries whose output enters the graph."""
    from importlib import metadata

    from borderkg import __version__

    found = [f"borderkg=={__version__}"]
    for name in NLP_DISTRIBUTIONS:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}==absent")
    return found


def pipeline_fingerprint(extractor) -> str:
    """What, besides a document's own content, decides its triples: the package's version
    and the code of its stages (reading, parsing, extraction, linking, rdf), the versions of
    the NLP libraries, the gazetteer and ontology files, and the curation files."""
    import hashlib

    from borderkg.paths import GAZETTEER, ONTOLOGY_FILES

    digest = hashlib.sha256("\n".join(pipeline_versions()).encode())
    for path in pipeline_code():
        digest.update(f"\0code {path.relative_to(CODE_ROOT).as_posix()}\0".encode() + path.read_bytes())
    data = [p for p in sorted(GAZETTEER.rglob("*")) if p.is_file()] + list(ONTOLOGY_FILES)
    for path in data:
        if path.exists():
            digest.update(f"\0data {path.name}\0".encode() + path.read_bytes())
    digest.update(extractor.curation.digest.encode())
    return digest.hexdigest()


def stored_fingerprint(store) -> str | None:
    rows = list(store.query(f"SELECT ?f WHERE {{ GRAPH <{META_GRAPH}> {{ ?b <{BKG}pipelineFingerprint> ?f }} }}"))
    return rows[0]["f"].value if rows else None


def meta_quads(fingerprint: str):
    from pyoxigraph import Literal, NamedNode, Quad

    build = NamedNode(META_GRAPH + "/build")
    return [Quad(build, NamedNode(f"{BKG}pipelineFingerprint"), Literal(fingerprint), NamedNode(META_GRAPH))]


