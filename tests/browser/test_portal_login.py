"""The portal's foundation in Chromium: login, the layout with the unit's name and a menu by
role, the home page's current period, logout, and GraphiQL - all with nothing leaving the
machine (the page fixture aborts every non-loopback request and fails the test on any)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    Watch,
    log_in,
    log_out,
    menu_titles,
    off_loop,
    open_menu,
    settle,
)
from tests.conftest import Api


@pytest.fixture(scope="module")
def unit(make_tenant: Any, api: Api) -> tuple[str, str]:
    """A fresh unit with one period in its declaration stage: (code, name)."""
    code: str = off_loop(make_tenant)
    name: str = api.as_(code, "admin", "{ tenant { name } }")["data"]["tenant"]["name"]
    created = api.as_(code, "admin", "mutation($i: PeriodInput!) { createPeriod(input: $i) {"
                      " period { id } userErrors { message } } }",
                      {"i": {"kind": "quarter", "year": 2026, "quarter": 2}})
    created = created["data"]["createPeriod"]
    assert not created["userErrors"], created
    period_id = created["period"]["id"]
    for state in ("executing", "declaring"):
        moved = api.as_(code, "admin", "mutation($id: ID!, $s: PeriodState!) { advancePeriod("
                        "id: $id, toState: $s) { userErrors { message } } }",
                        {"id": period_id, "s": state})["data"]["advancePeriod"]
        assert not moved["userErrors"], moved
    return code, name


def test_root_serves_the_login_page_with_nothing_leaving_the_machine(
        page: Page, portal_url: str, watch: Watch) -> None:
    page.goto(f"{portal_url}/")
    expect(page).to_have_url(f"{portal_url}/login")
    for label in ("单位代码", "用户名", "密码"):
        expect(page.get_by_label(label)).to_be_visible()
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert watch.blocked == []


def test_wrong_password_shows_the_chinese_error(page: Page, portal_url: str,
                                                unit: tuple[str, str]) -> None:
    log_in(page, portal_url, unit[0], "waibu", "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("单位代码、用户名或密码不正确")
    expect(page).to_have_url(f"{portal_url}/login")


def test_staff_sees_the_unit_its_name_the_period_and_a_staff_menu(
        page: Page, portal_url: str, unit: tuple[str, str]) -> None:
    code, name = unit
    log_in(page, portal_url, code, "ganbu")
    expect(page).to_have_url(f"{portal_url}/")
    expect(page.locator("[data-test=unit-name]")).to_have_text(name)
    expect(page.locator("[data-test=user-name]")).not_to_be_empty()
    expect(page.locator("[data-test=current-period]")).to_contain_text("2026年第二季度")
    expect(page.locator("[data-test=current-period]")).to_contain_text("实绩申报")
    assert menu_titles(page) == ["首页", "我的任务", "实绩申报", "我的考核结果", "反馈谈话",
                                 "我的指标", "实绩公示", "年度述职", "民主测评", "点赞/错情"]
    # A short menu stays flat.
    expect(page.locator("[data-test=side-menu] .el-sub-menu")).to_have_count(0)
    open_menu(page, "我的任务")
    expect(page).to_have_url(f"{portal_url}/my-tasks")
    expect(page.locator("[data-test=task-table]")).to_be_visible()


def test_tenant_admin_gets_another_menu_and_staff_cannot_open_its_pages(
        page: Page, portal_url: str, unit: tuple[str, str]) -> None:
    code, name = unit
    log_in(page, portal_url, code, "admin")
    expect(page.locator("[data-test=unit-name]")).to_have_text(name)
    # A long menu: its pages in groups that follow the cycle (routes.ts).
    assert menu_titles(page) == ["首页", "考核周期", "指标体系", "岗位责任书", "目标任务",
                                 "待确认扣分/加分", "自动采集规则", "综合研判", "校准分析",
                                 "异议处理", "结果运用", "绩效奖金", "报表导出", "述职报告",
                                 "民主测评管理", "组织架构", "人员", "花名册导入", "账号与角色",
                                 "单位设置", "审计日志"]
    groups = page.locator("[data-test=side-menu] .el-sub-menu__title")
    assert [t.strip() for t in groups.all_text_contents()] == [
        "计划与执行", "评价与结果", "年度考核", "设置与管理"]
    open_menu(page, "组织架构")
    expect(page.locator("[data-test=org-tree]")).to_contain_text("第一科一组")
    log_out(page, portal_url)
    log_in(page, portal_url, code, "ganbu")
    expect(page).to_have_url(f"{portal_url}/")
    # A navigation would abort 首页's requests: wait for the last one (the tasks) to show.
    expect(page.locator("[data-test=my-tasks]")).to_be_visible()
    page.goto(f"{portal_url}/org")  # a page the staff role may not see: refused in Chinese
    expect(page).to_have_url(re.compile(r"/forbidden\?from="))
    expect(page.get_by_text("无权访问", exact=True)).to_be_visible()
    expect(page.get_by_text("您的账号没有访问该页面的权限")).to_be_visible()
    settle(page)  # the refused page's own requests end here
    page.goto(f"{portal_url}/review")  # nor 综合研判
    expect(page).to_have_url(re.compile(r"/forbidden\?from="))
    expect(page.get_by_text("无权访问", exact=True)).to_be_visible()
    settle(page)


def test_logout_returns_to_the_login_page_and_forgets_the_session(
        page: Page, portal_url: str, unit: tuple[str, str]) -> None:
    log_in(page, portal_url, unit[0], "kezhang")
    expect(page.locator("[data-test=unit-name]")).to_have_text(unit[1])
    log_out(page, portal_url)
    assert page.evaluate("sessionStorage.getItem('jixiao.token')") is None
    page.goto(f"{portal_url}/my-tasks")
    expect(page).to_have_url(f"{portal_url}/login?redirect=/my-tasks")


def test_an_expired_token_sends_the_user_to_the_login_page(
        page: Page, portal_url: str, unit: tuple[str, str], watch: Watch) -> None:
    watch.allow(401, r"/graphql$")
    log_in(page, portal_url, unit[0], "ganbu")
    expect(page.locator("[data-test=unit-name]")).to_have_text(unit[1])
    settle(page)
    page.evaluate("sessionStorage.setItem('jixiao.token', 'not-a-token')")
    page.goto(f"{portal_url}/my-tasks")
    expect(page).to_have_url(f"{portal_url}/login")


def test_graphiql_loads_offline(page: Page, portal_url: str, watch: Watch) -> None:
    page.goto(f"{portal_url}/graphiql")
    expect(page.locator(".graphiql-container")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert watch.blocked == []


def test_login_and_the_layout_work_on_a_phone(phone_page: Page, portal_url: str,
                                              unit: tuple[str, str]) -> None:
    log_in(phone_page, portal_url, unit[0], "ganbu")
    expect(phone_page.locator("[data-test=unit-name]")).to_have_text(unit[1])
    phone_page.get_by_role("button", name="菜单").click()  # the side menu is a drawer on a phone
    expect(phone_page.get_by_role("menuitem", name="我的任务")).to_be_visible()
    expect(phone_page.get_by_role("button", name="退出登录")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide on a 375px screen"
