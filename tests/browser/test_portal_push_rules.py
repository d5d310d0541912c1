"""自动采集规则 and 待确认扣分/加分 in Chromium (issue 17, part 6), on a hand-built unit: the
admin sees the overdue rule and adds an error notice rule; the office confirms one proposed
deduction and refuses the other with a reason. No demo unit is touched."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from jixiao.settings import Settings
from tests.browser.conftest import choose, log_in, log_out, off_loop, open_menu
from tests.conftest import Api
from tests.test_push_rules import PUSH, _add_task, _node, _office_token, _rule
from tests.test_ratings_support import YEAR, rating_period

SHOTS = "/tmp/pushrules-shots"


def _setup(api: Api, settings: Settings, make_tenant: Any) -> dict[str, str]:
    code = make_tenant(people=12)
    rating_period(api, settings, code, quarter=2)
    tasks = {who: _add_task(settings, code, who, date(YEAR, 5, 20), title)
             for who, title in (("P006", "编制普法工作台账"), ("P007", "社区矫正走访"))}
    assert _rule(api, code, _node(settings, code, "CQ03"))["userErrors"] == []
    token = _office_token(api, code)
    for n, task in enumerate(tasks.values()):
        body = api.call(PUSH, {"e": f"OA-{n}", "t": task, "d": "2026-06-10"}, token)
        assert body["data"]["pushSupervisionResult"]["userErrors"] == [], body
    people = api.as_(code, "admin", "{ people(first: 50) { nodes { name employeeNo } } }")[
        "data"]["people"]["nodes"]
    names = {p["employeeNo"]: p["name"] for p in people}
    return {"code": code, "P006": names["P006"], "P007": names["P007"]}


@pytest.fixture(scope="module")
def unit(api: Api, settings: Settings, make_tenant: Any) -> dict[str, str]:
    return off_loop(_setup, api, settings, make_tenant)


def test_admin_keeps_the_rules(page: Page, portal_url: str, unit: dict[str, str]) -> None:
    log_in(page, portal_url, unit["code"], "admin")
    open_menu(page, "自动采集规则")
    table = page.locator("[data-test=rules-table]")
    row = table.locator(".el-table__row", has_text="督办事项逾期未整改超过10天扣分")
    expect(row).to_contain_text("逾期未整改满 10 天")
    expect(row).to_contain_text("CQ03")
    page.get_by_role("button", name="新建规则").click()
    dialog = page.get_by_role("dialog", name="新建规则")
    dialog.get_by_role("button", name="保存").click()
    expect(dialog).to_contain_text("请填写规则名称")
    dialog.get_by_placeholder("如：督办事项逾期未整改超过30天扣分").fill("错情通报扣分")
    choose(page, dialog.get_by_label("数据类型"), "错情通报")
    expect(dialog.get_by_label("逾期未整改天数")).to_be_hidden()
    choose(page, dialog.get_by_label("记分指标"), "CQ01 工作失误错情")
    dialog.get_by_label("每项扣分").fill("20")
    dialog.get_by_role("button", name="保存").click()
    expect(dialog).to_contain_text("上限")  # the category's cap (10), in Chinese
    dialog.get_by_label("每项扣分").fill("1")
    dialog.get_by_role("button", name="保存").click()
    expect(page.get_by_text("规则已保存")).to_be_visible()
    expect(table.locator(".el-table__row", has_text="错情通报扣分")).to_contain_text("每条错情通报")
    page.screenshot(path=f"{SHOTS}-rules.png", full_page=True)
    log_out(page, portal_url)


def test_office_confirms_one_and_refuses_the_other(page: Page, portal_url: str,
                                                   unit: dict[str, str]) -> None:
    log_in(page, portal_url, unit["code"], "bangong")
    open_menu(page, "待确认扣分/加分")
    table = page.locator("[data-test=proposals-table]")
    mine = table.locator(".el-table__row", has_text=unit["P006"])
    theirs = table.locator(".el-table__row", has_text=unit["P007"])
    expect(mine).to_contain_text("编制普法工作台账")
    expect(mine).to_contain_text("-2")
    page.screenshot(path=f"{SHOTS}-proposals.png", full_page=True)
    mine.get_by_role("button", name="确认").click()
    page.get_by_role("dialog", name="确认扣分").get_by_role("button", name="确认").click()
    expect(page.get_by_text("已确认，计入得分")).to_be_visible()
    expect(mine).to_have_count(0)
    theirs.get_by_role("button", name="退回").click()
    dialog = page.get_by_role("dialog", name="退回")
    dialog.get_by_role("button", name="确认退回").click()
    expect(dialog).to_contain_text("请填写退回理由")
    dialog.get_by_placeholder("说明退回的原因，如事项已按期办结").fill("已于5月18日办结，系统未及时更新")
    dialog.get_by_role("button", name="确认退回").click()
    expect(page.get_by_text("已退回，不计入得分")).to_be_visible()
    expect(theirs).to_have_count(0)
    page.get_by_text("已退回", exact=True).click()
    expect(theirs).to_contain_text("已于5月18日办结")
    page.get_by_text("已确认", exact=True).click()
    expect(mine).to_contain_text("已确认")
    page.screenshot(path=f"{SHOTS}-decided.png", full_page=True)
    log_out(page, portal_url)
