"""The 校准分析 page (issue 17 part 3) in Chromium: from 综合研判, the tenant admin sees each
department's distribution against its quota (with the chart) and the one lenient rater flagged.

A tenant built for this test (no demo unit's period changes): the period of
tests/test_calibration.py, one peer rater adding 12 to every value.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from playwright.sync_api import Page, expect

from jixiao.settings import Settings
from tests.browser.conftest import log_in, log_out, off_loop, settle
from tests.conftest import Api
from tests.test_calibration import rate
from tests.test_grading_review import without_score_bands
from tests.test_ratings_support import ASSIGNMENTS, COMPUTE, advance, rating_period


def _period(api: Api, settings: Settings, make_tenant: Any) -> tuple[str, str, str]:
    code = make_tenant(people=14)
    without_score_bands(api, code)
    period = rating_period(api, settings, code)
    assignments = api.as_(code, "admin", ASSIGNMENTS, {"p": period})["data"]["raterAssignments"]
    peers = Counter(a["raterId"] for a in assignments if a["role"] == "peer")
    lenient = min(peers, key=lambda r: (peers[r], r))
    rate(settings, code, period, lenient)
    advance(api, code, period, "reviewing")
    assert api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"][
        "userErrors"] == []
    name = next(a["raterName"] for a in assignments if a["raterId"] == lenient)
    return code, period, name


def test_calibration_page_shows_quotas_and_the_lenient_rater(
        page: Page, portal_url: str, api: Api, settings: Settings, make_tenant: Any) -> None:
    code, period, lenient = off_loop(_period, api, settings, make_tenant)
    log_in(page, portal_url, code, "admin")
    expect(page).to_have_url(f"{portal_url}/")
    settle(page)
    page.goto(f"{portal_url}/review?period={period}")
    link = page.locator("[data-test=to-calibration]")
    expect(link).to_be_visible()
    settle(page)
    link.click()
    expect(page.get_by_role("heading", name="校准分析")).to_be_visible()
    departments = page.locator("[data-test=departments] [data-test=department-quota]")
    expect(departments.first).to_be_visible()
    assert departments.count() >= 3
    flags = page.locator("[data-test=rater-flag]")
    expect(flags).to_have_count(1)
    expect(flags).to_have_text("宽松")
    row = page.locator("[data-test=raters] .el-table__row", has=flags)
    expect(row).to_contain_text(lenient)
    expect(row).to_contain_text("同级")
    expect(page.locator("[data-test=distribution] canvas").first).to_be_visible()
    settle(page)
    page.screenshot(path="/tmp/cal/calibration.png", full_page=True)
    log_out(page, portal_url)
