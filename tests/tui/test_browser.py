"""The served app in a real browser: headless Chromium opens the page, a key trains one epoch,
and closing the tab ends its app.

Needs the ``playwright`` package (the ``web`` extra) and the system's Chromium (Debian's
``chromium``; playwright's own browser download is not used).
"""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest

from .serving import alive, served, wait_until

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[web]')")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

# The page keeps its xterm.js terminal in a local variable; catch it as it is built (its
# constructor sets ``fitAddon`` right after ``terminal``) to read the screen's text.
READ_SCREEN = """
Object.defineProperty(Object.prototype, 'fitAddon', {
  configurable: true,
  set(value) {
    window.__terminal = this.terminal;
    Object.defineProperty(this, 'fitAddon',
                          {value, writable: true, configurable: true, enumerable: true});
  },
});
window.__screenText = () => {
  const buffer = window.__terminal.buffer.active;
  const lines = [];
  for (let y = 0; y < buffer.length; y++) lines.push(buffer.getLine(y).translateToString(true));
  return lines.join('\\n');
};
"""


def block_other_hosts(page, url: str) -> list[str]:
    """Abort every request ``page`` makes that is not to ``url``'s host; the list of those
    requests fills as they are made."""
    ours = urlsplit(url).netloc
    blocked: list[str] = []

    def route(request_route) -> None:
        request_url = request_route.request.url
        if urlsplit(request_url).netloc == ours or request_url.startswith("data:"):
            request_route.continue_()
        else:
            blocked.append(request_url)
            request_route.abort()

    page.route("**/*", route)
    return blocked


def test_the_page_answers_keys_and_closing_the_tab_ends_its_app(tmp_path) -> None:
    """With every other host blocked, the page shows the app's question for the student's
    name, and asked no other host for anything (its font included); a click, a name and
    enter show the app at epoch 0, and n epoch 1; closing the tab ends the tab's app;
    ctrl+c then stops the server (checked by ``served``)."""
    with served(["xor"], cwd=tmp_path) as server, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            blocked = block_other_hosts(page, server.url)
            page.add_init_script(READ_SCREEN)
            page.goto(server.url)
            page.wait_for_function("window.__terminal && /Your name/.test(window.__screenText())",
                                   timeout=20_000)
            assert blocked == []
            assert page.evaluate("document.fonts.load('16px \"Roboto Mono\"')"
                                 ".then(faces => faces.length)") > 0, "the font is served"
            [app] = server.apps()
            page.click("#terminal")
            page.keyboard.type("Lin")
            page.keyboard.press("Enter")
            page.wait_for_function(r"/epoch 0/.test(window.__screenText())", timeout=20_000)
            page.keyboard.press("n")
            page.wait_for_function(r"/epoch 1\b/.test(window.__screenText())", timeout=20_000)
            assert "epoch 1" in page.evaluate("window.__screenText()")
            page.close()
            wait_until(lambda: not alive(app), 10, "the closed tab's app ended")
        finally:
            browser.close()
