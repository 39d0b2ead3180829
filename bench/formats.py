"""The Q2 2025 report in every format a municipality sends, each scored against the gold.

From the shipped .txt: a .docx (python-docx, one table, merged section rows, as the tests
write it), then .doc, .odt and .rtf converted by LibreOffice, a PDF printed by LibreOffice,
and a 300-dpi greyscale scan of that PDF with noise (an image-only PDF). Each file is read
and extracted by borderkg and scored with the shared scorer's metrics against the gold; the
table printed has one line per format, and the OCR throughput in pages per minute.

    .venv/bin/python bench/formats.py --gold ../shared/gold/gold001.jsonl [--out DIR] [--scan-pages N] [--misses]

``--scan-pages`` scans only the first N pages (a quick look; the targets are for all).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_REPORT = ROOT / "data" / "reports" / "001_5746b6576caafdfe.txt"
SCAN_DPI = 300
NOISE_SEED = 7
COLUMN_INCHES = (0.5, 1.9, 1.5, 1.2, 3.3, 2.1)  # №, name, place, dates, content, participants


def write_docx(document, path: Path) -> Path:
    """A .docx of a read report: its leading paragraphs, then one table of its rows, a
    single-cell row (a section header) merged across the table as in the municipalities' files."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Inches

    from borderkg.document import Paragraph, TableRow

    word = docx.Document()
    page = word.sections[0]  # A4 landscape, the reports' page
    page.orientation, page.page_width, page.page_height = WD_ORIENT.LANDSCAPE, Inches(11.69), Inches(8.27)
    page.left_margin = page.right_margin = Inches(0.6)
    rows = [b for b in document.blocks if isinstance(b, TableRow)]
    width = max(len(r.cells) for r in rows)
    table = None
    for block in document.blocks:
        if isinstance(block, Paragraph):
            word.add_paragraph(block.text)
            continue
        cells = table.add_row().cells if table else (table := word.add_table(rows=1, cols=width)).rows[0].cells
        if len(block.cells) == 1:
            cells[0].merge(cells[-1]).text = block.cells[0]
        else:
            for cell, text in zip(cells, block.cells):
                cell.text = text
    table.style = "Table Grid"  # ruled, as the reports are
    table.autofit = False
    for column, inches in zip(table.columns, COLUMN_INCHES):
        column.width = Inches(inches)
        for cell in column.cells:
            cell.width = Inches(inches)
    word.save(path)
    return path


def scan(pdf: Path, out: Path, pages: int | None = None, dpi: int = SCAN_DPI) -> Path:
    """An image-only PDF of ``pdf``'s pages rendered at ``dpi`` in greyscale, with the noise of
    a scanner: grain, a little blur, specks, a faint grey background."""
    import pypdfium2
    from PIL import Image, ImageFilter

    rng = random.Random(NOISE_SEED)
    document = pypdfium2.PdfDocument(str(pdf))
    images = []
    for index in range(min(pages or len(document), len(document))):
        image = document[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        image = image.filter(ImageFilter.GaussianBlur(0.6))
        noise = Image.effect_noise(image.size, 18)  # grain around 128
        image = Image.blend(image, noise, 0.12).point(lambda v: min(255, v + 8))
        pixels = image.load()
        for _ in range(image.width * image.height // 4000):  # specks of dust
            pixels[rng.randrange(image.width), rng.randrange(image.height)] = rng.randrange(0, 90)
        images.append(image)
    images[0].save(out, save_all=True, append_images=images[1:], resolution=dpi)
    return out


def make_formats(out: Path, scan_pages: int | None = None) -> dict[str, Path]:
    """The report in every format, written under ``out`` (reused when already there)."""
    from borderkg.read import read_document
    from borderkg.read.office import convert

    out.mkdir(parents=True, exist_ok=True)
    stem = SOURCE_REPORT.stem
    files = {"txt": SOURCE_REPORT, "docx": out / f"{stem}.docx"}
    if not files["docx"].exists():
        write_docx(read_document(SOURCE_REPORT), files["docx"])
    # LibreOffice 7.4 drops the table of a python-docx file saved as .doc, not of an .odt.
    for name, target, source in (("odt", "odt", "docx"), ("doc", "doc:MS Word 97", "odt"),
                                 ("rtf", "rtf", "docx"), ("pdf", "pdf", "docx")):
        files[name] = out / f"{stem}.{name}"
        if not files[name].exists():
            files[name].write_bytes(convert(files[source], files[source].read_bytes(), target))
    files = {name: files[name] for name in ("txt", "docx", "doc", "odt", "rtf", "pdf")}
    files["scan"] = out / f"{stem}.scan{scan_pages or ''}.pdf"
    if not files["scan"].exists():
        scan(files["pdf"], files["scan"], scan_pages)
    return files


def figures_of(scores) -> dict[str, float]:
    """Every figure the scorer prints: the rows found, the accuracies, each P, R and F1."""
    prf = {f"{metric}_{name}": value for metric, values in scores.prf.items()
           for name, value in zip(("p", "r", "f1"), values)}
    return {"rows": scores.rows_found, **scores.accuracy, **prf}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("/tmp/borderkg-formats"))
    parser.add_argument("--scan-pages", type=int, default=None)
    parser.add_argument("--misses", action="store_true", help="list what a format got wrong")
    args = parser.parse_args(argv)
    from borderkg.evaluate import load_records, score
    from borderkg.extract import Extractor
    from borderkg.extract.record import to_gold_record
    from borderkg.read import read_document

    files = make_formats(args.out, args.scan_pages)
    gold = load_records(args.gold.read_text(encoding="utf-8").splitlines())
    extractor = Extractor()
    print(f"{'format':6s} {'rows':>7s} {'municip.':>8s} {'dates':>6s} {'raion F1':>8s} "
          f"{'max |Δ| vs txt':>14s} {'read s':>7s}")
    baseline = None
    for name, path in files.items():
        started = time.monotonic()
        document = read_document(path)
        elapsed = time.monotonic() - started
        scores = score(gold, load_records(to_gold_record(e, extractor.gazetteer).to_json()
                                          for e in extractor.extract(document)))
        figures = figures_of(scores)
        baseline = baseline or figures
        delta = max(abs(figures[k] - baseline[k]) for k in baseline if k != "rows")
        print(f"{name:6s} {scores.rows_found:>3d}/{scores.rows_gold:<3d} {figures['municipality_acc']:8.3f} "
              f"{figures['dates_acc']:6.3f} {figures['raions_f1']:8.3f} {delta:14.3f} {elapsed:7.1f}", flush=True)
        if delta and args.misses:
            for metric, rows in scores.misses.items():
                print("\n".join(f"       miss {metric}: {row}" for row in rows))
        if document.extraction_method == "ocr":
            pages = page_count(path)
            print(f"       OCR: {pages} pages in {elapsed:.0f} s = {pages / elapsed * 60:.1f} pages/min "
                  f"(mean word confidence {document.ocr_confidence:.3f}; {os.cpu_count()} cores, "
                  "machine shared with other jobs)", flush=True)
    return 0


def page_count(path: Path) -> int:
    import pypdfium2

    with pypdfium2.PdfDocument(str(path)) as pdf:
        return len(pdf)


if __name__ == "__main__":
    sys.exit(main())
