"""HTML reader: the main text (trafilatura drops scripts, styles, navigation and footers);
tables that look like a report (numbered rows of several cells) are kept as rows."""

from __future__ import annotations

from pathlib import Path

from borderkg.document import Block, Document, Paragraph, TableRow
from borderkg.errors import BadInputError
from borderkg.read.common import clean, make_document
from borderkg.read.text import ROW_NUMBER, decode


def read_html(path: Path, raw: bytes) -> Document:
    """Read an HTML page into paragraphs, or into table rows for a report table."""
    import lxml.html

    text = decode(path, raw)
    try:
        tree = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml raises ParserError on empty or garbled markup
        raise BadInputError(path, f"not parseable HTML ({exc})") from exc
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    title = clean(" ".join(tree.xpath("//title//text()"))) or clean(" ".join(tree.xpath("//h1[1]//text()")))
    # trafilatura gets the page without its scripts: it would keep <noscript> text
    blocks = _report_table(tree) or _main_text(lxml.html.tostring(tree, encoding="unicode"))
    if not blocks:
        raise BadInputError(path, "no readable text in the HTML page once its scripts, styles "
                                  "and navigation are dropped")
    return make_document(path, raw, blocks, title=" ".join(title.split()), media_type="text/html")


def _report_table(tree) -> list[Block]:
    """Paragraphs before the table, then its rows, when some table has numbered rows."""
    for table in tree.xpath("//table"):
        rows = [[clean(cell.text_content()) for cell in tr.xpath("./td|./th")]
                for tr in table.xpath(".//tr")]
        numbered = [r for r in rows if r and ROW_NUMBER.match(r[0]) and len(r) >= 4]
        if len(numbered) >= 2:
            blocks: list[Block] = []
            for el in table.xpath("preceding::*[self::p or self::h1 or self::h2 or self::h3]"):
                line = " ".join(clean(el.text_content()).split())
                if line:
                    blocks.append(Paragraph(line))
            blocks.extend(TableRow(tuple(r)) for r in rows if any(r))
            return blocks
    return []


def _main_text(text: str) -> list[Block]:
    import trafilatura

    main = trafilatura.extract(text, include_comments=False, include_tables=True,
                               favor_recall=True) or ""
    return [Paragraph(line) for line in clean(main).split("\n") if line]
