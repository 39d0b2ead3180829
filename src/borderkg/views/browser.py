"""Headless Chromium for checking the views as a person sees them (tests, the benchmark).

The adapter over Playwright: it drives the system Chromium (Debian's ``chromium`` package),
never a browser Playwright would download, with a fresh profile and no background traffic.
Every console error, page error and dialog is recorded on the returned ``Visit``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from borderkg.errors import BorderkgError

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class BrowserMissing(BorderkgError):
    """No Chromium or no Playwright here, so pages cannot be opened in a browser."""


def chromium_path() -> str | None:
    """The system Chromium (``BORDERKG_CHROMIUM`` overrides), or None."""
    for candidate in (os.environ.get("BORDERKG_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def why_no_browser() -> str | None:
    """None when pages can be opened, else the reason (for ``pytest.skip``)."""
    if chromium_path() is None:
        return "Chromium is not installed (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install playwright)"
    return None


@dataclass
class Visit:
    """One page opened in the browser and what it reported."""

    page: object
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@contextmanager
def chromium(width: int = 1400, height: int = 900):
    """A headless Chromium context; yields ``open(url) -> Visit``. Requests to anything but
    ``file:`` and loopback addresses are blocked, so a page that needs the internet fails."""
    reason = why_no_browser()
    if reason:
        raise BrowserMissing(reason)
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="borderkg-chromium-")
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile, executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS,
                viewport={"width": width, "height": height})
            context.route("**/*", _local_only)
            try:
                yield lambda url: _open(context, url)
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _local_only(route) -> None:
    url = route.request.url
    local = url.startswith(("file:", "data:", "blob:", "about:")) or any(
        url.startswith(f"http://{host}") for host in ("127.0.0.1", "localhost", "[::1]"))
    route.continue_() if local else route.abort()


def _open(context, url: str) -> Visit:
    page = context.new_page()
    visit = Visit(page)
    page.on("console", lambda msg: msg.type == "error" and visit.errors.append(f"console: {msg.text}"))
    page.on("pageerror", lambda exc: visit.errors.append(f"pageerror: {exc}"))
    page.on("requestfailed", lambda req: visit.errors.append(f"requestfailed: {req.url}"))

    def on_dialog(dialog):
        visit.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(url)
    return visit
