"""Open the built docs in headless Chromium and fail on what a reader would hit.

    python docs/check_built.py docs/_build/html [--screenshots DIR]

For each page checked (the tutorial, the quick start, the FAQ and the front page): no console
error or uncaught exception while it loads, no theme error box (furo draws its warnings as CSS
``::before`` text starting with "ERROR"), and every internal link points at a page of the build
and, where it has a ``#fragment``, at an id on that page. Uses the system's Chromium (as the
``browser`` env does: ``KIT_BROWSER``, else /usr/bin/chromium); never downloads one.
"""

from __future__ import annotations

import argparse
import functools
import html.parser
import os
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

PAGES = ["tutorial.html", "quickstart.html", "faq.html", "index.html"]
ERROR_BOXES = """() => [...document.querySelectorAll('*')].flatMap(el =>
  ['::before', '::after'].map(p => getComputedStyle(el, p).content)
    .filter(c => c && c !== 'none' && /^"ERROR/.test(c))
    .map(c => `${el.tagName.toLowerCase()}.${el.className}: ${c.slice(1, 80)}`))"""


class _Ids(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)


@functools.cache
def _ids(page: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(page.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


class _Handler(SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/favicon.ico":  # asked for by the browser, not by a page of the docs
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


def _chromium() -> str:
    for candidate in (os.environ.get("KIT_BROWSER"), "/usr/bin/chromium", "chromium"):
        if candidate and (found := shutil.which(candidate)):
            return found
    raise SystemExit(
        "No Chromium found: install it (apt-get install chromium) or set KIT_BROWSER."
    )


def check(root: Path, screenshots: Path | None) -> list[str]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Handler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    problems: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=_chromium(), headless=True)
            for name in PAGES:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                errors: list[str] = []
                page.on(
                    "console",
                    lambda msg, errors=errors: (
                        errors.append(msg.text) if msg.type == "error" else None
                    ),
                )
                page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
                page.goto(base + name, wait_until="networkidle")
                problems += [f"{name}: console error: {error}" for error in errors]
                problems += [
                    f"{name}: theme error box: {box}" for box in page.evaluate(ERROR_BOXES)
                ]
                hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
                for href in sorted(set(hrefs)):
                    if not href.startswith(base):
                        continue  # another site, or mailto:
                    parts = urlsplit(href)
                    target = root / unquote(parts.path.removeprefix(urlsplit(base).path))
                    if target.is_dir():
                        target = target / "index.html"
                    shown = href.removeprefix(base)
                    if not target.is_file():
                        problems.append(f"{name}: broken link {shown}: no such page")
                    elif (
                        parts.fragment
                        and target.suffix == ".html"
                        and unquote(parts.fragment) not in _ids(target)
                    ):
                        problems.append(f"{name}: broken link {shown}: no such anchor")
                if screenshots is not None:
                    screenshots.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(screenshots / f"{Path(name).stem}.png"))
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--screenshots", type=Path)
    args = parser.parse_args()
    problems = check(args.root.resolve(), args.screenshots)
    if problems:
        print("The built docs have problems:", *problems, sep="\n  ")
        return 1
    print(
        f"Built docs checked in Chromium: {', '.join(PAGES)}: no console errors, no theme "
        "error box, every internal link resolves."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
