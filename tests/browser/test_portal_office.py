"""The office's pages in Chromium, on the demo's year in 金牛区西华街道 (issue 14, point 4):
督办 (overdue items with department and person, progress history, rectification with a note,
filtered by department), 点赞/错情 (issue one, see it listed), 待确认加分 (confirm one claim,
refuse another with a reason). Each flow ends with 退出登录.

The other portal helpers' tests share this demo: everything acted on here is created by this
module through the API (a task of its own, fresh claims by ganbu2), so nothing else is changed.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, log_out, menu_titles, off_loop, open_menu, settle
from tests.conftest import Api

TENANT = "xhjd"
OFFICE = "bangong"
UNIT_CODE = "pajsbgs"  # 平安建设办公室: a department of xhjd with people


def _ok(body: dict[str, Any], field: str) -> dict[str, Any]:
    payload: dict[str, Any] = body["data"][field]
    assert not payload["userErrors"], payload
    return payload


@pytest.fixture(scope="module")
def setup(demo_year: None, api: Api) -> dict[str, str]:
    """An overdue task with a progress note, two pending claims by ganbu2 and a person to
    commend, all made through the API: (names and ids the tests look for)."""
    return off_loop(_setup, api)


def _setup(api: Api) -> dict[str, str]:
    tag = uuid.uuid4().hex[:6]
    today = date.today()
    units = api.as_(TENANT, "admin", "{ orgUnits { id code name } }")["data"]["orgUnits"]
    unit = next(u for u in units if u["code"] == UNIT_CODE)
    due = today - timedelta(days=3)
    task = _ok(api.as_(TENANT, "admin", "mutation($i: TaskInput!) { createTask(input: $i) {"
                       " task { id } userErrors { code message } } }",
                       {"i": {"year": due.year, "title": f"督办测试事项{tag}",
                              "sourceKind": "ad_hoc", "unitId": unit["id"],
                              "dueOn": due.isoformat()}}), "createTask")["task"]
    _ok(api.as_(TENANT, OFFICE, "mutation($i: TaskProgressInput!) { recordTaskProgress("
                "input: $i) { userErrors { code message } } }",
                {"i": {"taskId": task["id"], "recordedOn": (today - timedelta(days=1)).isoformat(),
                       "percent": 60, "note": f"已召开推进会{tag}", "problems": "经费尚未到位"}}),
        "recordTaskProgress")
    indicators = api.as_(TENANT, OFFICE, "query($y: Int!) { indicatorScheme(year: $y) {"
                         " current { indicators { id kind needsConfirmation } } } }",
                         {"y": today.year})["data"]["indicatorScheme"]["current"]["indicators"]
    credit = next(i["id"] for i in indicators if i["kind"] == "credit")
    # The page lists the indicators that count at once first: does a 点赞 wait for confirmation?
    waits = all(i["needsConfirmation"] for i in indicators if i["kind"] == "credit")
    claims = {}
    for key, text in (("confirm", "招商项目签约落地"), ("refuse", "协调引进社会资本")):
        reason = f"{text}{tag}"
        _ok(api.as_(TENANT, "ganbu2", "mutation($i: PointRecordInput!) { claimCredit(input: $i)"
                    " { record { id } userErrors { code message } } }",
                    {"i": {"indicatorId": credit, "occurredOn": today.isoformat(),
                           "reason": reason, "evidence": "签约协议"}}), "claimCredit")
        claims[key] = reason
    people = api.as_(TENANT, OFFICE, "query($u: ID!) { people(first: 20, filter: {unitId: $u})"
                     " { nodes { name employeeNo } } }", {"u": unit["id"]})["data"]["people"]
    person = people["nodes"][-1]
    return {"tag": tag, "task": f"督办测试事项{tag}", "note": f"已召开推进会{tag}",
            "unit": unit["name"], "confirm": claims["confirm"], "refuse": claims["refuse"],
            "person": person["name"], "employee_no": person["employeeNo"],
            "waits": "yes" if waits else ""}


def _open(page: Page, portal_url: str, menu: str) -> None:
    log_in(page, portal_url, TENANT, OFFICE)
    expect(page.locator("[data-test=unit-name]")).to_have_text("金牛区西华街道")
    open_menu(page, menu)


def test_office_menu_lists_its_pages(page: Page, portal_url: str, demo_year: None) -> None:
    log_in(page, portal_url, TENANT, OFFICE)
    titles = menu_titles(page)
    assert {"督办", "点赞/错情登记", "待确认加分"} <= set(titles), titles
    log_out(page, portal_url)


def test_office_rectifies_an_overdue_item_by_department(
        page: Page, portal_url: str, setup: dict[str, str]) -> None:
    _open(page, portal_url, "督办")
    table = page.locator("[data-test=overdue-table]")
    expect(table.locator(".el-table__row").first).to_be_visible()
    # Only this department's items once filtered.
    page.locator("[data-test=unit-filter]").click()
    page.locator(".el-select-dropdown__item:visible", has_text=setup["unit"]).first.click()
    expect(table.locator(".el-table__row").filter(has_not_text=setup["unit"])).to_have_count(0)
    row = table.locator(".el-table__row", has_text=setup["task"])
    expect(row).to_be_visible()
    expect(row).to_contain_text("3 天")
    # Progress history.
    row.get_by_role("button", name="进展记录").click()
    history = page.locator("[data-test=progress-history]")
    expect(history).to_contain_text(setup["note"])
    expect(history).to_contain_text("经费尚未到位")
    page.keyboard.press("Escape")
    expect(history).to_be_hidden()
    # Rectification: a note is required.
    row.get_by_role("button", name="整改").click()
    dialog = page.get_by_role("dialog", name="整改销号")
    dialog.get_by_role("button", name="确认整改").click()
    expect(dialog).to_contain_text("请填写整改情况")
    dialog.get_by_placeholder("说明已采取的整改措施").fill("已协调财政追加经费，项目完成验收")
    dialog.get_by_role("button", name="确认整改").click()
    expect(page.get_by_text("已整改销号")).to_be_visible()
    expect(dialog).to_be_hidden()
    expect(row).to_have_count(0)
    log_out(page, portal_url)


def test_office_confirms_and_refuses_pending_claims(
        page: Page, portal_url: str, setup: dict[str, str]) -> None:
    _open(page, portal_url, "待确认加分")
    table = page.locator("[data-test=claims-table]")
    confirm = table.locator(".el-table__row", has_text=setup["confirm"])
    expect(confirm).to_be_visible()
    confirm.get_by_role("button", name="确认").click()
    page.get_by_role("dialog", name="确认加分").get_by_role("button", name="确认").click()
    expect(page.get_by_text("已确认加分")).to_be_visible()
    expect(confirm).to_have_count(0)
    refuse = table.locator(".el-table__row", has_text=setup["refuse"])
    refuse.get_by_role("button", name="退回").click()
    dialog = page.get_by_role("dialog", name="退回加分申报")
    dialog.get_by_role("button", name="确认退回").click()
    expect(dialog).to_contain_text("请填写退回理由")
    dialog.get_by_placeholder("说明退回的原因").fill("佐证材料不足，请补充签约协议")
    dialog.get_by_role("button", name="确认退回").click()
    expect(page.get_by_text("已退回")).to_be_visible()
    expect(refuse).to_have_count(0)
    log_out(page, portal_url)


def test_office_issues_a_commendation(page: Page, portal_url: str,
                                      setup: dict[str, str]) -> None:
    _open(page, portal_url, "点赞/错情登记")
    form = page.locator("[data-test=issue-form]")
    form.get_by_role("button", name="发布").click()
    expect(form).to_contain_text("请选择人员")
    page.locator("[data-test=person-select]").click()
    page.keyboard.type(setup["employee_no"])
    page.locator(".person-options .el-select-dropdown__item", has_text=setup["person"]).click()
    page.locator("[data-test=indicator-select]").click()
    page.locator(".indicator-options .el-select-dropdown__item").first.click()
    reason = f"牵头完成平安社区创建，获区委通报表扬{setup['tag']}"
    form.get_by_placeholder("如：牵头完成专项整治").fill(reason)
    form.get_by_role("button", name="发布").click()
    expect(page.get_by_text("已发布点赞").first).to_be_visible()
    row = page.locator("[data-test=issued-table] .el-table__row", has_text=reason)
    if setup["waits"]:
        # The unit's credit indicators need confirmation: the office confirms its own 点赞.
        expect(page.get_by_text("须确认后计分，请在“待确认加分”中确认")).to_be_visible()
        settle(page)
        open_menu(page, "待确认加分")
        claim = page.locator("[data-test=claims-table] .el-table__row", has_text=reason)
        claim.get_by_role("button", name="确认").click()
        page.get_by_role("dialog", name="确认加分").get_by_role("button", name="确认").click()
        expect(claim).to_have_count(0)
        open_menu(page, "点赞/错情登记")
    expect(row).to_contain_text(setup["person"])
    expect(row).to_contain_text("点赞")
    log_out(page, portal_url)
