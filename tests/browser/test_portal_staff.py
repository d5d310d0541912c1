"""The staff (干部) flows of the portal in Chromium against the demo's year (金牛区西华街道):
declare two items with sources and submit, read last quarter's score explanation, acknowledge
an interview, log out - at desktop size with ``ganbu`` and at 375x800 with another person; and
the forced password change of a new account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, log_in, log_out, open_menu, settle
from tests.conftest import Api

TENANT = "xhjd"
# A department none of the other portal tests work in: its staff are ours to change.
OUR_UNIT = "平安建设办公室"
LAST_QUARTER = "2025年第四季度"

PERIODS = "query($y:Int){ periods(year:$y) { id name state } }"
INTERVIEW = ("query($p:ID!,$who:ID!){ feedbackInterview(periodId:$p, personId:$who) { heldOn "
             "resultTold strengths weaknesses rootCauses praise critique encouragement fitRating "
             "acknowledged topics { topic covered notes } "
             "improvementPlan { action followUpOn } } }")


@dataclass(frozen=True)
class Staff:
    username: str
    person_id: str


def _ok(body: dict[str, Any], field: str) -> dict[str, Any]:
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"][field]
    assert not payload.get("userErrors"), payload
    return payload


@pytest.fixture(scope="module")
def last_quarter(demo_year: None, api: Api) -> str:
    """2025 Q4's id: closed, its interviews of ganbu and of OUR_UNIT still to acknowledge."""
    periods = api.as_(TENANT, "admin", PERIODS, {"y": 2025})["data"]["periods"]
    (period,) = [p for p in periods if p["name"] == LAST_QUARTER]
    assert period["state"] == "closed"
    return str(period["id"])


@pytest.fixture(scope="module")
def second_staff(last_quarter: str, api: Api) -> Staff:
    """A staff member of OUR_UNIT without a 2026 Q4 declaration, whose 2025 Q4 interview waits
    for them (the demo leaves that department's acknowledgements open)."""
    accounts = api.as_(TENANT, "admin", "{ accounts { username roles person { id unit { name } "
                       "} } }")["data"]["accounts"]
    staff = sorted((a for a in accounts if a["roles"] == ["staff"] and a["person"]
                    and a["person"]["unit"]["name"] == OUR_UNIT), key=lambda a: a["username"])
    assert staff, f"no staff account in {OUR_UNIT}"
    chosen = staff[0]
    interview = api.as_(TENANT, chosen["username"], INTERVIEW,
                        {"p": last_quarter, "who": chosen["person"]["id"]})
    assert interview["data"]["feedbackInterview"]["acknowledged"] is False, interview
    return Staff(chosen["username"], chosen["person"]["id"])


def _open(page: Page, title: str, phone: bool) -> None:
    """From the side menu, or on a phone from the drawer the header's 菜单 button opens."""
    if phone:
        page.get_by_role("button", name="菜单").click()
    open_menu(page, title)


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None
    assert width <= viewport["width"], (
        f"the page is {width}px wide on a {viewport['width']}px screen")


def _pick(page: Page, item: int, group: str) -> None:
    page.locator(f"[data-test=item-{item}] .el-select").click()
    options = page.locator(".el-select-dropdown:visible .el-select-group__wrap").filter(
        has_text=group).locator(".el-select-dropdown__item")
    options.first.click()
    expect(page.locator(".el-select-dropdown:visible")).to_have_count(0)  # closed again


def _staff_flow(page: Page, portal_url: str, username: str, phone: bool) -> None:
    log_in(page, portal_url, TENANT, username)
    expect(page).to_have_url(f"{portal_url}/")
    expect(page.locator("[data-test=current-period]")).to_contain_text("2026年第四季度")
    expect(page.locator("[data-test=stage-deadline]")).to_contain_text("本阶段截止")
    _fits(page)

    # 实绩申报: two items, one from my tasks (or, if I have none, indicators), one indicator.
    _open(page, "实绩申报", phone)
    expect(page).to_have_url(f"{portal_url}/declaration")
    expect(page.locator("[data-test=declaration-deadline]")).to_contain_text("申报截止")
    page.get_by_label("第1项标题").fill("牵头完成辖区平安建设专项整治")
    page.get_by_label("第1项内容").fill("组织排查隐患32处，按期整改完毕，群众满意度明显提升。")
    page.get_by_label("第1项自我评价").fill("较好完成")
    _pick(page, 1, "考核指标")
    page.get_by_role("button", name="添加一项").click()
    page.get_by_label("第2项标题").fill("完成季度重点工作任务")
    page.get_by_label("第2项内容").fill("按时完成季度重点工作，形成工作台账并报送。")
    _pick(page, 2, "考核指标")
    _fits(page)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存")).to_be_visible()
    page.get_by_role("button", name="提交", exact=True).click()
    page.get_by_role("button", name="确定提交").click()
    expect(page.locator("[data-test=declaration-status]")).to_have_text("已提交")
    expect(page.locator("[data-test=declared-item]")).to_have_count(2)
    expect(page.locator("[data-test=declared-item]").first).to_contain_text("来源：考核指标")
    expect(page.get_by_role("button", name="保存草稿")).to_have_count(0)  # read only now

    # 我的考核结果: last quarter's score with its explanation.
    _open(page, "我的考核结果", phone)
    expect(page).to_have_url(f"{portal_url}/my-results")
    expect(page.locator(".period-select")).to_contain_text("2025年度")  # the latest published
    page.locator(".period-select").click()
    page.locator(".el-select-dropdown:visible .el-select-dropdown__item").filter(
        has_text=LAST_QUARTER).click()
    expect(page.locator(".el-select-dropdown:visible")).to_have_count(0)
    expect(page.locator(".period-select")).to_contain_text(LAST_QUARTER)
    summary = page.locator("[data-test=result-summary]")
    expect(summary).to_contain_text("得分")
    expect(summary).to_contain_text("排名")
    explanation = page.locator("[data-test=score-explanation]")
    expect(explanation).to_contain_text("各评价主体")
    expect(explanation).to_contain_text("各指标")
    expect(explanation).to_contain_text("各评价维度得分")
    _fits(page)

    # 反馈谈话: acknowledge last quarter's interview with a comment.
    _open(page, "反馈谈话", phone)
    expect(page).to_have_url(f"{portal_url}/my-interviews")
    card = page.locator(".el-card").filter(has_text=LAST_QUARTER)
    expect(card).to_contain_text("待确认")
    expect(card).to_contain_text("四必谈")
    expect(card).to_contain_text("改进计划")
    card.get_by_label("补充意见").fill("已知悉，下季度抓好落实")
    card.get_by_role("button", name="确认谈话内容").click()
    expect(card).to_contain_text("已确认")
    expect(card).to_contain_text("已知悉，下季度抓好落实")
    _fits(page)

    log_out(page, portal_url)
    assert page.evaluate("sessionStorage.getItem('jixiao.token')") is None


def test_staff_declares_reads_the_score_acknowledges_and_logs_out(
        page: Page, portal_url: str, last_quarter: str) -> None:
    _staff_flow(page, portal_url, "ganbu", phone=False)


def test_the_same_staff_flow_on_a_phone(phone_page: Page, portal_url: str,
                                        second_staff: Staff) -> None:
    _staff_flow(phone_page, portal_url, second_staff.username, phone=True)


def test_a_new_account_must_change_its_password_first(page: Page, portal_url: str,
                                                      demo_year: None, api: Api) -> None:
    username = "xinzhanghao"
    created = api.as_(TENANT, "admin", "mutation($i:AccountInput!){ createAccount(input:$i) {"
                      " account { id } userErrors { code message } } }",
                      {"i": {"username": username, "password": "Chushi@2026",
                             "displayName": "新账号", "roles": ["staff"]}})
    _ok(created, "createAccount")
    log_in(page, portal_url, TENANT, username, "Chushi@2026")
    expect(page).to_have_url(f"{portal_url}/change-password")
    expect(page.locator("[data-test=password-rules]")).to_contain_text("至少8位")
    settle(page)
    page.goto(f"{portal_url}/my-tasks")  # the guard keeps them on 修改密码
    expect(page).to_have_url(f"{portal_url}/change-password")
    page.get_by_label("当前密码").fill("Chushi@2026")
    page.get_by_label("新密码", exact=True).fill("weak")
    page.get_by_label("确认新密码").fill("weak")
    page.get_by_role("button", name="确认修改").click()
    expect(page.locator("[data-test=password-error]")).to_contain_text("8")
    page.get_by_label("新密码", exact=True).fill(DEMO_PASSWORD + "x")
    page.get_by_label("确认新密码").fill(DEMO_PASSWORD + "x")
    page.get_by_role("button", name="确认修改").click()
    expect(page).to_have_url(f"{portal_url}/")
    expect(page.locator("[data-test=current-period]")).to_be_visible()
    settle(page)
    page.reload()  # the new token holds the session
    expect(page.locator("[data-test=current-period]")).to_contain_text("2026年第四季度")
    log_out(page, portal_url)
    log_in(page, portal_url, TENANT, username, DEMO_PASSWORD + "x")
    expect(page).to_have_url(f"{portal_url}/")
    expect(page.locator("[data-test=current-period]")).to_contain_text("2026年第四季度")
    log_out(page, portal_url)


def test_publicity_board_and_indicators_on_a_phone(phone_page: Page, portal_url: str,
                                                   demo_year: None) -> None:
    page = phone_page
    log_in(page, portal_url, TENANT, "ganbu")
    expect(page).to_have_url(f"{portal_url}/")
    _open(page, "实绩公示", phone=True)
    expect(page).to_have_url(f"{portal_url}/publicity")
    expect(page.locator(".period-select")).to_contain_text("2025年度")
    expect(page.locator("[data-test=publicity-entry]").first).to_be_visible()
    _fits(page)
    _open(page, "点赞/错情", phone=True)
    expect(page).to_have_url(f"{portal_url}/board")
    page.get_by_label("年度").fill("2025")
    page.get_by_label("年度").press("Enter")
    expect(page.locator("[data-test=board-record]").first.or_(
        page.get_by_text("本年度暂无点赞事项"))).to_be_visible()
    page.get_by_role("tab", name="错情").click()
    expect(page.locator("[data-test=board-record]").first.or_(
        page.get_by_text("本年度暂无错情通报"))).to_be_visible()
    _fits(page)
    _open(page, "我的指标", phone=True)
    expect(page).to_have_url(f"{portal_url}/my-indicators")
    expect(page.locator("[data-test=indicator]").first).to_be_visible()
    _fits(page)
    log_out(page, portal_url)
