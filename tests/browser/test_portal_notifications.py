"""消息通知 in Chromium (issue 17, part 1), on a tenant of its own (no demo unit's period is
moved): the declaration stage opens, the staff member's header bell shows one unread
notification, 消息通知 lists it and 查看 follows its link to 实绩申报 and marks it read; the
admin's 单位设置 shows the notification settings and the channels' secrets card, and 消息通知
its delivery log. The WeCom robot's address (it holds its key) shows masked on 单位设置, and
saving another setting there keeps it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from jixiao.settings import Settings
from tests.browser.conftest import log_in, log_out, off_loop, settle
from tests.conftest import Api
from tests.test_notifications import SETTINGS, WECOM_KEY, stored_settings
from tests.test_periods import advance_to, new_period

SHOTS = Path(__file__).resolve().parents[2] / "data" / "screenshots"


def test_the_bell_and_the_inbox(page: Page, portal_url: str, api: Api,
                                make_tenant: Any, settings: Settings) -> None:
    code = off_loop(make_tenant, people=9)
    period = off_loop(new_period, api, code, quarter=1)
    off_loop(advance_to, api, code, period, "declaring")
    SHOTS.mkdir(parents=True, exist_ok=True)

    log_in(page, portal_url, code, "ganbu")
    bell = page.locator("[data-test=bell]")
    expect(bell.locator(".el-badge__content")).to_have_text("1")
    settle(page)
    bell.click()
    expect(page.get_by_role("heading", name="消息通知")).to_be_visible()
    inbox = page.locator("[data-test=inbox]")
    expect(inbox).to_contain_text("2026年第一季度实绩申报已开始")
    expect(inbox).to_contain_text("未读")
    page.screenshot(path=str(SHOTS / "notifications-inbox.png"), full_page=True)
    settle(page)
    inbox.get_by_role("button", name="查看").click()
    expect(page).to_have_url(f"{portal_url}/declaration")
    expect(bell.locator(".el-badge__content")).to_be_hidden()
    log_out(page, portal_url)

    robot = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={WECOM_KEY}"
    off_loop(api.as_, code, "admin", SETTINGS, {"s": {"notifications": {"wecom": {
        "url": robot}}}})
    log_in(page, portal_url, code, "admin")
    expect(page.locator("[data-test=side-menu]")).to_be_visible()
    settle(page)
    page.goto(f"{portal_url}/admin/settings")
    expect(page.locator("[data-test='setting-notifications.email.enabled']")).to_be_visible()
    expect(page.locator("[data-test=notification-channels]")).to_contain_text("SMTP 密码未设置")
    robot_item = page.locator('[data-test="setting-notifications.wecom.url"]')
    expect(robot_item.get_by_role("textbox", name="企业微信 Webhook 地址")).to_have_value(
        "已设置（https://qyapi.weixin.qq.com/…，末4位：5aaa）")
    page.screenshot(path=str(SHOTS / "notifications-settings.png"), full_page=True)
    item = page.locator('[data-test="setting-declarations.max_items"]')
    item.get_by_label("申报项数上限").fill("4")
    item.get_by_label("申报项数上限").blur()
    page.get_by_role("button", name="保存设置（1 项修改）").click()
    expect(page.get_by_text("设置已保存")).to_be_visible()
    stored = off_loop(stored_settings, settings, code)
    assert stored["declarations"]["max_items"] == 4
    assert stored["notifications"]["wecom"]["url"] == robot
    settle(page)
    page.goto(f"{portal_url}/notifications")
    page.get_by_role("tab", name="发送记录").click()
    expect(page.locator("[data-test=deliveries]")).to_contain_text("暂无发送记录")
    log_out(page, portal_url)
