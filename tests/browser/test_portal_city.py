"""The city organization department's screens in Chromium (issue 15, point 7): the comparison of
the demo units as charts by unit and by kind (figures as the API answers them, units whose
period is open marked), answering a problem report a unit sent (made through the API first),
provisioning a unit and resetting its admin's password (shown once); a unit's admin has none of
these screens (not in the menu, and the address is refused in Chinese)."""

from __future__ import annotations

import os
import uuid
from datetime import date

from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, menu_item, open_menu, settle
from tests.conftest import Api, unique_code

CITY = ("cdzzb", "shiwei")
UNITS = ("xhjd", "djyzzb")  # the demo units with their year in the test session
SHOTS = os.environ.get("JIXIAO_SCREENSHOTS")

COMPARE = """query($p:[OversightPeriodInput!]!){ oversightComparison(periods:$p) {
  rows { period { quarter } unit { code name } suppressed periodOpen
         figure(code:"grade_share_good") { value } } } }"""


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_the_city_compares_the_demo_units(page: Page, portal_url: str, api: Api) -> None:
    year = date.today().year - 1  # the page opens on last year's fourth quarter
    log_in(page, portal_url, *CITY)
    open_menu(page, "横向比较")
    expect(page).to_have_url(f"{portal_url}/city/comparison")
    rows = api.as_(*CITY, COMPARE, {"p": [{"year": year, "quarter": 4}]})["data"][
        "oversightComparison"]["rows"]
    table = page.locator("[data-test=unit-table]")
    for row in rows:
        if row["unit"]["code"] not in UNITS:
            continue
        assert not row["suppressed"], row
        value = row["figure"]["value"]
        assert value is not None, row
        line = table.locator(".el-table__row", has_text=row["unit"]["name"])
        expect(line).to_contain_text(f"{value}%")
        expect(line).to_contain_text("已关闭")
    for chart in ("unit-chart", "group-chart"):
        canvas = page.locator(f"[data-test={chart}] canvas")
        expect(canvas).to_be_visible()
        assert (canvas.bounding_box() or {"height": 0})["height"] > 150
    expect(page.locator("[data-test=group-table]")).to_contain_text("乡镇（街道）")
    _shot(page, "city-comparison.png")
    # This year's current quarter is still open in 西华街道: marked as such.
    page.locator("[data-test=year-picker]").click()
    page.get_by_role("option", name=f"{year + 1}年").click()
    open_rows = api.as_(*CITY, COMPARE, {"p": [{"year": year + 1, "quarter": q}
                                               for q in (1, 2, 3, 4)]})["data"][
        "oversightComparison"]["rows"]
    quarter = next(r["period"]["quarter"] for r in open_rows
                   if r["unit"]["code"] == "xhjd" and r["periodOpen"])
    page.locator("[data-test=quarter-picker]").click()
    page.get_by_role("option", name=f"第{'一二三四'[quarter - 1]}季度").click()
    line = table.locator(".el-table__row", has_text="西华街道")
    expect(line).to_contain_text("未结束")
    _shot(page, "city-comparison-open.png")


def test_the_city_answers_a_problem_report(page: Page, portal_url: str, api: Api) -> None:
    title = f"评价环节打分标准不统一{uuid.uuid4().hex[:6]}"
    sent = api.as_("xhjd", "admin", "mutation($i:ExperienceReportInput!){ submitExperienceReport("
                   "input:$i) { report { id } userErrors { message } } }", {"i": {
                       "kind": "problem", "stage": "evaluate", "title": title,
                       "body": "各科室对“较好”“一般”的把握尺度不一，建议出台统一的评分细则。"}})
    assert sent["data"]["submitExperienceReport"]["userErrors"] == [], sent
    log_in(page, portal_url, *CITY)
    open_menu(page, "经验交流")
    row = page.locator("[data-test=experience-table] .el-table__row", has_text=title)
    expect(row).to_contain_text("问题建议")
    expect(row).to_contain_text("未答复")
    row.get_by_role("button", name="答复").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator("[data-test=report-body]")).to_contain_text("统一的评分细则")
    dialog.get_by_label("答复内容").fill("已收悉，市委组织部将于下季度印发评分细则。")
    dialog.get_by_role("button", name="提交答复").click()
    expect(page.get_by_text("已答复", exact=True)).to_be_visible()
    expect(row).to_contain_text("已答复 1")
    _shot(page, "city-reports.png")
    own = api.as_("xhjd", "admin", "{ experienceReports { title comments { body authorName } } }")
    reply = next(r for r in own["data"]["experienceReports"] if r["title"] == title)
    assert [c["body"] for c in reply["comments"]] == ["已收悉，市委组织部将于下季度印发评分细则。"]
    page.get_by_role("tab", name="各单位报送的报表").click()
    expect(page.locator("[data-test=shared-table]")).to_be_visible()


def test_the_city_provisions_a_unit_and_resets_its_admin(page: Page, portal_url: str,
                                                         api: Api) -> None:
    code = unique_code("c")
    log_in(page, portal_url, *CITY)
    open_menu(page, "单位管理")
    page.get_by_role("button", name="开通新单位").click()
    dialog = page.get_by_role("dialog", name="开通新单位")
    dialog.get_by_label("单位代码").fill(code)
    dialog.get_by_label("单位名称").fill("蒲江县某镇")
    dialog.get_by_label("单位类型").click(force=True)
    page.get_by_role("option", name="乡镇").click()
    dialog.get_by_label("初始密码").fill("weak")
    dialog.get_by_role("button", name="开通").click()
    expect(dialog.locator(".el-alert")).to_contain_text("密码")  # the API's rule, in Chinese
    dialog.get_by_label("初始密码").fill("Pujiang#2026")
    dialog.get_by_role("button", name="开通").click()
    row = page.locator("[data-test=tenant-table] .el-table__row", has_text=code)
    expect(row).to_contain_text("蒲江县某镇")
    row.get_by_role("button", name="重置管理员密码").click()
    page.get_by_role("dialog", name="重置管理员密码").get_by_role("button", name="重置").click()
    password = page.locator("[data-test=new-password]")
    expect(password).not_to_be_empty()
    shown = password.inner_text().strip()
    _shot(page, "city-reset.png")
    page.get_by_role("button", name="我已记下").click()
    expect(password).to_be_hidden()
    token = api.login(code, "admin", shown)
    blocked = api.call("{ orgTree { name } }", token=token)
    assert blocked["errors"][0]["extensions"]["code"] == "PASSWORD_CHANGE_REQUIRED"


def test_a_units_admin_cannot_open_the_city_screens(page: Page, portal_url: str) -> None:
    log_in(page, portal_url, "xhjd", "admin")
    expect(menu_item(page, "组织架构")).to_have_count(1)
    for title in ("横向比较", "经验交流", "单位管理"):
        expect(menu_item(page, title)).to_have_count(0)
    # 首页 has loaded (a navigation would abort its request; the load state of the login page
    # says nothing about the requests made since).
    expect(page.locator("[data-test=current-period]")).to_contain_text("当前阶段")
    for path in ("city/comparison", "city/reports", "city/units"):
        page.goto(f"{portal_url}/{path}")
        expect(page.get_by_text("无权访问", exact=True)).to_be_visible()
        expect(page.get_by_text("您的账号没有访问该页面的权限")).to_be_visible()
        settle(page)  # the refused page's own requests end here
