"""Issue 17's pages on the demo's year, as a newcomer opens them (read only: no demo unit's
period moves): 逐级审核 and 校准分析 as gtlg's principal leader, 异议处理, 述职报告,
民主测评管理 as djyzzb's admin, 待确认扣分/加分 as its office, 消息通知 as a staff member. Each
page shows the demo's data (demo/workflow.py); screenshots go to /tmp/demo17-shots."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from playwright.sync_api import Page, expect

from demo.workflow import SIGNOFF_UNIT, WORKFLOW_UNIT
from demo.year import past_year
from tests.browser.conftest import choose, log_in, log_out, open_menu, settle

SHOTS = Path("/tmp/demo17-shots")
YEAR = past_year(date.today())


def _open(page: Page, menu: str) -> None:
    settle(page)
    open_menu(page, menu)
    settle(page)


def _shot(page: Page, name: str) -> None:
    settle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_leader_reads_the_chain_and_the_calibration(
        page: Page, portal_url: str, demo_year: None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, portal_url, SIGNOFF_UNIT, "leader")
    settle(page)
    open_menu(page, "逐级审核")
    settle(page)
    choose(page, page.get_by_role("combobox", name="考核周期"), f"{YEAR}年第二季度")
    settle(page)
    expect(page.get_by_text("退回").first).to_be_visible()
    expect(page.get_by_text("主要领导").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "signoff.png"), full_page=True)
    open_menu(page, "校准分析")
    settle(page)
    choose(page, page.get_by_role("combobox", name="考核周期"), f"{YEAR}年第四季度")
    settle(page)
    expect(page.locator("[data-test=raters]")).to_contain_text("宽松")
    page.screenshot(path=str(SHOTS / "calibration.png"), full_page=True)
    log_out(page, portal_url)


def test_the_admin_reads_objections_reports_and_the_vote(
        page: Page, portal_url: str, demo_year: None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, portal_url, WORKFLOW_UNIT, "admin")
    settle(page)
    open_menu(page, "异议处理")
    settle(page)
    choose(page, page.get_by_role("combobox", name="考核周期"), f"{YEAR}年第三季度")
    settle(page)
    page.locator("label.el-radio-button", has_text="已答复").click()  # default: 待答复
    settle(page)
    table = page.locator("[data-test=objections-table]")
    expect(table).to_contain_text("已答复")
    expect(table).to_contain_text("较好")
    page.screenshot(path=str(SHOTS / "objections.png"), full_page=True)
    _open(page, "述职报告")
    expect(page.locator("[data-test=reports-table]")).to_contain_text("已提交")
    _shot(page, "duty-reports")
    _open(page, "民主测评管理")
    expect(page.locator("[data-test=votes-table]")).to_contain_text("已结束")
    _shot(page, "votes")
    log_out(page, portal_url)


def test_the_office_and_the_inbox(page: Page, portal_url: str, demo_year: None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, portal_url, WORKFLOW_UNIT, "bangong")
    _open(page, "待确认扣分/加分")
    expect(page.locator("[data-test=proposals-table]")).to_contain_text("逾期")
    _shot(page, "proposals")
    log_out(page, portal_url)
    log_in(page, portal_url, SIGNOFF_UNIT, "ganbu")
    settle(page)
    page.locator("[data-test=bell]").click()
    settle(page)
    expect(page.locator("[data-test=inbox]")).to_contain_text("实绩申报已开始")
    page.screenshot(path=str(SHOTS / "inbox.png"), full_page=True)
    log_out(page, portal_url)
