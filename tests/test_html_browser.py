"""``-f html`` in a real browser: headless Chromium loads every worked example's page and
the test asserts that every formula is typeset (no MathML ``merror``, no LaTeX left as
text), that nothing is wider than an 800-pixel screen or than an A4 page when printed
(a wide table or equation scrolls in its own box on screen), and keeps a screenshot of
each page in ``artifacts/html-screenshots/`` (git-ignored; CI keeps it as an artefact).

Chromium is driven through the DevTools protocol over a pipe (``--remote-debugging-pipe``:
JSON messages separated by NUL bytes on file descriptors 3 and 4), so the test needs
nothing beyond the standard library. Skipped where no Chromium is installed
(``.ci/run`` installs it from the system packages when it can).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("latex2mathml")
pytest.importorskip("mdit_py_plugins")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(path.stem for path in (ROOT / "worked_examples").glob("*.toml") if not path.stem.endswith("-answers"))
SCREENSHOTS = ROOT / "artifacts" / "html-screenshots"
SCREEN_WIDTH = 800
PRINT_WIDTH = 680  # A4 (210 mm) less the page's 15 mm margins, in CSS pixels (96 per inch)
MAX_SHOT_HEIGHT = 12000
REPLY_TIMEOUT = 60  # seconds
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--remote-debugging-pipe"]

# What the page looks like to the test, once its fonts are in: math not typeset, and anything
# wider than the viewport outside a box that scrolls (an element inside one may be as wide as it likes).
MEASURE = """document.fonts.ready.then(() => {
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.scroll, .math.block') && !el.matches('.scroll, .math.block')) continue;
    const box = el.getBoundingClientRect();
    if (box.right > innerWidth + 0.5 || box.left < -0.5) wide.push(el.tagName + ' ' + Math.round(box.right));
  }
  const shown = [...document.querySelectorAll('math')].map(m => m.textContent).filter(t => t.includes('\\\\'));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth, wide,
          merror: document.querySelectorAll('merror').length, math: document.querySelectorAll('math').length,
          latexShown: shown, height: document.documentElement.scrollHeight};
})"""


def _chromium() -> str | None:
    """Debian's and Ubuntu's names for the browser."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One headless Chromium with one page, spoken to over the DevTools pipe."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def descriptors() -> None:  # the child reads commands on fd 3, writes replies on fd 4 (inheritable)
            read, write = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser_read, from_browser_write))
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.process = subprocess.Popen([executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        preexec_fn=descriptors, close_fds=False)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session=True)

    def _messages(self) -> Iterator[dict[str, Any]]:
        while True:
            while b"\0" not in self._buffer:
                if not select.select([self._from_browser], [], [], REPLY_TIMEOUT)[0]:
                    raise RuntimeError(f"Chromium did not answer in {REPLY_TIMEOUT} s")
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buffer += chunk
            message, self._buffer = self._buffer.split(b"\0", 1)
            yield json.loads(message)

    def call(self, method: str, session: bool = False, wait_for: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command; its result (after the event ``wait_for`` when one is named)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        result, waited = None, wait_for is None
        for reply in self._messages():
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result = reply["result"]
            elif reply.get("method") == wait_for:
                waited = True
            if result is not None and waited:
                return result
        raise AssertionError("unreachable")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (a promise's, once it settles)."""
        reply = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True, awaitPromise=True)
        return reply["result"]["value"]

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        self.process.wait(timeout=30)
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium installed (.ci/run installs the system package chromium where it can)")
    instance = Browser(executable, tmp_path_factory.mktemp("chromium-profile"))
    yield instance
    instance.close()


def _page(cli: Any, name: str, folder: Path) -> Path:
    """``dlsolve solve NAME -f html -o FILE``, as a user would write the page."""
    path = folder / f"{name}.html"
    result = cli("solve", name, "-f", "html", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    return path


def _look(browser: Browser, url: str, width: int, media: str) -> dict[str, Any]:
    browser.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=600, deviceScaleFactor=1, mobile=False)
    browser.call("Emulation.setEmulatedMedia", session=True, media=media)
    browser.call("Page.navigate", session=True, wait_for="Page.loadEventFired", url=url)
    return browser.evaluate(MEASURE)


def test_the_worked_examples_exist() -> None:
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("name", EXAMPLES)
def test_worked_example_page_in_chromium(browser: Browser, cli: Any, name: str, tmp_path: Path) -> None:
    url = _page(cli, name, tmp_path).as_uri()
    printed = _look(browser, url, PRINT_WIDTH, "print")
    assert printed["wide"] == [] and printed["scrollWidth"] <= PRINT_WIDTH, f"wider than an A4 page when printed: {printed}"
    screen = _look(browser, url, SCREEN_WIDTH, "screen")
    assert screen["math"] > 0
    assert screen["merror"] == 0
    assert screen["latexShown"] == [], "LaTeX left as text in the MathML"
    assert screen["scrollWidth"] <= screen["innerWidth"] == SCREEN_WIDTH
    assert screen["wide"] == [], f"elements wider than the {SCREEN_WIDTH}-pixel page: {screen['wide']}"
    height = min(screen["height"], MAX_SHOT_HEIGHT)
    shot = browser.call("Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True,
                        clip={"x": 0, "y": 0, "width": SCREEN_WIDTH, "height": height, "scale": 1})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
