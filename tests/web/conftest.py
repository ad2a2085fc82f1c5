"""A real browser against the real host: Playwright drives Debian's Chromium (headless) on pages
the host serves on 127.0.0.1 over its own HTTPS.

The browser trusts the host's CA for real: one CA is made for the test session, added to an NSS
database (``certutil``) under a HOME of the browser's own, and copied into every test host's
data directory before it starts (the host then issues its server certificate under it). No TLS
error is ignored.

Fixtures for any web test (``tests/web/``):
  ``browser``          the Chromium browser (one per test module)
  ``web_host``         a fresh host process sharing the session's CA (``WebHost``: its
                       ``origin``, ``console(fn)``, ``code(delegate)``, ``restart()``)
  ``open_page(host, path, viewport=(w, h), lang="vi")``  a new browser context and page
``seat_meeting(host)`` sets up an open session with an item and a document.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import shutil
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from meetingapp.client import HostClient
from meetingapp.server.tls import ensure_tls
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting, make_pdf
from tests.web.browser import launch, missing_tools, trusting_home


def _need_tools() -> None:
    why = missing_tools()
    if why:
        pytest.skip(why)


@pytest.fixture(scope="session")
def web_ca(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test session's host CA (ca.pem, ca.key)."""
    folder = tmp_path_factory.mktemp("web-ca")
    ensure_tls(folder)
    return folder


@pytest.fixture(scope="session")
def browser_home(web_ca: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A HOME whose NSS database trusts the session's CA as an authority for web sites."""
    _need_tools()
    return trusting_home(web_ca / "ca.pem", tmp_path_factory.mktemp("browser-home"))


@pytest.fixture(scope="module")
def browser(browser_home: Path) -> Iterator[Any]:
    """One Chromium per test module: while Playwright's sync API runs, its event loop is the
    thread's running loop (``asyncio.run`` refuses there: use ``run_async``), so it must not
    outlive the web tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch(p, browser_home)
        try:
            yield chromium
        finally:
            chromium.close()


def run_async(make: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """Run a coroutine to its end on a thread of its own: Playwright's sync API keeps an event
    loop running on the test's thread, where ``asyncio.run`` refuses to start another."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


@dataclass
class WebHost:
    proc: HostProcess

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.proc.port}"

    def run(self, coro: Callable[..., Coroutine[Any, Any, Any]], *args: Any) -> Any:
        """Run an async helper (tests/meeting_api.py) against this host, outside the browser."""
        return run_async(lambda: coro(self.proc, *args))

    def console(self, fn: Callable[[HostClient], Coroutine[Any, Any, Any]]) -> Any:
        """Run ``fn(console_client)`` as the secretary's console does, and return its result."""

        async def go() -> Any:
            client = self.proc.client(console=True)
            try:
                return await fn(client)
            finally:
                await client.close()

        return run_async(go)

    def code(self, delegate_id: str | None, role: str = "delegate") -> dict[str, Any]:
        """A one-time pairing code (with its QR text) from the console."""
        return dict(self.console(lambda c: c.pairing_code(role, delegate_id)))

    def restart(self) -> None:
        self.proc.stop()
        self.proc.start()


@dataclass
class Meeting:
    session: str
    item: str
    delegates: list[str]
    pins: dict[str, str]
    document: str = ""


def seat_meeting(host: WebHost, *, seats: int = 6, present: int = 4, pages: int = 3) -> Meeting:
    """A session open with an item running: ``present`` delegates checked in at the console,
    and (``pages`` > 0) one document of that many pages on the item."""

    async def make(proc: HostProcess) -> Meeting:
        m = await api_meeting(proc, seats=seats, present=present, tablets=0)
        try:
            meeting = Meeting(m.session, m.item, m.delegates, m.pins)
            if pages:
                doc = await m.console.upload_document(
                    m.session,
                    m.item,
                    "Tờ trình kế hoạch đầu tư công",
                    make_pdf(pages),
                    "Tờ trình",
                    "125/TTr-UBND",
                )
                meeting.document = doc["id"]
            return meeting
        finally:
            await m.close()

    return host.run(make)  # type: ignore[no-any-return]


def start_host(data_dir: Path, ca: Path) -> HostProcess:
    tls = data_dir / "tls"
    tls.mkdir(parents=True, exist_ok=True)
    for name in ("ca.pem", "ca.key"):
        shutil.copy2(ca / name, tls / name)
    return HostProcess(data_dir, advertise=False).start()


@pytest.fixture
def web_host(tmp_path: Path, web_ca: Path) -> Iterator[WebHost]:
    proc = start_host(tmp_path / "host", web_ca)
    try:
        yield WebHost(proc)
    finally:
        proc.stop()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []

    def make(
        host: WebHost, path: str, viewport: tuple[int, int] = (1280, 800), lang: str = "vi"
    ) -> Any:
        context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]},
            locale="vi-VN" if lang == "vi" else "en-GB",
            has_touch=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        # what went wrong in the page: uncaught exceptions, and console errors (a CSP refusal
        # shows up there); a test that stops the host will see failed connections in the latter
        errors: list[str] = []
        console: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
        page.js_errors = errors  # type: ignore[attr-defined]
        page.console_errors = console  # type: ignore[attr-defined]
        page.goto(host.origin + path)
        return page

    yield make
    for context in contexts:
        context.close()
