"""PDFs of the municipality cards, printed by the headless Chromium the browser tests use
(``views.browser``): each card on one A4 page, with the print stylesheet (no navigation,
links or controls) and, when a card is longer than a page, scaled down to fit it."""

from __future__ import annotations

from pathlib import Path

from borderkg.views.browser import chromium

A4_CONTENT_PX = (703, 1032)  # 210 × 297 mm less the 12 mm margins of views.css' @page, at 96 px per inch


def card_pdfs(out_dir: Path, cards: list[Path] | None = None, open_page=None) -> list[Path]:
    """Print ``out_dir/cards/*.html`` (or ``cards``) to PDFs beside them; returns their paths.
    ``open_page`` is an open ``browser.chromium()`` (one is started when None).

    Raises ``BrowserMissing`` (naming the package to install) when Chromium or Playwright
    is not there.
    """
    pages = sorted((Path(out_dir) / "cards").glob("*.html")) if cards is None else cards
    if open_page is None:
        with chromium(*A4_CONTENT_PX) as started:
            return card_pdfs(out_dir, pages, started)
    written = []
    for html in pages:
        visit = open_page(html.resolve().as_uri())
        page = visit.page
        page.emulate_media(media="print")
        scale = fitting_scale(page)
        target = html.with_suffix(".pdf")
        page.pdf(path=str(target), format="A4", print_background=True, scale=scale,
                 prefer_css_page_size=True)
        page.close()
        written.append(target)
    return written


def fitting_scale(page, steps: int = 7) -> float:
    """The largest print scale (0.1 to 1) at which the page fits one A4 page: at scale s
    Chromium lays it out 703/s px wide, so a smaller scale also makes it shorter (bisection)."""
    width, height = A4_CONTENT_PX

    def fits(scale: float) -> bool:
        page.set_viewport_size({"width": int(width / scale), "height": height})
        return page.evaluate("document.documentElement.scrollHeight") * scale <= height * 0.97

    if fits(1.0):
        return 1.0
    low, high = 0.1, 1.0
    for _ in range(steps):
        middle = (low + high) / 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low
