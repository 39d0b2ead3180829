"""Scans: page images read by OCR (Tesseract, Russian), the report table recovered from the
ruling lines of each page (:mod:`borderkg.read.grid`).

Each cell of the table is cut out (its rules erased) and recognised on its own, so that a
cell's words never run into the next column; the number cells with digits only. A page
without a ruled table is read as lines of text. Every row carries the mean confidence of
its words, and the document the mean of all, so that the graph can tell which events came
from OCR and how sure it was (``bkg:extractionMethod``, ``bkg:ocrConfidence``).

Tesseract reads all the cells of a page in one run (a list of images), so a page costs one
start of the program, not one per cell. Progress is shown per page on stderr.
"""

from __future__ import annotations

import io
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from borderkg.document import Block, Document, Paragraph, TableRow
from borderkg.errors import BadInputError, MissingToolError
from borderkg.read.common import clean, make_document, title_of
from borderkg.read.text import ROW_NUMBER

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
LANGUAGE = "rus"
TESSERACT_PACKAGES = "tesseract-ocr tesseract-ocr-rus"
SCAN_DPI = 300  # scanned PDF pages are rendered at this resolution
MAX_PAGES = 300  # a scan of more pages is refused: OCR takes about 10 s a page
MAX_PAGE_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 Mpx; more is a bomb, not a page
MIN_INK = 30  # dark pixels: a region with fewer is blank (what is left of specks)
PAD = 30  # white pixels around a region given to Tesseract
INSET = 6  # pixels cut from each side of a cell: what remains of its rules
OCR_TIMEOUT_S = 600  # for one page


@dataclass(frozen=True)
class Recognised:
    """The text of one image region and the confidences (0-100) of its words."""

    text: str
    confidences: tuple[float, ...]


def read_image(path: Path, raw: bytes) -> Document:
    """Read a scanned page image (.png, .jpg, a multi-page .tif) by OCR."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(raw))
        frames = getattr(image, "n_frames", 1)
        _check_pages(path, frames)
        pages = [frame.convert("L") for frame in _checked(path, ImageSequence.Iterator(image))]
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise BadInputError(path, f"not a readable image ({exc})") from exc
    except Image.DecompressionBombError as exc:
        raise BadInputError(path, f"image too large to be a page ({exc})") from exc
    return read_pages(path, raw, pages, media_type=Image.MIME.get(image.format or "", "image"))


def _checked(path: Path, frames):
    for frame in frames:
        if frame.width * frame.height > MAX_PAGE_PIXELS:
            raise BadInputError(path, f"a page of {frame.width}×{frame.height} pixels is too large "
                                      f"to be a scan (the limit is {MAX_PAGE_PIXELS // 1_000_000} Mpx)")
        yield frame


def _check_pages(path: Path, pages: int) -> None:
    if pages > MAX_PAGES:
        raise BadInputError(path, f"a scan of {pages} pages is more than the {MAX_PAGES} pages "
                                  "read by OCR (split the file)")


def read_scanned_pdf(path: Path, raw: bytes) -> Document:
    """Read a PDF without a text layer: its pages rendered at :data:`SCAN_DPI` and OCR'd."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(raw)
    except pypdfium2.PdfiumError as exc:
        raise BadInputError(path, f"not a readable PDF ({exc})") from exc
    _check_pages(path, len(pdf))

    def render():
        for page in pdf:
            width, height = page.get_size()
            scale = min(SCAN_DPI / 72, (MAX_PAGE_PIXELS / max(1.0, width * height)) ** 0.5)
            yield page.render(scale=scale, grayscale=True).to_pil().convert("L")

    try:
        return read_pages(path, raw, render(), media_type="application/pdf", pages=len(pdf))
    finally:
        pdf.close()


def read_pages(path: Path, raw: bytes, images, *, media_type: str, pages: int | None = None) -> Document:
    """OCR page images (greyscale PIL images) into a Document of paragraphs and table rows."""
    from tqdm import tqdm

    from borderkg.read.pdf import join_pages

    _check_tesseract(path)
    read: list[list[Block]] = []
    confidences: list[float] = []
    progress = tqdm(images, total=pages, desc=f"OCR {path.name}", unit="page", file=sys.stderr,
                    leave=False, disable=None)
    for image in progress:
        blocks, words = _page(path, image)
        read.append(blocks)
        confidences += words
    blocks = join_pages(read)
    if not blocks:
        raise BadInputError(path, "OCR found no text in the scan")
    mean = sum(confidences) / len(confidences) / 100 if confidences else 0.0
    return make_document(path, raw, blocks, title=title_of(blocks), media_type=media_type,
                         ocr_confidence=round(mean, 3))


def _check_tesseract(path: Path) -> None:
    import pytesseract

    try:
        languages = pytesseract.get_languages()
    except pytesseract.TesseractNotFoundError:
        raise MissingToolError(path, f"Tesseract is needed to read scans but is not installed "
                                     f"(Debian: apt-get install {TESSERACT_PACKAGES})") from None
    if LANGUAGE not in languages:
        raise MissingToolError(path, "Tesseract has no Russian data to read scans with "
                                     "(Debian: apt-get install tesseract-ocr-rus)")


def _page(path: Path, image) -> tuple[list[Block], list[float]]:
    """One page's blocks (text above the table, its rows, text below) and word confidences."""
    import numpy as np
    from PIL import ImageFilter

    from borderkg.read.grid import dark_pixels, find_grid

    # Rules are found in the page as it is (a median filter erases a rule one pixel thin);
    # the text is read with the specks filtered out, black on white: Tesseract misreads lone
    # digits on a grey, grainy page.
    grid = find_grid(dark_pixels(np.asarray(image)))
    ink = dark_pixels(np.asarray(image.filter(ImageFilter.MedianFilter(3))))
    if grid is None:
        (whole,) = _recognise(path, [ink], "--psm 4")
        return _paragraphs(whole), list(whole.confidences)
    ink = ink & ~grid.lines
    above, below = ink[: max(0, grid.top - INSET)], ink[grid.bottom + INSET:]
    numbers = [row[0] for row in grid.rows if len(row) >= 4]
    cells = [cell for row in grid.rows for cell in row if cell not in numbers]
    texts = _recognise(path, [above, below] + [_crop(ink, cell) for cell in cells], "--psm 6")
    digits = _recognise(path, [_crop(ink, cell) for cell in numbers],
                        "--psm 7 -c tessedit_char_whitelist=0123456789.")
    by_cell = dict(zip(cells, texts[2:])) | dict(zip(numbers, digits))
    blocks: list[Block] = _paragraphs(texts[0])
    for row in grid.rows:
        read = [by_cell[cell] for cell in row]
        text = [_unwrap(cell.text) for cell in read]
        if row[0] in numbers:
            text[0] = _row_number(text[0])
        if any(text):
            blocks.append(TableRow(tuple(text), ocr_confidence=_mean([c for cell in read for c in cell.confidences])))
    blocks += _paragraphs(texts[1])
    return blocks, [c for r in texts + digits for c in r.confidences]


def _crop(page, box):
    return page[box.top + INSET: box.bottom - INSET, box.left + INSET: box.right - INSET]


def _mean(confidences) -> float | None:
    return round(sum(confidences) / len(confidences) / 100, 3) if confidences else None


def _row_number(text: str) -> str:
    """A number cell as the reports write it («12.»), whatever dots OCR saw.

    >>> _row_number("12"), _row_number("7.."), _row_number("")
    ('12.', '7.', '')
    """
    digits = "".join(ch for ch in text if ch.isdigit())
    return f"{digits}." if digits and ROW_NUMBER.match(digits) else text


def _unwrap(text: str) -> str:
    from borderkg.read.pdf import unwrap

    return unwrap(clean(text))


def _paragraphs(recognised: Recognised) -> list[Block]:
    return [Paragraph(roman_quarter(line)) for line in clean(recognised.text).split("\n") if line]


# Tesseract's Russian model reads the Roman numerals of a quarter as Cyrillic letters.
_ROMAN_AS_CYRILLIC = {"П": "II", "Ш": "III", "11": "II", "111": "III", "1У": "IV", "IУ": "IV", "ТУ": "IV"}
_QUARTER_NUMERAL = re.compile(r"(?<!\w)(%s)(?=\s+квартал)" % "|".join(_ROMAN_AS_CYRILLIC))


def roman_quarter(text: str) -> str:
    """The quarter of a title with its Roman numeral as written, not as OCR saw it.

    >>> roman_quarter("округов Смоленской области во П квартале 2025 года")
    'округов Смоленской области во II квартале 2025 года'
    """
    return _QUARTER_NUMERAL.sub(lambda match: _ROMAN_AS_CYRILLIC[match[1]], text)


def _recognise(path: Path, regions, config: str) -> list[Recognised]:
    """OCR regions of a page (ink masks) in one Tesseract run; blank ones are skipped."""
    import numpy as np
    import pytesseract
    from PIL import Image

    results = [Recognised("", ())] * len(regions)
    with tempfile.TemporaryDirectory(prefix="borderkg-ocr-") as work:
        names: dict[int, str] = {}
        for i, region in enumerate(regions):
            if region.sum() < MIN_INK:
                continue
            ys, xs = np.flatnonzero(region.any(axis=1)), np.flatnonzero(region.any(axis=0))
            trimmed = region[ys[0]:ys[-1] + 1, xs[0]:xs[-1] + 1]
            names[i] = str(Path(work) / f"{i}.png")
            Image.fromarray(np.pad(np.where(trimmed, 0, 255).astype(np.uint8), PAD, constant_values=255)) \
                .save(names[i], dpi=(SCAN_DPI, SCAN_DPI))
        if not names:
            return results
        listing = Path(work) / "images.txt"
        listing.write_text("\n".join(names.values()) + "\n")
        try:
            data = pytesseract.image_to_data(str(listing), lang=LANGUAGE, config=config,
                                             output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT_S)
        except RuntimeError as exc:  # pytesseract's timeout
            raise BadInputError(path, f"OCR of a page took longer than {OCR_TIMEOUT_S} s: stopped") from exc
        except pytesseract.TesseractError as exc:
            raise BadInputError(path, f"Tesseract failed on a page ({exc.message.strip()})") from exc
    order = list(names)
    lines: dict[tuple[int, int, int, int], list[tuple[int, str, float]]] = {}
    for page, block, par, line, left, word, conf in zip(
            data["page_num"], data["block_num"], data["par_num"], data["line_num"], data["left"],
            data["text"], data["conf"]):
        if str(word).strip():
            lines.setdefault((page, block, par, line), []).append((left, str(word), float(conf)))
    by_image: dict[int, list[list[tuple[int, str, float]]]] = {}
    for (page, *_), words in sorted(lines.items()):
        by_image.setdefault(order[page - 1], []).append(sorted(words))
    for i, image_lines in by_image.items():
        results[i] = Recognised("\n".join(" ".join(w for _, w, _ in words) for words in image_lines),
                                tuple(c for words in image_lines for *_, c in words if c >= 0))
    return results
