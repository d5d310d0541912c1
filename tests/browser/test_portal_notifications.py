"""消息通知 in Chromium (issue 17, part 1), on a tenant of its own (no demo unit's period is
moved): the declaration stage opens, the staff member's header bell shows one unread
notification, 消息通知 lists it and 查看 follows its link to 实绩申报 and marks it read; the
admin's 单位设置 shows the notification settings and the channels' secrets card, and 消息通知
its delivery log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, log_out, off_loop, settle
from tests.conftest import Api
from tests.test_periods import advance_to, new_period

SHOTS = Path(__file__).resolve().parents[2] / "data" / "screenshots"


def test_the_bell_and_the_inbox(page: Page, portal_url: str, api: Api,
                                make_tenant: Any) -> None:
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

    log_in(page, portal_url, code, "admin")
    expect(page.locator("[data-test=side-menu]")).to_be_visible()
    settle(page)
    page.goto(f"{portal_url}/admin/settings")
    expect(page.locator("[data-test='setting-notifications.email.enabled']")).to_be_visible()
    expect(page.locator("[data-test=notification-channels]")).to_contain_text("SMTP 密码未设置")
    page.screenshot(path=str(SHOTS / "notifications-settings.png"), full_page=True)
    settle(page)
    page.goto(f"{portal_url}/notifications")
    page.get_by_role("tab", name="发送记录").click()
    expect(page.locator("[data-test=deliveries]")).to_contain_text("暂无发送记录")
    log_out(page, portal_url)
