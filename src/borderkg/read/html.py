"""HTML reader: the main text (trafilatura drops scripts, styles, navigation and footers);
tables that look like a report (numbered rows of several cells) are kept as rows."""

from __future__ import annotations

from html.parser import HTMLParser
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
        if _depth(tree) >= MAX_DEPTH:  # libxml2 drops what lies past 256 levels: unwrap first
            tree = lxml.html.document_fromstring(unwrap_deep(text))
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


# Elements nested deeper than this are unwrapped, their text kept: libxml2 stops building the
# tree at 256 levels and drops everything below (200,000 nested <div> read as no text).
MAX_DEPTH = 100
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_KEPT = frozenset("script style noscript template title textarea".split())  # dropped with their text later


def _depth(tree) -> int:
    """How deep the elements of a tree nest (without recursion)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


def unwrap_deep(markup: str, limit: int = MAX_DEPTH) -> str:
    """The markup with the tags of elements nested deeper than ``limit`` left out (but for
    scripts, styles and the like, which are dropped whole later), and every text, comment
    and shallower tag as it was (the standard library's tokenizer, in one pass).

    >>> unwrap_deep("<div>" * 5 + "<p>Текст &amp; ещё</p>" + "</div>" * 5, limit=2)
    '<div><div>Текст &amp; ещё</div></div>'
    """
    flattener = _Unwrapper(limit)
    flattener.feed(markup)
    flattener.close()
    return "".join(flattener.out)


class _Unwrapper(HTMLParser):
    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=False)
        self.limit, self.out, self.open = limit, [], []

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID:
            self.open.append(tag)
        if tag in _VOID or tag in _KEPT or len(self.open) <= self.limit:
            self.out.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag not in self.open:
            return  # a stray end tag
        while self.open:
            top = self.open.pop()
            if top in _KEPT or len(self.open) < self.limit:
                self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")
