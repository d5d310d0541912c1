"""The leaders' dashboard in Chromium (issue 15, point 6), read-only on the demo's year in 金牛区
西华街道: the principal leader sees the grade distribution as a chart and figures that equal the
API's leaderDashboard for the same period; a supervising leader sees the departments they
supervise; the unit's admin has no such page."""

from __future__ import annotations

import os
import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, menu_item, open_menu, settle
from tests.conftest import Api

TENANT = "xhjd"
SHOTS = os.environ.get("JIXIAO_SCREENSHOTS")  # a folder to keep screenshots in, when set

DASHBOARD = """query($p:ID!){ leaderDashboard(periodId:$p) { results grades { label count }
  declarations { required done } ratings { required done } interviews { required done }
  overdueItems { taskId } departmentResults { unitId } } }"""


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def _open_dashboard(page: Page, portal_url: str, username: str) -> None:
    log_in(page, portal_url, TENANT, username)
    open_menu(page, "领导看板")
    expect(page).to_have_url(f"{portal_url}/dashboard")
    expect(page.locator("[data-test=figure-results] .value")).to_be_visible()


def _period_id(page: Page, api: Api) -> str:
    """The period the page picked (its name is shown above the chart)."""
    name = page.locator("[data-test=period-name]").inner_text().strip()
    periods = api.as_(TENANT, "admin", "{ periods { id name } }")["data"]["periods"]
    return str(next(p["id"] for p in periods if p["name"] == name))


def _expect_figures(page: Page, board: dict[str, Any]) -> None:
    expect(page.locator("[data-test=figure-results] .value")).to_have_text(str(board["results"]))
    for part in ("declarations", "ratings", "interviews"):
        value = page.locator(f"[data-test=figure-{part}] .value")
        if board[part] is None:
            expect(value).to_have_text("—")
        else:
            expect(value).to_have_text(f"{board[part]['done']}/{board[part]['required']}")
    expect(page.locator("[data-test=figure-overdue] .value")).to_have_text(
        str(len(board["overdueItems"])))
    counts = page.locator("[data-test=grade-counts]")
    for grade in board["grades"]:
        expect(counts).to_contain_text(f"{grade['label']} {grade['count']} 人")
    rows = page.locator("[data-test=department-results] .el-table__row")
    expect(rows).to_have_count(len(board["departmentResults"]))


def test_the_principal_leader_sees_the_dashboard_as_the_api_answers(
        page: Page, portal_url: str, api: Api) -> None:
    _open_dashboard(page, portal_url, "leader")
    period_id = _period_id(page, api)
    board = api.as_(TENANT, "leader", DASHBOARD, {"p": period_id})["data"]["leaderDashboard"]
    assert board["results"] > 0
    assert sum(g["count"] for g in board["grades"]) > 0
    _expect_figures(page, board)
    chart = page.locator("[data-test=grade-chart] canvas")
    expect(chart).to_be_visible()
    assert (chart.bounding_box() or {"height": 0})["height"] > 200
    _shot(page, "leader-dashboard.png")
    # Another period: the figures follow the picker.
    page.locator("[data-test=period-picker]").click()
    page.get_by_role("option", name=re.compile(r"^2025年第三季度")).click()
    expect(page.locator("[data-test=period-name]")).to_have_text("2025年第三季度")
    q3 = next(p["id"] for p in api.as_(TENANT, "admin", "{ periods(year:2025) { id name } }")[
        "data"]["periods"] if p["name"] == "2025年第三季度")
    board = api.as_(TENANT, "leader", DASHBOARD, {"p": q3})["data"]["leaderDashboard"]
    _expect_figures(page, board)
    _shot(page, "leader-dashboard-q3.png")


def test_a_supervising_leader_sees_what_they_supervise(page: Page, portal_url: str,
                                                       api: Api) -> None:
    _open_dashboard(page, portal_url, "fenguan")
    period_id = _period_id(page, api)
    board = api.as_(TENANT, "fenguan", DASHBOARD, {"p": period_id})["data"]["leaderDashboard"]
    whole = api.as_(TENANT, "leader", DASHBOARD, {"p": period_id})["data"]["leaderDashboard"]
    assert 0 < board["results"] < whole["results"]
    _expect_figures(page, board)


def test_the_units_admin_has_no_dashboard(page: Page, portal_url: str) -> None:
    log_in(page, portal_url, TENANT, "admin")
    expect(menu_item(page, "组织架构")).to_have_count(1)
    expect(menu_item(page, "领导看板")).to_have_count(0)
    # 首页 has loaded (a navigation would abort its request; the load state of the login page
    # says nothing about the requests made since).
    expect(page.locator("[data-test=current-period]")).to_contain_text("当前阶段")
    page.goto(f"{portal_url}/dashboard")
    expect(page.get_by_text("无权访问", exact=True)).to_be_visible()
    expect(page.get_by_text("您的账号没有访问该页面的权限")).to_be_visible()
    settle(page)  # the refused page's own requests end here
