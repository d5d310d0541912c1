"""The department head's pages (issue 14 point 3) in Chromium, on the demo's year in 双流区黄水镇:
the people I manage, the rating grid saved in one call with my completion, a feedback interview
recorded with the four topics, 正负正 and an improvement plan, task decomposition with
milestones and the 关爱名单. Each flow ends with 退出登录.

The demo leaves hsz's current quarter in declaring; this module takes it forward as the unit
would, through the API: kezhang's people declare as themselves, the admin allows rating before
the declaration deadline and starts the rating (kezhang then rates his grid in the browser);
the other raters save their grids, the admin computes and confirms the results and moves the
quarter through publicity to feedback, where kezhang records an interview in the browser.
Nobody else works in hsz (xhjd, where the staff declare, is not touched)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, log_out, open_menu
from tests.conftest import Api

TENANT = "hsz"
HEAD = "kezhang"
LAST_YEAR_Q4 = f"{date.today().year - 1}年第四季度"  # the demo's year is the last one

PERIODS = "{ periods { id kind year quarter state } }"
ACCOUNTS = "{ accounts { username roles person { id employeeNo name unit { id name } } } }"
SETTINGS = """mutation($s:JSON!){ updateTenantSettings(settings:$s,
  reason:"本季度提前开展评价") { userErrors { code message } } }"""
ADVANCE = """mutation($id:ID!,$s:PeriodState!){ advancePeriod(id:$id, toState:$s) {
  period { state } userErrors { code message } } }"""
SOURCES = """query($p:ID!){ declarationSources(periodId:$p) { tasks { id title }
  indicators { id name } } }"""
SAVE_DECLARATION = """mutation($p:ID!,$items:[DeclarationItemInput!]!){
  saveDeclaration(periodId:$p, items:$items) { userErrors { code message } } }"""
SUBMIT_DECLARATION = """mutation($p:ID!){ submitDeclaration(periodId:$p) {
  userErrors { code message } } }"""
ASSIGNMENTS = "query($p:ID!){ raterAssignments(periodId:$p) { raterId ratedCount } }"
FORMS = """query($p:ID!){ myRatingForms(periodId:$p) { personId indicators { id }
  dimensions { code } cells { indicatorId dimension value } } }"""
SAVE_GRID = """mutation($i:SaveRatingGridInput!){ saveRatingGrid(input:$i) {
  userErrors { code message field } } }"""
COMPUTE = """mutation($p:ID!){ computeResults(periodId:$p) { results { personId grade
  proposedGrade tieReview confirmedAt } userErrors { code message } } }"""
REVIEW = """mutation($i:ReviewGradeInput!){ reviewGrade(input:$i) {
  userErrors { code message } } }"""
CONFIRM = """mutation($p:ID!){ confirmGrades(periodId:$p) { userErrors { code message } } }"""
RESULT = """query($p:ID!,$i:ID!){ personResult(periodId:$p, personId:$i) { score rank
  gradeLabel } }"""
INTERVIEW = """query($p:ID!,$i:ID!){ feedbackInterview(periodId:$p, personId:$i) { acknowledged
  resultTold praise critique encouragement topics { topic covered notes }
  improvementPlan { action followUpOn } } }"""
CREATE_TASK = """mutation($i:TaskInput!){ createTask(input:$i) { task { id }
  userErrors { code message } } }"""
CHILDREN = """query($id:ID!){ task(id:$id) { rollup { total done } children { personId title dueOn
  milestones { title dueOn } } } }"""


@dataclass(frozen=True)
class Member:
    """One of kezhang's people."""

    id: str
    username: str
    employee_no: str
    name: str


@dataclass(frozen=True)
class Quarter:
    """hsz's current quarter, in rating; kezhang's department and its people."""

    id: str
    year: int
    unit_id: str
    unit_name: str
    members: tuple[Member, ...]
    usernames: dict[str, str]  # person id -> the account that acts as them


def _ok(body: dict[str, Any], field: str) -> dict[str, Any]:
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"][field]
    assert not payload.get("userErrors"), payload
    return payload


def _state(api: Api, period: str) -> str:
    periods = api.as_(TENANT, "admin", PERIODS)["data"]["periods"]
    return str(next(p["state"] for p in periods if p["id"] == period))


def _advance(api: Api, period: str, to: str) -> None:
    _ok(api.as_(TENANT, "admin", ADVANCE, {"id": period, "s": to}), "advancePeriod")


def _declare(api: Api, period: str, username: str) -> None:
    """Two items with sources (a task of mine if I have one, else indicators), submitted."""
    offered = api.as_(TENANT, username, SOURCES, {"p": period})["data"]["declarationSources"]
    sources = [{"taskId": t["id"]} for t in offered["tasks"][:1]]
    sources += [{"indicatorId": i["id"]} for i in offered["indicators"]]
    texts = [("牵头推进重点项目招引", "对接意向企业12家，促成2个项目签约落地。", "较好完成"),
             ("做好经济运行监测分析", "按月完成经济运行分析报告，数据报送及时准确。", "按期完成")]
    items = [{"title": title, "content": content, "selfAssessment": self_, **source}
             for (title, content, self_), source in zip(texts, sources[:2], strict=False)]
    assert len(items) == 2, offered
    _ok(api.as_(TENANT, username, SAVE_DECLARATION, {"p": period, "items": items}),
        "saveDeclaration")
    _ok(api.as_(TENANT, username, SUBMIT_DECLARATION, {"p": period}), "submitDeclaration")


@pytest.fixture(scope="module")
def quarter(demo_year: None, api: Api) -> Quarter:
    """hsz's current quarter taken from declaring to rating, kezhang's people declared."""
    periods = api.as_(TENANT, "admin", PERIODS)["data"]["periods"]
    (period,) = [p for p in periods if p["kind"] == "quarter" and p["state"] == "declaring"]
    accounts = api.as_(TENANT, "admin", ACCOUNTS)["data"]["accounts"]
    usernames = {a["person"]["id"]: a["username"] for a in accounts if a["person"]}
    head = next(a["person"] for a in accounts if a["username"] == HEAD)
    unit = head["unit"]
    members = tuple(sorted(
        (Member(a["person"]["id"], a["username"], a["person"]["employeeNo"], a["person"]["name"])
         for a in accounts if a["person"] and a["person"]["unit"]["id"] == unit["id"]
         and a["roles"] == ["staff"]), key=lambda m: m.employee_no))
    assert len(members) >= 3, members
    for member in members:
        _declare(api, period["id"], member.username)
    _ok(api.as_(TENANT, "admin", SETTINGS, {"s": {"periods": {
        "allow_rating_before_declarations_close": True}}}), "updateTenantSettings")
    _advance(api, period["id"], "rating")
    return Quarter(period["id"], period["year"], unit["id"], unit["name"], members, usernames)


@pytest.fixture(scope="module")
def feedback(quarter: Quarter, api: Api) -> Quarter:
    """The same quarter once every rater has saved their grid, the results computed and
    confirmed, and the quarter moved through publicity to feedback."""
    if _state(api, quarter.id) == "rating":
        assignments = api.as_(TENANT, "admin", ASSIGNMENTS, {"p": quarter.id})["data"][
            "raterAssignments"]
        waiting = sorted({a["raterId"] for a in assignments if not a["ratedCount"]})
        for n, rater in enumerate(waiting):
            _rate_all(api, quarter.id, quarter.usernames[rater], 80 + n % 15)
        _advance(api, quarter.id, "reviewing")
        results = _ok(api.as_(TENANT, "admin", COMPUTE, {"p": quarter.id}),
                      "computeResults")["results"]
        for row in results:
            if row["tieReview"] and not row["confirmedAt"]:
                _ok(api.as_(TENANT, "admin", REVIEW, {"i": {
                    "periodId": quarter.id, "personId": row["personId"],
                    "grade": row["grade"] or row["proposedGrade"],
                    "reason": "经考核委员会综合研判，维持拟定等次"}}), "reviewGrade")
        _ok(api.as_(TENANT, "admin", CONFIRM, {"p": quarter.id}), "confirmGrades")
        _advance(api, quarter.id, "publicizing")
        _advance(api, quarter.id, "feedback")
    return quarter


def _rate_all(api: Api, period: str, username: str, value: int) -> None:
    """The rater's whole grid in one save, every cell ``value``."""
    forms = api.as_(TENANT, username, FORMS, {"p": period})["data"]["myRatingForms"]
    rows = [{"personId": f["personId"], "cells": [
        {"indicatorId": i["id"], "dimension": d["code"], "value": str(value)}
        for i in f["indicators"] for d in f["dimensions"]]} for f in forms]
    _ok(api.as_(TENANT, username, SAVE_GRID, {"i": {"periodId": period, "rows": rows}}),
        "saveRatingGrid")


def test_the_head_rates_the_whole_grid_in_one_save(page: Page, portal_url: str, api: Api,
                                                   quarter: Quarter) -> None:
    log_in(page, portal_url, TENANT, HEAD)
    open_menu(page, "评价")
    expect(page).to_have_url(f"{portal_url}/rating")
    grid = page.locator("[data-test=rating-grid]")
    completion = page.locator("[data-test=rating-completion]")
    expect(grid.locator(".el-table__row").first).to_be_visible()
    expect(completion).to_contain_text("已评 0/")
    total = int(completion.inner_text().split("/")[1].split()[0])
    assert total >= len(quarter.members)
    # Each person's declaration beside the form: the first member's row expands to show it.
    member = quarter.members[0]
    row = grid.locator(".el-table__row", has_text=member.name).first
    row.locator(".el-table__expand-icon").click()
    declaration = grid.locator("[data-test=declaration]").first
    expect(declaration).to_contain_text("牵头推进重点项目招引")
    expect(declaration).to_contain_text("自评：较好完成")

    # One value per row (85.5, 86.5, ...), spread to the row's cells by 本行填入.
    fills = grid.get_by_placeholder("统一分值")
    expect(fills).to_have_count(total)
    buttons = grid.get_by_role("button", name="本行填入")
    for n in range(total):
        fills.nth(n).fill(f"{85 + n % 10}.5")
        buttons.nth(n).click()
    # A bad cell is named in Chinese beside it and nothing is saved.
    first_cell = grid.locator(".score input").first
    first_cell.fill("100.5")
    page.locator("[data-test=save-grid]").click()
    expect(grid.locator("[data-test=cell-error]")).to_have_text(
        "评分须在0到100之间，最多保留两位小数")
    expect(completion).to_contain_text("已评 0/")

    first_cell.fill("90")
    with page.expect_response(lambda r: "/graphql" in r.url
                              and "saveRatingGrid" in (r.request.post_data or "")) as saved:
        page.locator("[data-test=save-grid]").click()
    assert saved.value.ok
    expect(completion).to_have_text(f"已评 {total}/{total} 人")
    assert page.locator("[data-test=cell-error]").count() == 0
    page.screenshot(path="/tmp/head-grid.png", full_page=True)

    # The API has the values as typed: every cell of every form, the first one 90.
    forms = api.as_(TENANT, HEAD, FORMS, {"p": quarter.id})["data"]["myRatingForms"]
    assert len(forms) == total
    shown = [grid.locator(".el-table__row").nth(n).locator(".name").inner_text()
             for n in range(total)]
    assert len(set(shown)) == total
    for n, form in enumerate(forms):
        expected = {(i["id"], d["code"]): f"{85 + n % 10}.5"
                    for i in form["indicators"] for d in form["dimensions"]}
        if n == 0:
            first = (form["indicators"][0]["id"], form["dimensions"][0]["code"])
            expected[first] = "90"
        assert {(c["indicatorId"], c["dimension"]): c["value"] for c in form["cells"]} == (
            expected), form["personId"]
    log_out(page, portal_url)


def test_the_head_records_an_interview(page: Page, portal_url: str, api: Api,
                                       feedback: Quarter) -> None:
    member = feedback.members[1]
    follow_up = f"{feedback.year + 1}-03-31"
    log_in(page, portal_url, TENANT, HEAD)
    open_menu(page, "谈话记录")
    expect(page).to_have_url(f"{portal_url}/interviews")
    expect(page.locator("[data-test=interview-list]")).to_contain_text("暂无谈话记录")
    page.get_by_role("button", name="记录谈话").click()
    dialog = page.locator("[data-test=interview-dialog]")
    dialog.get_by_label("谈话对象").click(force=True)
    page.get_by_role("option", name=f"{member.name}（{member.employee_no}）").click()
    # 告知结果 comes from the quarter's confirmed result.
    result = api.as_(TENANT, HEAD, RESULT, {"p": feedback.id, "i": member.id})["data"][
        "personResult"]
    told = (f"本季度考核等次为“{result['gradeLabel']}”，得分{result['score']}，"
            f"排名第{result['rank']}")
    expect(dialog.get_by_label("告知结果")).to_have_value(told)
    for topic, notes in (("思想动态", "思想稳定"), ("工作实绩", "招商任务按期完成"),
                         ("能力素质", "数据分析能力待提升"), ("作风养成", "作风扎实")):
        dialog.get_by_label(f"{topic}情况").fill(notes)
    dialog.get_by_label("肯定成绩").fill("肯定项目招引成绩")
    dialog.get_by_label("分析不足").fill("指出经济运行分析不够深入")
    dialog.get_by_label("明确方向").fill("明确下季度招商方向")
    dialog.get_by_label("优势").fill("对接企业主动")
    dialog.get_by_label("短板").fill("分析研判不足")
    dialog.get_by_label("问题根源").fill("学习培训少")
    dialog.get_by_label("改进措施1").fill("参加经济运行分析培训")
    dialog.get_by_label("跟进日期1").fill(follow_up)
    dialog.get_by_label("跟进日期1").press("Enter")
    page.screenshot(path="/tmp/head-interview.png", full_page=True)
    dialog.get_by_role("button", name="保存谈话记录").click()
    listed = page.locator("[data-test=interview-list]")
    expect(listed).to_contain_text(member.name)
    expect(listed).to_contain_text("待确认")
    saved = api.as_(TENANT, HEAD, INTERVIEW, {"p": feedback.id, "i": member.id})
    interview = saved["data"]["feedbackInterview"]
    assert interview["acknowledged"] is False
    assert interview["resultTold"] == told
    assert (interview["praise"], interview["critique"], interview["encouragement"]) == (
        "肯定项目招引成绩", "指出经济运行分析不够深入", "明确下季度招商方向")
    assert [(t["topic"], t["covered"], t["notes"]) for t in interview["topics"]] == [
        ("thinking", True, "思想稳定"), ("achievements", True, "招商任务按期完成"),
        ("competence", True, "数据分析能力待提升"), ("conduct", True, "作风扎实")]
    assert interview["improvementPlan"] == [{"action": "参加经济运行分析培训",
                                             "followUpOn": follow_up}]
    log_out(page, portal_url)


def test_the_head_decomposes_a_task_with_milestones(page: Page, portal_url: str, api: Api,
                                                    quarter: Quarter) -> None:
    member = quarter.members[0]
    title = "推进营商环境优化提升"
    task = _ok(api.as_(TENANT, "admin", CREATE_TASK, {"i": {
        "year": quarter.year, "title": title, "sourceKind": "municipal",
        "unitId": quarter.unit_id, "dueOn": f"{quarter.year}-12-31"}}), "createTask")["task"]
    log_in(page, portal_url, TENANT, HEAD)
    open_menu(page, "任务分解")
    expect(page).to_have_url(f"{portal_url}/task-decompose")
    tasks = page.locator("[data-test=unit-tasks]")
    row = tasks.locator(".el-table__row", has_text=title).first
    expect(row).to_contain_text("0/0 项完成")
    row.get_by_role("button", name="分解").click()
    dialog = page.locator("[data-test=decompose-dialog]")
    dialog.get_by_label("责任人1").click(force=True)
    page.get_by_role("option", name=f"{member.name}（{member.employee_no}）").click()
    dialog.get_by_label("任务名称1").fill("梳理涉企服务事项清单")
    dialog.get_by_label("完成时限1").fill(f"{quarter.year}-12-20")
    dialog.get_by_label("完成时限1").press("Enter")
    dialog.get_by_label("节点事项1-1").fill("完成事项梳理初稿")
    dialog.get_by_label("节点日期1-1").fill(f"{quarter.year}-12-10")
    dialog.get_by_label("节点日期1-1").press("Enter")
    dialog.get_by_role("button", name="确认分解").click()
    expect(dialog).to_be_hidden()
    expect(row).to_contain_text("0/1 项完成")
    row.locator(".el-table__expand-icon").click()
    expect(tasks).to_contain_text("完成事项梳理初稿")
    saved = api.as_(TENANT, HEAD, CHILDREN, {"id": task["id"]})["data"]["task"]
    assert saved["rollup"] == {"total": 1, "done": 0}
    assert saved["children"] == [{"personId": member.id, "title": "梳理涉企服务事项清单",
                                  "dueOn": f"{quarter.year}-12-20", "milestones": [
                                      {"title": "完成事项梳理初稿",
                                       "dueOn": f"{quarter.year}-12-10"}]}]
    log_out(page, portal_url)


CARE = "query($p:ID!){ careList(periodId:$p) { person { name } } }"

# The answer for one period arrives late, as on a busy server: the page must still show the
# period the person chose last, not the answer that happened to arrive last.
SLOW_ANSWER = """(slowPeriod) => {
  const fetch = window.fetch.bind(window)
  window.fetch = async (url, init) => {
    const response = await fetch(url, init)
    const body = typeof init?.body === 'string' ? init.body : ''
    if (body.includes('HeadCareList') && body.includes(slowPeriod)) {
      await new Promise((resolve) => setTimeout(resolve, 1500))
    }
    return response
  }
}"""


def test_the_head_sees_the_people_and_the_care_list(page: Page, portal_url: str, api: Api,
                                                    feedback: Quarter) -> None:
    periods = api.as_(TENANT, HEAD, PERIODS)["data"]["periods"]
    last_q4 = next(p["id"] for p in periods
                   if (p["kind"], p["year"], p["quarter"]) == ("quarter", date.today().year - 1, 4))
    names = [e["person"]["name"] for e in api.as_(TENANT, HEAD, CARE, {"p": last_q4}
                                                  )["data"]["careList"]]
    now = [e["person"]["name"] for e in api.as_(TENANT, HEAD, CARE, {"p": feedback.id}
                                                )["data"]["careList"]]
    assert names
    assert names != now  # so a late answer for the current quarter would show
    page.add_init_script(script=f"({SLOW_ANSWER})({feedback.id!r})")
    log_in(page, portal_url, TENANT, HEAD)
    open_menu(page, "我管理的人员")
    expect(page).to_have_url(f"{portal_url}/managed-people")
    table = page.locator("[data-test=people-table]")
    for member in feedback.members:
        expect(table).to_contain_text(member.name)
    expect(page.get_by_role("heading", name="我管理的人员")).to_contain_text("人）")
    # 关爱名单 of the demo's last year: who lagged or regressed, and why.
    open_menu(page, "关爱名单")
    expect(page).to_have_url(f"{portal_url}/care-list")
    page.get_by_role("combobox", name="考核周期").click(force=True)
    page.get_by_role("option", name=LAST_YEAR_Q4).click()
    care = page.locator("[data-test=care-table]")
    expect(care.locator(".el-table__row").first).to_be_visible()
    page.wait_for_timeout(2_000)  # the current quarter's late answer is in by now
    expect(care.locator(".el-table__row")).to_have_count(len(names))
    for name in names:
        expect(care).to_contain_text(name)
    expect(care).to_contain_text(feedback.unit_name)
    expect(care).to_contain_text("排名靠后")
    # The quarter has left rating: the grid says so instead of a dead end.
    open_menu(page, "评价")
    expect(page.get_by_text("暂无处于评价阶段的考核周期")).to_be_visible()
    log_out(page, portal_url)
