"""The page fixture's watch can fail a test: it sees console errors, uncaught exceptions,
requests leaving the machine (aborted) and unexpected responses >= 400."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import Watch


def test_the_watch_catches_what_must_fail_a_test(page: Page, portal_url: str,
                                                 watch: Watch) -> None:
    page.goto(f"{portal_url}/login")
    page.wait_for_load_state("networkidle")
    assert watch.problems == []
    page.evaluate("console.error('测试错误')")
    page.evaluate("setTimeout(() => { throw new Error('未捕获') }, 0)")
    page.evaluate("fetch('https://example.com/x').catch(() => null)")
    page.evaluate("fetch('/assets/missing-000.js').catch(() => null)")
    page.wait_for_timeout(500)  # let the timer and both fetches finish
    text = "\n".join(watch.problems)
    assert "console error: 测试错误" in text
    assert "uncaught exception: 未捕获" in text
    assert "HTTP 404" in text
    assert watch.blocked == ["https://example.com/x"]
    watch.problems.clear()  # seen: let the test pass
    watch.blocked.clear()
