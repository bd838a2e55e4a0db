"""Driving Debian's Chromium headless through Playwright, for tests and for ``scripts/bench.py``.

Playwright's own browser download cannot work offline, so the system Chromium is used; where it is missing it is
installed with apt (as CI on a fresh machine needs). Every page is opened with its requests, console errors and
dialogs recorded, so a test can assert that a file makes no request to any host.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
# Outside the repository (tests write nothing into it): MCN_MAP_SCREENSHOTS, else the temporary folder.
SCREENSHOTS = Path(os.environ.get("MCN_MAP_SCREENSHOTS") or Path(tempfile.gettempdir()) / "mcn-map-screenshots")


def ensure_chromium() -> str:
    """The path of a Chromium binary, installing Debian's package with apt-get when it is missing."""
    for candidate in (os.environ.get("MCN_MAP_CHROMIUM"), CHROMIUM, shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
    return CHROMIUM


@contextmanager
def chromium():
    """A headless Chromium browser (Playwright), closed on exit."""
    from playwright.sync_api import sync_playwright

    path = ensure_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class OpenedPage:
    page: object
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def remote_requests(self) -> list[str]:
        """Every request to anything but a local file or inline data."""
        return [url for url in self.requests if not url.startswith(("file:", "data:", "about:", "blob:"))]


def open_page(browser, path: str | Path, *, width: int = 1600, height: int = 1000, wait_for_map: bool = True,
              timeout_ms: int = 30000) -> OpenedPage:
    """Open a local HTML file in a fresh context, recording requests, console errors and dialogs.

    Any request that is not for a file is recorded and then aborted, so a test can never reach the network."""
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = context.new_page()
    opened = OpenedPage(page)

    def on_route(route):
        if route.request.url.startswith(("file:", "data:", "about:", "blob:")):
            route.continue_()
        else:
            route.abort()

    # Every request is recorded (from any frame, routed or not); any that would leave the machine is also aborted.
    context.on("request", lambda request: opened.requests.append(request.url))
    context.route("**/*", on_route)
    page.on("console", lambda message: opened.console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: opened.page_errors.append(str(error)))

    def on_dialog(dialog):
        opened.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(Path(path).resolve().as_uri())
    if wait_for_map:
        page.wait_for_selector("html[data-map-ready='true']", state="attached", timeout=timeout_ms)
    return opened


def canvas_ink(frame, selector: str = "#network canvas") -> float:
    """Share of sampled canvas pixels that are not blank: a drawn network is well above zero."""
    return frame.evaluate(
        """(selector) => {
            const canvas = document.querySelector(selector);
            if (!canvas) return 0;
            const ctx = canvas.getContext('2d');
            const {width, height} = canvas;
            const pixels = ctx.getImageData(0, 0, width, height).data;
            let inked = 0, sampled = 0;
            for (let i = 0; i < pixels.length; i += 4 * 97) {
                sampled++;
                const [r, g, b, a] = [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]];
                if (a > 0 && (r < 240 || g < 240 || b < 240)) inked++;
            }
            return sampled ? inked / sampled : 0;
        }""",
        selector,
    )


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=False)
    return path
