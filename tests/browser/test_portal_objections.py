"""Objections (异议) in the portal, on a hand-built tenant (the demo units' periods are left
alone): a staff member sees the publicity period on 实绩公示 and raises an objection without
naming themselves; the admin answers it on 异议处理 with a grade change; the objected person
reads the answer on 我的考核结果."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from jixiao.settings import Settings
from tests.browser.conftest import log_in, log_out, off_loop, open_menu, settle
from tests.conftest import Api
from tests.test_objections import published_period

SHOTS = Path("/tmp/objections-shots")


def test_raise_answer_and_read_an_objection(page: Page, portal_url: str, api: Api,
                                            settings: Settings, make_tenant: Any) -> None:
    SHOTS.mkdir(exist_ok=True)
    code = off_loop(make_tenant, people=10)
    off_loop(published_period, api, settings, code)

    log_in(page, portal_url, code, "ganbu")
    open_menu(page, "实绩公示")
    expect(page.locator('[data-test="publicity-window"]')).to_contain_text("个工作日")
    entries = page.locator('[data-test="publicity-entry"]')
    expect(entries).to_have_count(4)
    target = entries.nth(3)  # P004, the head of 第一科
    target.locator('[data-test="raise-objection"]').click()
    dialog = page.locator(".objection-dialog")
    dialog.get_by_label("异议理由").fill("该同志申报的党建示范点并非其牵头完成")
    page.screenshot(path=str(SHOTS / "raise.png"))
    dialog.get_by_role("button", name="提交异议").click()
    expect(page.get_by_text("异议已提交")).to_be_visible()
    expect(target.locator('[data-test="objection-outcome"]')).to_contain_text("收到异议，正在核实")
    log_out(page, portal_url)

    log_in(page, portal_url, code, "admin")
    open_menu(page, "异议处理")
    table = page.locator('[data-test="objections-table"]')
    expect(table).to_contain_text("党建示范点并非其牵头")
    expect(table).to_contain_text("匿名")
    table.locator('[data-test="answer-objection"]').click()
    answer = page.locator(".answer-dialog")
    answer.get_by_label("答复").fill("经核实，示范点由第二科牵头，情况属实")
    answer.get_by_text("较好", exact=True).click()
    answer.get_by_label("调整理由").fill("异议属实：主要实绩非本人牵头")
    page.screenshot(path=str(SHOTS / "answer.png"))
    answer.get_by_role("button", name="提交答复").click()
    expect(page.get_by_text("已答复，等次已调整")).to_be_visible()
    settle(page)
    log_out(page, portal_url)

    log_in(page, portal_url, code, "kezhang")
    open_menu(page, "我的考核结果")
    outcome = page.locator('[data-test="my-result-objections"]')
    expect(outcome).to_contain_text("异议已答复：经复核，等次由好调整为较好")
    expect(outcome).to_contain_text("经核实，示范点由第二科牵头，情况属实")
    expect(page.locator('[data-test="result-summary"]')).to_contain_text("较好")
    page.screenshot(path=str(SHOTS / "my-result.png"), full_page=True)
    log_out(page, portal_url)
