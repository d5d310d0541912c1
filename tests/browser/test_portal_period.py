"""The tenant admin's whole cycle in Chromium (issue 15's first acceptance point), on the demo's
open quarter of 都江堰市委组织部 (djyzzb, in 实绩申报): the admin updates the roster (one bad
row first), publishes a new scheme version, drives the quarter through every stage (考核周期
and 综合研判), then runs the year's bonus and downloads its PDF and XLSX.

What the admin cannot do (declare, rate, hold interviews) is done through the API as the
people themselves. One rater's ratings are left out first, so the admin sees the guard name
who is missing; then they are filled. The steps are module-level functions taking the page
(and the API where people act), so an end-to-end test can compose them:

``open_periods`` -> ``advance_to`` (stage by stage, ``advance_refused`` for a guard) ->
``set_deadline`` -> ``review_and_confirm`` (compute, change one grade with a reason, confirm)
-> ``publish`` -> ... -> ``reopen``. djyzzb is this module's unit: nobody else advances it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, log_out, off_loop, open_menu, settle
from tests.browser.test_portal_admin import import_roster
from tests.browser.test_portal_bonus import (
    PROGRESS_SEEN,
    confirm_bonus,
    export_files,
    pdf_text,
    run_bonus,
    xlsx_rows,
)
from tests.browser.test_portal_schemes import publish_new_version
from tests.conftest import Api

TENANT = "djyzzb"
ADMIN = "admin"
SHOTS = "/tmp/period-shots"
SLOW = 60_000  # ms: computing, confirming and the guards of 40 people on a busy machine
ADMIN_ROLES = {"tenant_admin", "security_admin", "audit_admin", "system_admin"}

PERIODS = "{ periods { id name kind state } }"
PEOPLE = ("query($after:String){ people(first:100, after:$after) { pageInfo { hasNextPage "
          "endCursor } nodes { id employeeNo name gender rankTitle comparisonGroup appraised "
          "status unit { name } post { name } managers { kind personId } } } }")
# The roster's words for a comparison group (resolvers/org/roster_file.py reads them).
GROUPS = {"leader": "领导", "staff": "干部"}
PROMOTED = "三级主任科员"


def _ok(body: dict[str, Any], field: str) -> dict[str, Any]:
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"][field]
    assert not payload.get("userErrors"), payload
    return payload


@dataclass(frozen=True)
class Quarter:
    id: str
    name: str
    people: dict[str, dict[str, Any]]  # person id -> person (with employeeNo, managers)
    logins: dict[str, str]  # person id -> the username of their account

def open_quarter(api: Api, tenant: str = TENANT) -> Quarter:
    """The tenant's open quarter and its people (API, off Playwright's loop)."""
    periods = api.as_(tenant, ADMIN, PERIODS)["data"]["periods"]
    (period,) = [p for p in periods if p["kind"] == "quarter" and p["state"] != "closed"]
    people: dict[str, dict[str, Any]] = {}
    after = None
    while True:
        page = api.as_(tenant, ADMIN, PEOPLE, {"after": after})["data"]["people"]
        people.update({p["id"]: p for p in page["nodes"]})
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    accounts = api.as_(tenant, ADMIN, "{ accounts { username roles person { id } } }")
    logins: dict[str, str] = {}
    # A person's own account (one with a role besides the administrators') signs in as them.
    for a in sorted(accounts["data"]["accounts"],
                    key=lambda a: set(a["roles"]) <= ADMIN_ROLES):
        if a["person"] and a["person"]["id"] not in logins:
            logins[a["person"]["id"]] = a["username"]
    return Quarter(period["id"], period["name"], people, logins)


def declare_everyone(api: Api, quarter: Quarter, tenant: str = TENANT) -> None:
    """Everyone who may declare and has not yet submits one item (as themselves)."""
    missing = api.as_(tenant, ADMIN, "query($p:ID!){ undeclaredPeople(periodId:$p) { id } }",
                      {"p": quarter.id})["data"]["undeclaredPeople"]
    for who in missing:
        login = quarter.logins.get(who["id"])
        if login is None:  # nobody signs in as them: they stay undeclared
            continue
        sources = api.as_(tenant, login, "query($p:ID!){ declarationSources(periodId:$p) {"
                          " indicators { id } tasks { id } } }", {"p": quarter.id})
        offered = sources["data"]["declarationSources"]
        item: dict[str, Any] = {"title": "完成本季度重点工作", "selfAssessment": "较好完成",
                                "content": "按时完成本季度承担的重点工作，形成台账并报送。"}
        if offered["tasks"]:
            item["taskId"] = offered["tasks"][0]["id"]
        else:
            item["indicatorId"] = offered["indicators"][0]["id"]
        saved = api.as_(tenant, login, "mutation($p:ID!,$i:[DeclarationItemInput!]!){ "
                        "saveDeclaration(periodId:$p, items:$i) { userErrors { code message } }"
                        " }", {"p": quarter.id, "i": [item]})
        errors = saved["data"]["saveDeclaration"]["userErrors"]
        if errors and errors[0]["code"] == "FORBIDDEN":  # e.g. the admin's own person
            continue
        _ok(saved, "saveDeclaration")
        _ok(api.as_(tenant, login, "mutation($p:ID!){ submitDeclaration(periodId:$p) {"
                    " userErrors { code message } } }", {"p": quarter.id}), "submitDeclaration")


def raters_of(api: Api, quarter: Quarter, tenant: str = TENANT) -> list[str]:
    """The person ids of everyone who rates in the quarter, by employee number."""
    rows = api.as_(tenant, ADMIN, "query($p:ID!){ raterAssignments(periodId:$p) { raterId } }",
                   {"p": quarter.id})["data"]["raterAssignments"]
    return sorted({r["raterId"] for r in rows},
                  key=lambda i: quarter.people[i]["employeeNo"])


def rate_as(api: Api, quarter: Quarter, rater_id: str, tenant: str = TENANT) -> None:
    """One rater saves their whole grid (scores spread by employee number)."""
    login = quarter.logins[rater_id]
    forms = api.as_(tenant, login, "query($p:ID!){ myRatingForms(periodId:$p) { personId "
                    "indicators { id } dimensions { code } } }",
                    {"p": quarter.id})["data"]["myRatingForms"]
    rows = []
    for form in forms:
        digits = re.sub(r"\D", "", quarter.people[form["personId"]]["employeeNo"]) or "0"
        base = Decimal(75) + Decimal(int(digits) % 23)
        rows.append({"personId": form["personId"], "cells": [
            {"indicatorId": i["id"], "dimension": d["code"], "value": str(base)}
            for i in form["indicators"] for d in form["dimensions"]]})
    if rows:
        _ok(api.as_(tenant, login, "mutation($i:SaveRatingGridInput!){ saveRatingGrid(input:$i)"
                    " { userErrors { code message } } }",
                    {"i": {"periodId": quarter.id, "rows": rows}}), "saveRatingGrid")


MANAGER_ORDER = ("department_head", "supervising_leader", "principal_leader")


def interview_everyone(api: Api, quarter: Quarter, tenant: str = TENANT) -> None:
    """Each person's nearest manager records the interview (as themselves)."""
    units = api.as_(tenant, ADMIN, "query($p:ID!){ interviewCompletion(periodId:$p) {"
                    " missing { personId } } }", {"p": quarter.id})["data"]["interviewCompletion"]
    held = date.today()
    for unit in units:
        for who in unit["missing"]:
            person = quarter.people[who["personId"]]
            manager = sorted(person["managers"], key=lambda m: MANAGER_ORDER.index(m["kind"]))[0]
            login = quarter.logins[manager["personId"]]
            _ok(api.as_(tenant, login, "mutation($i:InterviewInput!){ recordInterview(input:$i)"
                        " { userErrors { code message } } }", {"i": {
                            "periodId": quarter.id, "personId": who["personId"],
                            "heldOn": held.isoformat(),
                            "resultTold": "告知本季度考核等次和得分",
                            "strengths": "责任心强，完成任务及时",
                            "weaknesses": "工作创新不够，总结提炼不足",
                            "rootCauses": "对新政策学习研究不深",
                            "improvementPlan": [{"action": "每月学习一项新政策并形成心得",
                                                 "followUpOn": (held + timedelta(days=30))
                                                 .isoformat()}],
                            "topics": [{"topic": t, "covered": True, "notes": "已谈，情况良好"}
                                       for t in ("thinking", "achievements", "competence",
                                                 "conduct")],
                            "praise": "肯定本季度工作成绩", "critique": "指出创新方面的不足",
                            "encouragement": "鼓励下季度争先创优", "fitRating": 4}}),
                "recordInterview")


# --- the admin's steps in the browser -------------------------------------------------------

def shot(page: Page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def open_periods(page: Page, portal_url: str, period_name: str) -> None:
    """From the side menu to 考核周期, with the given period chosen."""
    open_menu(page, "考核周期")
    expect(page).to_have_url(f"{portal_url}/periods")
    page.locator("[data-test=period-table]").get_by_role("row").filter(
        has_text=period_name).get_by_role("button", name="管理").click()
    expect(page.locator("[data-test=period-detail]")).to_contain_text(period_name)


def stage(page: Page) -> str:
    return page.locator("[data-test=period-state]").inner_text().strip()


def advance_once(page: Page) -> None:
    """Clicks 进入下一阶段 (confirming the undeclared warning if it comes) and waits for the
    stage to change or a guard message to show."""
    before = stage(page)
    page.locator("[data-test=advance]").click()
    box = page.locator(".el-message-box")
    guard = page.locator("[data-test=guard-message]")
    state = page.locator("[data-test=period-state]")
    expect(box.or_(guard).or_(state.filter(has_not_text=before)).first).to_be_visible(
        timeout=SLOW)
    if box.is_visible():
        box.get_by_role("button", name="仍要进入").click()
        expect(guard.or_(state.filter(has_not_text=before)).first).to_be_visible(timeout=SLOW)


def advance_refused(page: Page, *expected: str) -> str:
    """Advancing is refused: the guard message shows and contains every expected text."""
    advance_once(page)
    guard = page.locator("[data-test=guard-message]")
    expect(guard).to_be_visible()
    for text in expected:
        expect(guard).to_contain_text(text)
    return guard.inner_text()


def advance_to(page: Page, target: str) -> None:
    """Advances stage by stage until the period is in ``target`` (a stage's Chinese name);
    fails with the guard's message if a stage cannot be left."""
    for _ in range(8):
        if stage(page) == target:
            return
        advance_once(page)
        guard = page.locator("[data-test=guard-message]")
        assert not guard.is_visible(), guard.inner_text()
    assert stage(page) == target


def set_deadline(page: Page, stage_label: str, at: datetime) -> None:
    """设置截止时间: one stage's deadline, typed into its picker."""
    page.get_by_role("button", name="设置截止时间").click()
    dialog = page.get_by_role("dialog", name=re.compile("设置截止时间"))
    picker = dialog.get_by_placeholder(f"选择{stage_label}截止时间")
    picker.click()
    picker.fill(at.strftime("%Y-%m-%d %H:%M"))
    picker.press("Enter")
    dialog.get_by_text("已设置的截止时间").click()  # closes the picker's panel
    dialog.get_by_role("button", name="保存").click()
    expect(page.get_by_text("截止时间已保存")).to_be_visible()
    expect(dialog).to_be_hidden()


def open_review(page: Page, portal_url: str) -> None:
    page.get_by_role("button", name="前往综合研判").click()
    expect(page).to_have_url(re.compile(f"{re.escape(portal_url)}/review"))


def compute(page: Page) -> None:
    page.locator("[data-test=compute]").click()
    box = page.locator(".el-message-box")
    quotas = page.locator("[data-test=quotas]")
    expect(box.or_(quotas).first).to_be_visible(timeout=SLOW)
    if box.is_visible():
        box.get_by_role("button", name="仍要计算").click()
    expect(quotas).to_be_visible(timeout=SLOW)


def decide_ties(page: Page) -> None:
    """Each tie cut by a line is decided one by one with a reason (keeping the proposal)."""
    for _ in range(50):
        button = page.get_by_role("button", name="确定等次")
        if not button.count():
            return
        button.first.click()
        dialog = page.get_by_role("dialog", name=re.compile("调整等次"))
        dialog.get_by_label("调整理由").fill("并列跨线，经考核委员会综合研判，维持拟定等次")
        dialog.get_by_role("button", name="保存").click()
        expect(dialog).to_be_hidden(timeout=SLOW)


def change_grade(page: Page, name: str, grade: str, reason: str) -> None:
    """调整等次 of one person with a reason; breaks a rule only with the override ticked."""
    row = page.locator(".el-table__row").filter(has_text=name).first
    row.get_by_role("button", name=re.compile("调整等次|确定等次")).click()
    dialog = page.get_by_role("dialog", name=re.compile("调整等次"))
    dialog.locator("label").filter(has_text=re.compile(f"^{grade}$")).click()
    dialog.get_by_label("调整理由").fill(reason)
    dialog.get_by_role("button", name="保存").click()
    broken = dialog.locator("[data-test=broken-rules]")
    expect(broken.or_(page.get_by_text("等次已调整")).first).to_be_visible(timeout=SLOW)
    if broken.is_visible():
        broken.get_by_text("经集体研究，突破上述规则调整").click()
        dialog.get_by_role("button", name="保存").click()
    expect(dialog).to_be_hidden(timeout=SLOW)


def proposed(page: Page, grade: str) -> list[str]:
    """The names of the people whose proposed grade is ``grade`` (in the review tables)."""
    expect(page.locator("[data-test=quotas]")).to_be_visible(timeout=SLOW)
    rows = page.locator(".el-table__body-wrapper .el-table__row")
    names = []
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        if cells.nth(6).inner_text().strip() == grade:
            names.append(cells.nth(2).inner_text().strip())
    return names


def review_and_confirm(page: Page, grade: str, to: str, reason: str) -> str:
    """Compute, decide the ties, change the grade of the first person proposed ``grade`` to
    ``to`` (marked as adjusted), confirm the rest; returns that person's name."""
    compute(page)
    decide_ties(page)
    name = proposed(page, grade)[0]
    change_grade(page, name, to, reason)
    confirm_all(page, name, reason)
    return name


def confirm_all(page: Page, name: str, reason: str) -> None:
    """Checks the adjusted person is marked, then 确认全部等次."""
    row = page.locator(".el-table__row").filter(has_text=name).first
    expect(row.locator("[data-test=overridden]")).to_have_text("已调整")
    expect(row).to_contain_text(reason)
    shot(page, "3-review")
    page.locator("[data-test=confirm-all]").click()
    expect(page.get_by_text("等次已确认")).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("未确认", exact=True)).to_have_count(0)


def publish(page: Page) -> None:
    page.locator("[data-test=publish]").click()
    page.locator(".el-message-box").get_by_role("button", name="进入公示").click()
    expect(page.get_by_text("已进入实绩公示")).to_be_visible(timeout=SLOW)


def reopen(page: Page, reason: str) -> None:
    page.locator("[data-test=reopen]").click()
    dialog = page.get_by_role("dialog", name=re.compile("重新开启"))
    dialog.get_by_label("重新开启理由").fill(reason)
    dialog.get_by_role("button", name="重新开启").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("[data-test=period-state]")).to_have_text("反馈谈话")


def view_annual(page: Page, portal_url: str, year_name: str) -> None:
    """综合研判 of a year: its results from the four quarters, with the 优秀 quota."""
    open_menu(page, "综合研判")
    expect(page).to_have_url(re.compile(f"{re.escape(portal_url)}/review"))
    page.locator("[data-test=review-period]").click()
    page.get_by_role("option", name=re.compile(year_name)).click()
    expect(page.locator("[data-test=quotas]")).to_contain_text("优秀等次名额")
    expect(page.locator(".el-table__row").first).to_be_visible()


# --- the test ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def quarter(demo_year: None, api: Api) -> Quarter:
    return off_loop(open_quarter, api)


def promotions(quarter: Quarter, count: int = 20) -> list[dict[str, str]]:
    """A roster of ``count`` of the unit's people as they are, each with a new 职级 (the yearly
    promotions a unit's 组织人事 department re-imports)."""
    rows = []
    for person in sorted(quarter.people.values(), key=lambda p: p["employeeNo"])[:count]:
        rows.append({"工号": person["employeeNo"], "姓名": person["name"],
                     "性别": person["gender"], "部门": person["unit"]["name"],
                     "岗位": (person["post"] or {}).get("name", ""),
                     "职级": PROMOTED if person["rankTitle"] != PROMOTED else "二级主任科员",
                     "比较组": GROUPS[person["comparisonGroup"].lower()],
                     "参加考核": "是" if person["appraised"] else "否"})
    return rows


def test_the_admin_drives_the_open_quarter_to_the_end(page: Page, portal_url: str, api: Api,
                                                       quarter: Quarter, worker: Any,
                                                       tmp_path: Path) -> None:
    page.add_init_script(PROGRESS_SEEN)  # run_bonus asks whether the progress bar showed
    log_in(page, portal_url, TENANT, ADMIN)
    expect(page).to_have_url(f"{portal_url}/")

    # 花名册导入: this year's promotions, one row naming a department that does not exist.
    rows = promotions(quarter)
    good = rows[6]["部门"]
    rows[6]["部门"] = "不存在的科室"
    import_roster(page, portal_url, rows)
    errors = page.locator('[data-test="roster-errors"]')
    expect(errors).to_contain_text("第8行“部门”列：部门“不存在的科室”不存在")
    rows[6]["部门"] = good
    import_roster(page, portal_url, rows)
    expect(page.locator('[data-test="roster-result"]')).to_contain_text("更新 20 人")
    ranks = {p["employeeNo"]: p["rankTitle"] for p in off_loop(open_quarter, api).people.values()}
    assert all(ranks[r["工号"]] == r["职级"] for r in rows)

    # 指标体系: a new version of this year's scheme, edited (a weight problem shown live,
    # then fixed) and published; the open quarter keeps the version it started with.
    settle(page)
    open_menu(page, "指标体系")
    publish_new_version(page, code="SJ09", name="基层党建责任落实")
    open_periods(page, portal_url, quarter.name)
    assert stage(page) == "实绩申报"
    expect(page.locator("[data-test=period-steps]")).to_contain_text("综合研判")
    shot(page, "1-declaring")

    # The declarations close in the future: the guard says so; the admin moves the deadline.
    off_loop(declare_everyone, api, quarter)
    advance_refused(page, "实绩申报截止时间")
    set_deadline(page, "实绩申报", datetime.now() - timedelta(hours=1))
    advance_to(page, "评价")

    # Everyone rates but one rater: leaving 评价 is refused, naming them.
    raters = off_loop(raters_of, api, quarter)
    heads = {m["personId"] for p in quarter.people.values() for m in p["managers"]
             if m["kind"] == "department_head"}
    late = next(r for r in raters if r in heads)
    for rater in raters:
        if rater != late:
            off_loop(rate_as, api, quarter, rater)
    page.reload()
    expect(page.locator("[data-test=period-state]")).to_have_text("评价")
    page.get_by_role("tab", name="评价").click()
    expect(page.locator("[data-test=completion]")).to_contain_text(quarter.people[late]["name"])
    advance_refused(page, "评价未完成", quarter.people[late]["name"])
    shot(page, "2-guard")
    off_loop(rate_as, api, quarter, late)
    advance_to(page, "综合研判")

    # 综合研判: compute, change one grade with a reason, confirm, publish.
    open_review(page, portal_url)
    review_and_confirm(page, "较好", "一般", "经考核委员会研究，本季度重点任务推进滞后")
    publish(page)

    # 实绩公示 -> 反馈谈话 -> 关闭: closing is refused until everyone was interviewed.
    open_periods(page, portal_url, quarter.name)
    expect(page.locator("[data-test=period-state]")).to_have_text("实绩公示")
    advance_to(page, "反馈谈话")
    advance_refused(page, "未完成反馈谈话")
    off_loop(interview_everyone, api, quarter)
    advance_to(page, "已关闭")
    shot(page, "4-closed")

    # A correction reopens the closed quarter with a reason; then it closes again.
    reopen(page, "更正一名干部的谈话记录")
    advance_to(page, "已关闭")

    # The past year's annual results, computed from its four quarters.
    view_annual(page, portal_url, f"{date.today().year - 1}年度")
    shot(page, "5-annual")

    # 绩效奖金: the past year's two-level run, confirmed; its PDF and XLSX downloaded and read.
    settle(page)
    open_menu(page, "绩效奖金")
    year = f"{date.today().year - 1}年度"
    run = run_bonus(page, "200000.00", year, note="年度考核奖两级分配")
    confirm_bonus(page, "经部务会研究确认")
    files = export_files(page, run, tmp_path)
    assert f"{year}奖金分配表（已确认）" in pdf_text(files["pdf"]).replace(" ", "")
    amounts = [row for row in xlsx_rows(files["xlsx"]) if row and "金额（元）" in row]
    assert amounts, "the XLSX has no amount column"
    log_out(page, portal_url)
