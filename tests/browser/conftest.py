"""Browser tests: the real server (uvicorn on a free loopback port, the test PostgreSQL and
Redis) driven by Debian's Chromium through Playwright. Nothing downloads a browser.

The ``page`` fixture fails its test on any console error, uncaught exception, failed request,
response >= 400 (unless the test declared it with ``watch.allow``) or request that tries to
leave the machine (every non-loopback request is aborted).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Locator,
    Page,
    Playwright,
    Request,
    Response,
    Route,
    expect,
    sync_playwright,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from jixiao.settings import Settings
from tests.live_server import serving

CHROMIUM = os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
DEMO_PASSWORD = "Demo@2026"
T = TypeVar("T")


@pytest.fixture(scope="session")
def portal_url(settings: Settings) -> Iterator[str]:
    """The whole product on a real port, serving the portal built by scripts/setup."""
    assert (Path(settings.portal_dir) / "index.html").is_file(), (
        f"the portal is not built in {settings.portal_dir}: run scripts/setup")
    with serving(settings) as url:
        yield url


def off_loop(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Runs ``fn`` in a worker thread: Playwright's sync API keeps an event loop running in
    this one, so ``asyncio.run`` (``make_tenant``, loaders) must run elsewhere."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


@pytest.fixture(scope="package")
def playwright(settings: Settings, demo_year: None) -> Iterator[Playwright]:
    # Depends on the demo's year so it is loaded (asyncio.run) before Playwright's loop starts;
    # package scope: its loop ends with the browser tests, so later tests may asyncio.run.
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@dataclass(eq=False)
class Watch:
    """What went wrong in the page; ``allow`` declares responses a test expects to fail."""

    problems: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    # Set when the test has ended and its page is being closed: requests the closing aborts
    # are the test's doing, not the portal's.
    closing: bool = False
    # Documents loaded so far (page.goto and reloads): a request that was in flight when a new
    # document started loading is aborted by the browser, as a person leaving the page would.
    navigations: int = 0
    started: dict[Request, int] = field(default_factory=dict)
    # Requests in flight and since when none has been: what ``settle`` waits for.
    in_flight: set[Request] = field(default_factory=set)
    quiet_since: float = field(default_factory=time.monotonic)
    allowed: list[tuple[int, re.Pattern[str]]] = field(default_factory=list)

    def allow(self, status: int, url_pattern: str) -> None:
        self.allowed.append((status, re.compile(url_pattern)))

    def _allowed(self, status: int, url: str) -> bool:
        return any(s == status and p.search(url) for s, p in self.allowed)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # Chromium logs every response >= 400; an expected one is not a problem.
        status = re.match(r"Failed to load resource: the server responded with a status of (\d+)",
                          message.text)
        if status and self._allowed(int(status.group(1)), message.location.get("url", "")):
            return
        self.problems.append(f"console error: {message.text} ({message.location})")

    def on_page_error(self, error: Exception) -> None:
        self.problems.append(f"uncaught exception: {error}")

    def on_request(self, request: Request) -> None:
        if request.is_navigation_request() and request.frame.parent_frame is None:
            self.navigations += 1
        self.started[request] = self.navigations
        self.in_flight.add(request)

    def on_request_done(self, request: Request) -> None:
        self.in_flight.discard(request)
        if not self.in_flight:
            self.quiet_since = time.monotonic()

    def on_request_failed(self, request: Request) -> None:
        self.on_request_done(request)
        if "ERR_ABORTED" in (request.failure or "") and (
                self.closing or self.started.get(request, self.navigations) < self.navigations):
            return
        if request.url not in self.blocked:
            self.problems.append(f"request failed: {request.method} {request.url} "
                                 f"({request.failure})")

    def on_response(self, response: Response) -> None:
        if response.status < 400:
            return
        if self._allowed(response.status, response.url):
            return
        self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}"
                             f"{_operation(response.request)}")

    def route(self, route: Route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if host in LOOPBACK or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
            return
        self.blocked.append(route.request.url)
        route.abort("blockedbyclient")


WATCHES: dict[Page, Watch] = {}


def settle(page: Page, quiet_seconds: float = 0.3, timeout_seconds: float = 15) -> None:
    """Waits until none of the page's requests (data, scripts of a lazily loaded route) has been
    in flight for ``quiet_seconds``: leaving the page, logging out or going elsewhere before then
    would abort or refuse requests it still needs. (After a document's first load, an SPA's
    requests do not move Playwright's "networkidle".)"""
    watch = WATCHES[page]
    deadline = time.monotonic() + timeout_seconds
    while watch.in_flight or time.monotonic() - watch.quiet_since < quiet_seconds:
        if time.monotonic() > deadline:
            pending = ", ".join(f"{r.method} {r.url}{_operation(r)}" for r in watch.in_flight)
            raise AssertionError(f"the page did not settle in {timeout_seconds} s: {pending}")
        page.wait_for_timeout(50)  # lets Playwright deliver the page's events


def _operation(request: Request) -> str:
    """The GraphQL operation a request carried (its first line), to name it in a failure."""
    try:
        body = request.post_data_json
    except Exception:  # not JSON: nothing to name
        return ""
    query = body.get("query") if isinstance(body, dict) else None
    return f" ({query.strip().splitlines()[0]})" if isinstance(query, str) and query.strip() else ""


@pytest.fixture
def watch() -> Watch:
    return Watch()


def open_page(browser: Browser, watch: Watch, **context_options: object) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", **context_options)  # type: ignore[arg-type]
    context.route("**/*", watch.route)
    page = context.new_page()
    WATCHES[page] = watch
    page.on("request", watch.on_request)
    page.on("requestfinished", watch.on_request_done)
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_page_error)
    page.on("requestfailed", watch.on_request_failed)
    page.on("response", watch.on_response)
    page.set_default_timeout(15_000)
    # Assertions wait as long as actions: on a busy machine a page's first load takes seconds.
    expect.set_options(timeout=15_000)
    try:
        yield page
    finally:
        watch.closing = True
        context.close()
        del WATCHES[page]
    assert not watch.blocked, f"requests tried to leave the machine: {watch.blocked}"
    assert not watch.problems, "\n".join(watch.problems)


@pytest.fixture
def page(browser: Browser, watch: Watch) -> Iterator[Page]:
    """A desktop-sized page (1280x800) that fails the test on any error (see the module doc)."""
    yield from open_page(browser, watch, viewport={"width": 1280, "height": 800})


@pytest.fixture
def phone_page(browser: Browser, watch: Watch) -> Iterator[Page]:
    """The same at a phone's size (375x800)."""
    yield from open_page(browser, watch, viewport={"width": 375, "height": 800},
                         is_mobile=True, has_touch=True)


def log_in(page: Page, base_url: str, tenant: str, username: str,
           password: str = DEMO_PASSWORD) -> None:
    """Fills and submits the login form (from wherever the page is)."""
    if page.url.startswith(base_url):
        settle(page)  # leaving would abort the page's requests
    page.goto(f"{base_url}/login")
    page.get_by_label("单位代码").fill(tenant)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def choose(page: Page, field: Locator, option: str) -> None:
    """Picks ``option`` in an Element Plus select and checks the select shows it. The dropdown
    can close again while it opens (the dialog re-renders when its data arrives), so the field
    is opened again until the option can be clicked."""
    item = page.locator(".el-select-dropdown__item:visible", has_text=option).first
    for attempt in range(3):
        field.click(force=True)
        try:
            item.click(timeout=5_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
    select = field.locator("xpath=ancestor::div[contains(concat(' ', normalize-space(@class), "
                           "' '), ' el-select ')][1]")
    expect(select).to_contain_text(option)
    open_dropdowns = page.locator(".el-select-dropdown:visible")
    try:
        expect(open_dropdowns).to_have_count(0, timeout=2_000)
    except AssertionError:
        field.press("Escape")  # a filterable select may stay open after the pick
        expect(open_dropdowns).to_have_count(0)


def menu_item(page: Page, title: str) -> Locator:
    """The side menu's entry ``title`` (exactly), wherever it sits."""
    return page.locator("[data-test=side-menu] .el-menu-item").filter(
        has_text=re.compile(rf"^\s*{re.escape(title)}\s*$"))


def menu_titles(page: Page) -> list[str]:
    """The titles of the side menu's pages in their order, those in closed groups included."""
    items = page.locator("[data-test=side-menu] .el-menu-item")
    expect(items.first).to_be_attached()
    return [t.strip() for t in items.all_text_contents()]


def open_menu(page: Page, title: str) -> None:
    """Clicks the side menu's entry ``title``, opening its group first when the menu is long
    enough to have groups (routes.ts) and that group is closed."""
    item = menu_item(page, title)
    expect(item).to_have_count(1)
    if not item.is_visible():
        group = item.locator("xpath=ancestor::li[contains(concat(' ', @class, ' '), "
                             "' el-sub-menu ')][1]")
        group.locator(".el-sub-menu__title").first.click()
    item.click()


def log_out(page: Page, base_url: str) -> None:
    """退出登录 once the page has settled (a request still in flight would be refused)."""
    settle(page)
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(f"{base_url}/login")
