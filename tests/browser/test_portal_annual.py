"""年度述职 and 民主测评 in the browser (issue 17, part 5), on a hand-built tenant (the demo units'
periods stay untouched): a staff member writes and submits the duty report; on a phone, fills
the ballot grid and votes once; the committee sees the turnout, closes the vote and reads the
counts (chart and table); the department head reads the report."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, log_out, off_loop, settle
from tests.conftest import Api

SHOTS = "/tmp/annual-shots"


def _setup(api: Api, make_tenant: Any) -> tuple[str, str]:
    code = str(make_tenant(people=10))
    period = api.as_(code, "admin", "mutation{ createPeriod(input:{kind:year, year:2026}) "
                     "{ period { id } } }")["data"]["createPeriod"]["period"]["id"]
    deadline = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=7)).isoformat()
    asked = api.as_(code, "admin", "mutation($p:ID!,$d:Date!){ requestDutyReports(input:{"
                    "periodId:$p, deadline:$d}) { requested userErrors { message } } }",
                    {"p": period, "d": deadline})["data"]["requestDutyReports"]
    assert asked["userErrors"] == [], asked
    opened = api.as_(code, "admin", "mutation($p:ID!){ openDemocraticVote(periodId:$p) { "
                     "vote { id } userErrors { message } } }", {"p": period})
    assert opened["data"]["openDemocraticVote"]["userErrors"] == [], opened
    return code, period


def test_duty_report_ballot_and_results(page: Page, phone_page: Page, portal_url: str,
                                        api: Api, make_tenant: Any) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    code, _ = off_loop(_setup, api, make_tenant)

    # 年度述职: write, submit, see the status.
    log_in(page, portal_url, code, "ganbu")
    expect(page).to_have_url(f"{portal_url}/")
    settle(page)
    page.goto(f"{portal_url}/duty-report")
    expect(page.locator("[data-test=duty-status]")).to_contain_text("待提交")
    page.get_by_label("述职报告正文").fill("一、全年工作\n完成重点任务12项，牵头督办事项全部办结。")
    page.locator("[data-test=duty-submit]").click()
    expect(page.locator("[data-test=duty-status]")).to_contain_text("已提交")
    page.screenshot(path=f"{SHOTS}/duty-report.png", full_page=True)
    log_out(page, portal_url)

    # 民主测评 at 375 px: one row per candidate, four choices, submit once.
    if phone_page is not None:
        phone = phone_page
        log_in(phone, portal_url, code, "ganbu2")
        expect(phone).to_have_url(f"{portal_url}/")
        settle(phone)
        phone.goto(f"{portal_url}/ballot")
        rows = phone.locator("[data-test=ballot-row]")
        expect(rows).to_have_count(9)
        submit = phone.locator("[data-test=ballot-submit]")
        expect(submit).to_be_disabled()
        for i in range(9):
            rows.nth(i).get_by_text("优秀" if i == 0 else "称职", exact=True).click()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        phone.screenshot(path=f"{SHOTS}/ballot-phone.png", full_page=True)
        submit.click()
        phone.get_by_role("button", name="确定提交").click()
        expect(phone.locator("[data-test=ballot-done]")).to_contain_text("您已投票")
        settle(phone)
        phone.goto(f"{portal_url}/ballot")
        expect(phone.locator("[data-test=ballot-done]")).to_be_visible()
        log_out(phone, portal_url)

    # The committee: turnout while open, counts once closed.
    log_in(page, portal_url, code, "admin")
    expect(page).to_have_url(f"{portal_url}/")
    settle(page)
    page.goto(f"{portal_url}/democratic-votes")
    table = page.locator("[data-test=votes-table]")
    expect(table).to_contain_text("1/8（12.5%）")
    table.get_by_role("button", name="查看结果").click()
    expect(page.locator("[data-test=vote-results]")).to_contain_text("结束后显示各人得票")
    table.get_by_role("button", name="结束").click()
    page.get_by_role("button", name="结束测评").click()
    results = page.locator("[data-test=vote-results]")
    expect(results.locator("canvas")).to_be_visible()
    expect(results.locator(".el-table__row")).to_have_count(9)
    page.screenshot(path=f"{SHOTS}/votes-admin.png", full_page=True)
    settle(page)
    page.goto(f"{portal_url}/duty-reports")
    reports = page.locator("[data-test=reports-table]")
    expect(reports).to_contain_text("已提交")
    page.screenshot(path=f"{SHOTS}/duty-reports-admin.png", full_page=True)
    log_out(page, portal_url)

    # The department head reads the report of whom they manage.
    log_in(page, portal_url, code, "kezhang")
    expect(page).to_have_url(f"{portal_url}/")
    settle(page)
    page.goto(f"{portal_url}/duty-reports")
    row = page.locator("[data-test=reports-table] .el-table__row", has_text="已提交")
    row.get_by_role("button", name="查看").click()
    expect(page.locator("[data-test=report-text]")).to_contain_text("完成重点任务12项")
    page.screenshot(path=f"{SHOTS}/duty-report-head.png")
    page.keyboard.press("Escape")
    expect(page.locator("[data-test=report-text]")).to_be_hidden()
    log_out(page, portal_url)
