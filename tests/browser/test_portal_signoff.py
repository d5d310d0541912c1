"""逐级审核 in the portal (issue 17 part 4) on a tenant of its own (no demo unit's period moves):
the department head passes 第一科 on, the supervising leader returns it with a reason, the
department head sees the reason on the steps bar's scope; the admin's 综合研判 shows the chain
and 单位设置 its levels."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from jixiao.settings import Settings
from tests.browser.conftest import log_in, log_out, off_loop, open_menu, settle
from tests.conftest import Api
from tests.test_signoff import CHAIN, seeded

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"signoff-{name}.png"), full_page=True)


def test_pass_return_and_the_reason_seen_below(page: Page, portal_url: str, api: Api,
                                               settings: Settings, make_tenant: Any) -> None:
    code: str = off_loop(make_tenant, 12)
    off_loop(seeded, api, settings, code, CHAIN)
    first = "[data-test='signoff-scope-第一科']"

    log_in(page, portal_url, code, "kezhang")
    open_menu(page, "逐级审核")
    scope = page.locator(first)
    expect(scope.locator("[data-test=signoff-status]")).to_have_text("当前：科室负责人审核")
    expect(page.locator("[data-test=signoff-results]")).to_contain_text("第一科")
    shot(page, "1-department-head")
    scope.locator("[data-test=signoff-pass]").click()
    box = page.locator(".el-message-box")
    box.get_by_placeholder("意见（选填）").fill("已逐一核对")
    box.get_by_role("button", name="通过并提交上一级").click()
    expect(page.get_by_text("已通过并提交上一级")).to_be_visible()
    expect(scope.locator("[data-test=signoff-status]")).to_have_text("当前：分管领导审核")
    expect(scope.locator("[data-test=signoff-history]")).to_contain_text("意见：已逐一核对")
    log_out(page, portal_url)

    log_in(page, portal_url, code, "fenguan")
    open_menu(page, "逐级审核")
    scope = page.locator(first)
    scope.locator("[data-test=signoff-return]").click()
    box = page.locator(".el-message-box")
    box.get_by_placeholder("退回理由（必填）").fill("请补充第一科较好等次的依据")
    box.get_by_role("button", name="退回").click()
    expect(page.get_by_text("已退回")).to_be_visible()
    log_out(page, portal_url)

    log_in(page, portal_url, code, "kezhang")
    open_menu(page, "逐级审核")
    scope = page.locator(first)
    expect(scope.locator("[data-test=signoff-returned]")).to_contain_text(
        "已被退回，理由：请补充第一科较好等次的依据")
    expect(scope.locator("[data-test=signoff-status]")).to_have_text("当前：科室负责人审核")
    shot(page, "2-returned")
    log_out(page, portal_url)

    log_in(page, portal_url, code, "admin")
    open_menu(page, "综合研判")
    expect(page).to_have_url(re.compile(r"/review"))
    panel = page.locator("[data-test=signoff]")
    expect(panel).to_contain_text("科室负责人 → 分管领导 → 考核委员会")
    unit = panel.locator("[data-test='signoff-scope-全单位'] [data-test=signoff-status]")
    expect(unit).to_have_text("等待各部门完成部门审核")
    expect(page.locator("[data-test=confirm-all]")).to_have_count(0)
    settle(page)
    shot(page, "3-review")

    # 单位设置 shows the chain's levels, each with its name and role
    open_menu(page, "单位设置")
    editor = page.locator("[data-test=signoff-chain-editor]")
    for i, name in enumerate(("科室负责人", "分管领导", "考核委员会"), start=1):
        expect(editor.get_by_label(f"第{i}级名称")).to_have_value(name)
    expect(editor).to_contain_text("分管领导（按部门）")
    settle(page)
    editor.scroll_into_view_if_needed()
    shot(page, "4-settings")
    log_out(page, portal_url)
