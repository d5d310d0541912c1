"""述职报告 in the browser: the committee asks chosen persons (指定人员), picked in the org tree
by ticking a department and by searching a person's employee number, on a hand-built tenant."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.browser.conftest import choose, log_in, log_out, off_loop, settle
from tests.conftest import Api

SHOTS = "/tmp/annual-shots"


def _setup(api: Api, make_tenant: Any) -> str:
    code = str(make_tenant(people=10))
    created = api.as_(code, "admin", "mutation{ createPeriod(input:{kind:year, year:2026}) "
                      "{ userErrors { message } } }")["data"]["createPeriod"]
    assert created["userErrors"] == [], created
    return code


def test_duty_reports_requested_of_chosen_persons(page: Page, portal_url: str, api: Api,
                                                  make_tenant: Any) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    code = off_loop(_setup, api, make_tenant)
    log_in(page, portal_url, code, "admin")
    expect(page).to_have_url(f"{portal_url}/")
    settle(page)
    page.goto(f"{portal_url}/duty-reports")
    form = page.locator("[data-test=request-form]")
    choose(page, form.get_by_label("述职范围"), "指定人员")
    submit = form.locator("[data-test=request-submit]")
    deadline = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=7)).isoformat()
    form.get_by_label("截止日期").fill(deadline)
    form.get_by_label("截止日期").press("Enter")
    expect(submit).to_be_disabled()  # nobody chosen yet

    picker = form.locator("[data-test=request-people]")
    picker.click()
    tree = page.locator(".el-tree-select__popper:visible")
    search = picker.locator("input")
    # 第二科 (P005, P008) by its department's box, P006 of 第一科 by its employee number.
    for text in ("第二科", "（P006）"):
        search.fill(text.strip("（）"))
        node = tree.locator(".el-tree-node__content:visible", has_text=text)
        expect(node).to_have_count(1)
        node.locator(".el-checkbox").click()
    form.get_by_text("要求提交述职报告").click()  # closes the dropdown
    expect(tree).to_have_count(0)
    expect(picker).to_contain_text("P006")
    expect(submit).to_be_enabled()
    page.screenshot(path=f"{SHOTS}/duty-request-chosen.png", full_page=True)
    submit.click()
    expect(page.get_by_text("已要求 3 人提交述职报告")).to_be_visible()
    table = page.locator("[data-test=reports-table]")
    expect(table.locator(".el-table__row")).to_have_count(3)
    for number in ("P005", "P006", "P008"):
        expect(table).to_contain_text(number)
    log_out(page, portal_url)
