"""Every format a municipality sends: .doc, .odt, .rtf (LibreOffice), PDF tables (pdfplumber)
and scans (Tesseract), read into the same rows as the .txt and .docx.

The fixtures are made at test time from the test report (tests/conftest.py) with the bench's
own helpers (bench/formats.py), once per session. A test skips only when a system tool is
missing (``make install`` and ``.ci/run`` install them).
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from borderkg.document import OCR, TEXT_LAYER, TableRow
from borderkg.errors import BadInputError, MissingToolError
from borderkg.parse import parse_report
from borderkg.read import MB, SUFFIXES, is_supported, max_file_bytes, read_document

from conftest import Q2_2025, report_text

BENCH = Path(__file__).resolve().parents[1] / "bench"
needs_libreoffice = pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                                       reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
needs_tesseract = pytest.mark.skipif(not shutil.which("tesseract"),
                                     reason="Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-rus)")


def bench_formats():
    spec = importlib.util.spec_from_file_location("bench_formats", BENCH / "formats.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def formats():
    return bench_formats()


@pytest.fixture(scope="session")
def converted(tmp_path_factory, formats):
    """The test report as .docx (ruled table), then .odt, .doc, .rtf and PDF by LibreOffice."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    from borderkg.read.office import convert

    folder = tmp_path_factory.mktemp("formats")
    txt = folder / "report.txt"
    txt.write_text(report_text(), encoding="utf-8")
    files = {"txt": txt, "docx": formats.write_docx(read_document(txt), folder / "report.docx")}
    for name, target, source in (("odt", "odt", "docx"), ("doc", "doc:MS Word 97", "odt"),
                                 ("rtf", "rtf", "docx"), ("pdf", "pdf", "docx")):
        files[name] = folder / f"report.{name}"
        files[name].write_bytes(convert(files[source], files[source].read_bytes(), target))
    return files


@pytest.fixture(scope="session")
def scanned(converted, formats):
    """The PDF's page as a 300-dpi scan with noise (an image-only PDF), read by OCR once."""
    if not shutil.which("tesseract"):
        pytest.skip("Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-rus)")
    path = formats.scan(converted["pdf"], converted["pdf"].with_name("scan.pdf"))
    return path, read_document(path)


def rows_by_number(document) -> dict[int, tuple[str, dict]]:
    """The report rows: number -> (section, cells by column), whitespace normalised."""
    report = parse_report(document)
    return {row.n: (row.section, {column: " ".join(text.split()) for column, text in row.cells.items()})
            for row in report.rows}


def test_new_kinds_are_supported():
    for name in ("a.doc", "a.ODT", "a.rtf", "a.pdf", "a.png", "a.jpg", "a.tif", "a.tiff"):
        assert is_supported(name), name


@needs_libreoffice
@pytest.mark.parametrize("kind", ["doc", "odt", "rtf", "pdf"])
def test_office_and_pdf_give_the_rows_of_the_txt(converted, kind):
    document = read_document(converted[kind])
    assert document.extraction_method == TEXT_LAYER and document.ocr_confidence is None
    assert document.title.startswith("Отчет о мероприятиях") and document.period.label == "2025-Q2"
    expected = rows_by_number(read_document(converted["txt"]))
    assert rows_by_number(document) == expected
    assert sorted(expected) == [61, 75, 76]
    assert expected[61][0].startswith("Муниципальное образование «Руднянский")


@needs_libreoffice
def test_the_whole_q2_report_as_pdf_keeps_every_row_across_page_breaks(tmp_path, formats):
    """97 rows over several pages: rows cut by a page break are joined, headers kept."""
    from borderkg.read.office import convert

    docx = formats.write_docx(read_document(Q2_2025), tmp_path / "q2.docx")
    pdf = tmp_path / "q2.pdf"
    pdf.write_bytes(convert(docx, docx.read_bytes(), "pdf"))
    got, expected = rows_by_number(read_document(pdf)), rows_by_number(read_document(Q2_2025))
    assert sorted(got) == sorted(expected) == list(range(1, 98))
    assert {n: section for n, (section, _) in got.items()} == {n: s for n, (s, _) in expected.items()}
    same = sum(got[n][1] == expected[n][1] for n in expected)
    assert same >= 94, f"only {same} of 97 rows read with the cells of the .txt"


@needs_libreoffice
def test_a_file_that_is_not_its_kind_is_named(tmp_path):
    for name in ("fake.doc", "fake.odt", "fake.rtf"):
        path = tmp_path / name
        path.write_bytes(b"just some text, renamed")
        with pytest.raises(BadInputError, match=rf"{name}: not a \.\w+ file"):
            read_document(path)


def test_without_libreoffice_the_error_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = tmp_path / "report.odt"
    path.write_bytes(b"PK\x03\x04rest of an odt")
    with pytest.raises(MissingToolError, match="apt-get install libreoffice-writer-nogui"):
        read_document(path)


@needs_libreoffice
def test_a_conversion_past_its_timeout_is_stopped(converted, monkeypatch):
    from borderkg.read import office

    monkeypatch.setattr(office, "CONVERT_TIMEOUT_S", 0.05)
    with pytest.raises(BadInputError, match="LibreOffice took longer than 0.05 s"):
        read_document(converted["odt"])


@needs_tesseract
def test_a_scan_is_read_by_ocr_with_its_table(scanned, converted):
    path, document = scanned
    assert document.extraction_method == OCR and 0.8 < document.ocr_confidence <= 1
    assert document.period.label == "2025-Q2"
    got, expected = rows_by_number(document), rows_by_number(read_document(converted["txt"]))
    assert sorted(got) == [61, 75, 76]
    assert {n: s for n, (s, _) in got.items()} == {n: s for n, (s, _) in expected.items()}
    assert got[61][1] == expected[61][1]  # a clean row is read word for word
    rows = [b for b in document.blocks if isinstance(b, TableRow) and len(b.cells) == 6]
    assert all(0.5 < row.ocr_confidence <= 1 for row in rows[1:])


@needs_tesseract
def test_an_ocr_event_says_so_in_the_graph_and_in_explain(scanned, tmp_path, extractor):
    from borderkg.explain import explain
    from borderkg.ingest import build
    from borderkg.store import OxigraphStore

    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(scanned[0], folder / "scan.pdf")
    store = OxigraphStore(tmp_path / "store")
    report = build([folder], store, extractor)
    assert len(report.stored) == 1, report.failed
    confidences = {str(row[0].value): float(row[1].value) for row in store.query(
        "SELECT ?s ?c WHERE { GRAPH ?g { ?s <https://w3id.org/borderkg/ontology#extractionMethod> \"ocr\" ; "
        "<https://w3id.org/borderkg/ontology#ocrConfidence> ?c } }")}
    rows = [iri for iri in confidences if "/row/" in iri]
    assert len(rows) == 3 and any(iri.endswith("/document/scan.pdf") for iri in confidences)
    assert all(0.5 < c <= 1 for c in confidences.values())
    lines = explain(store, rows[0].replace("/row/", "/event/"))
    assert any(line.startswith("  read by OCR from a scan (word confidence 0.") for line in lines), lines
    store.close()


@needs_tesseract
def test_a_page_image_is_read_like_a_scan(scanned, tmp_path):
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(scanned[0]))
    png = tmp_path / "page.png"
    pdf[0].render(scale=200 / 72).to_pil().convert("L").save(png)  # a 200-dpi photo of the page
    pdf.close()
    document = read_document(png)
    assert document.extraction_method == OCR and document.media_type == "image/png"
    assert "Руднянский" in document.text


def test_a_page_image_too_large_to_be_a_page_is_refused(tmp_path):
    from PIL import Image

    path = tmp_path / "huge.png"
    Image.new("1", (10_000, 7_000), 1).save(path)  # 70 Mpx, a few kB on disk
    with pytest.raises(BadInputError, match="huge.png: a page of 10000×7000 pixels is too large"):
        read_document(path)


def test_a_scan_of_too_many_pages_is_refused(tmp_path, monkeypatch):
    from PIL import Image

    from borderkg.read import ocr

    monkeypatch.setattr(ocr, "MAX_PAGES", 2)
    path = tmp_path / "pages.tif"
    pages = [Image.new("L", (100, 100), 255) for _ in range(3)]
    pages[0].save(path, save_all=True, append_images=pages[1:])
    with pytest.raises(BadInputError, match="a scan of 3 pages is more than the 2 pages"):
        read_document(path)


def test_without_tesseract_the_error_names_the_packages(tmp_path, monkeypatch):
    import pytesseract
    from PIL import Image

    def missing():
        raise pytesseract.TesseractNotFoundError()

    monkeypatch.setattr(pytesseract, "get_languages", missing)
    path = tmp_path / "page.png"
    Image.new("L", (200, 200), 255).save(path)
    with pytest.raises(MissingToolError, match="apt-get install tesseract-ocr tesseract-ocr-rus"):
        read_document(path)


def test_the_size_limit_depends_on_the_kind(tmp_path, monkeypatch):
    """A 25 MB scan is a normal PDF; a 25 MB .txt is not a report. The variable still rules all."""
    for name in ("big.txt", "big.pdf"):
        with open(tmp_path / name, "wb") as handle:
            handle.truncate(25 * MB)  # sparse: no time or disk spent
    with pytest.raises(BadInputError, match="file too large: 25.0 MB, the limit is 20 MB"):
        read_document(tmp_path / "big.txt")
    with pytest.raises(BadInputError, match="big.pdf: not a readable PDF"):  # read, not refused on size
        read_document(tmp_path / "big.pdf")
    assert max_file_bytes(SUFFIXES[".pdf"]) == 100 * MB
    monkeypatch.setenv("BORDERKG_MAX_FILE_MB", "10")
    with pytest.raises(BadInputError, match="big.pdf: file too large: 25.0 MB, the limit is 10 MB"):
        read_document(tmp_path / "big.pdf")


def test_a_document_with_a_text_layer_gets_no_ocr_provenance(report_txt_path):
    from borderkg.rdf import ocr_provenance_quads

    assert ocr_provenance_quads(read_document(report_txt_path), []) == []


@needs_libreoffice
@needs_tesseract
def test_a_folder_of_every_kind_is_stored_and_each_other_entry_named(tmp_path, formats, scanned,
                                                                      extractor):
    """Issue 14's folder: one report of every kind (each of its own quarter, so none is the
    same report as another), a scan, an unsupported file and a re-sent copy under a new name:
    every report is stored, the other two are named with their reason."""
    from borderkg.ingest import build
    from borderkg.read.office import convert
    from borderkg.store import OxigraphStore

    folder = tmp_path / "reports"
    folder.mkdir()
    years = {"txt": 2019, "docx": 2020, "odt": 2021, "doc": 2022, "rtf": 2023, "pdf": 2024}
    sources = {}
    for kind, year in years.items():
        title = f"Отчет о мероприятиях в международной сфере во II квартале {year} года"
        txt = tmp_path / f"{year}.txt"
        txt.write_text(report_text(title=title), encoding="utf-8")
        sources[kind] = txt
    (folder / "q2-2019.txt").write_bytes(sources["txt"].read_bytes())
    for kind in ("docx", "odt", "doc", "rtf", "pdf"):
        docx = formats.write_docx(read_document(sources[kind]), tmp_path / f"{kind}.docx")
        if kind == "docx":
            (folder / "q2-2020.docx").write_bytes(docx.read_bytes())
            continue
        source = docx
        if kind == "doc":  # LibreOffice keeps the table of a python-docx file only through .odt
            source = tmp_path / "doc-step.odt"
            source.write_bytes(convert(docx, docx.read_bytes(), "odt"))
        target = {"doc": "doc:MS Word 97"}.get(kind, kind)
        (folder / f"q2-{years[kind]}.{kind}").write_bytes(convert(source, source.read_bytes(), target))
    shutil.copy(scanned[0], folder / "q2-2025-scan.pdf")
    # named after the original, so path order keeps the original (the rule: first by path)
    (folder / "resent-q2-2020.docx").write_bytes((folder / "q2-2020.docx").read_bytes())
    (folder / "notes.xyz").write_text("not a report", encoding="utf-8")

    report = build([folder], OxigraphStore(tmp_path / "store"), extractor)
    stored = sorted(Path(name).name for name in report.stored)
    assert not report.failed, report.failed
    assert stored == sorted(["q2-2019.txt", "q2-2020.docx", "q2-2021.odt", "q2-2022.doc",
                             "q2-2023.rtf", "q2-2024.pdf", "q2-2025-scan.pdf"])
    skipped = {Path(entry).name: why for entry, why in report.skipped}
    assert set(skipped) == {"resent-q2-2020.docx", "notes.xyz"}, skipped
    assert "q2-2020.docx" in skipped["resent-q2-2020.docx"]
