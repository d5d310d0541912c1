"""The department head's pages (issue 14 point 3) in Chromium: the people I manage, the rating
grid saved in one call with my completion, a feedback interview recorded with the four topics,
正负正 and an improvement plan, and the 关爱名单.

Rating and interviews need a quarter in "rating" and one in "feedback": the demo's quarters are
closed or declaring (and other tests declare in its current quarter), so those flows run in a
synthetic unit of their own; the demo's 科长 checks the pages on the demo's year."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from jixiao.settings import Settings
from tests.browser.conftest import log_in, off_loop
from tests.conftest import Api
from tests.factories import PastPeriod, history
from tests.test_ratings_support import people, rating_period

ASSIGNED = "query($p:ID!){ myRatingAssignments(periodId:$p) { personId ratedCount } }"
INTERVIEW = """query($p:ID!,$i:ID!){ feedbackInterview(periodId:$p, personId:$i) { acknowledged
  praise critique encouragement topics { topic covered notes } improvementPlan { action } } }"""

CREATE_TASK = """mutation($i:TaskInput!){ createTask(input:$i) { task { id }
  userErrors { code message } } }"""
CHILDREN = """query($id:ID!){ task(id:$id) { rollup { total done } children { personId title dueOn
  milestones { title dueOn } } } }"""


@pytest.fixture(scope="module")
def unit(make_tenant: Any, api: Api, settings: Settings) -> dict[str, Any]:
    """A synthetic unit (kezhang heads d1) with a quarter in rating and one in feedback."""
    code: str = off_loop(make_tenant)
    rating: str = off_loop(rating_period, api, settings, code)
    results = {no: ("good", rank) for rank, no in enumerate(("P006", "P007", "P009"), start=1)}
    past = off_loop(history, settings, code, [PastPeriod(2025, 4, results, state="feedback")])
    ids: dict[str, str] = off_loop(people, settings, code)
    listed = api.as_(code, "admin", "{ people(first: 100) { nodes { id name } } }")
    names = {n["id"]: n["name"] for n in listed["data"]["people"]["nodes"]}
    d1 = next(u["id"] for u in api.as_(code, "admin", "{ orgUnits { id code } }")["data"][
        "orgUnits"] if u["code"] == "d1")
    task = api.as_(code, "admin", CREATE_TASK, {"i": {
        "year": 2026, "title": "推进政务服务提质增效", "sourceKind": "municipal", "unitId": d1,
        "dueOn": "2026-12-31"}})["data"]["createTask"]
    assert task["userErrors"] == [], task
    return {"code": code, "rating": rating, "feedback": past.periods[(2025, 4)], "ids": ids,
            "names": names, "task": task["task"]["id"]}


@pytest.fixture(scope="module")
def demo(request: pytest.FixtureRequest) -> None:
    """The demo's year, loaded off Playwright's loop (its loader runs asyncio.run)."""
    off_loop(request.getfixturevalue, "demo_year")


def _logout(page: Page, portal_url: str) -> None:
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(f"{portal_url}/login")


def test_the_head_rates_the_whole_grid_in_one_save(page: Page, portal_url: str, api: Api,
                                                   unit: dict[str, Any]) -> None:
    code = unit["code"]
    log_in(page, portal_url, code, "kezhang")
    page.get_by_role("menuitem", name="评价").click()
    expect(page).to_have_url(f"{portal_url}/rating")
    grid = page.locator("[data-test=rating-grid]")
    completion = page.locator("[data-test=rating-completion]")
    expect(grid.locator(".el-table__row").first).to_be_visible()
    expect(completion).to_contain_text("已评 0/")
    total = int(completion.inner_text().split("/")[1].split()[0])
    assert total >= 3
    # Each person's declaration beside the form: P006's row expands to show it.
    p006 = unit["names"][unit["ids"]["P006"]]
    row = grid.locator(".el-table__row", has_text=p006).first
    row.locator(".el-table__expand-icon").click()
    expect(grid.locator("[data-test=declaration]").first).to_be_visible()

    fills = grid.get_by_placeholder("统一分值")
    expect(fills).to_have_count(total)
    for n in range(total):
        fills.nth(n).fill("88.5")
    for button in grid.get_by_role("button", name="本行填入").all():
        button.click()
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
    counts = api.as_(code, "kezhang", ASSIGNED, {"p": unit["rating"]})["data"]
    assert len(counts["myRatingAssignments"]) == total
    assert all(c["ratedCount"] > 0 for c in counts["myRatingAssignments"])
    _logout(page, portal_url)


def test_the_head_records_an_interview(page: Page, portal_url: str, api: Api,
                                       unit: dict[str, Any]) -> None:
    code, person = unit["code"], unit["ids"]["P007"]
    name = unit["names"][person]
    log_in(page, portal_url, code, "kezhang")
    page.get_by_role("menuitem", name="谈话记录").click()
    expect(page).to_have_url(f"{portal_url}/interviews")
    expect(page.locator("[data-test=interview-list]")).to_contain_text("暂无谈话记录")
    page.get_by_role("button", name="记录谈话").click()
    dialog = page.locator("[data-test=interview-dialog]")
    dialog.get_by_label("谈话对象").click(force=True)
    page.get_by_role("option", name=f"{name}（P007）").click()
    dialog.get_by_label("告知结果").fill("本季度评为“好”")
    for topic, notes in (("思想动态", "思想稳定"), ("工作实绩", "按期办结"),
                         ("能力素质", "文字能力待提升"), ("作风养成", "作风扎实")):
        dialog.get_by_label(f"{topic}情况").fill(notes)
    dialog.get_by_label("肯定成绩").fill("肯定办案成绩")
    dialog.get_by_label("分析不足").fill("指出协调短板")
    dialog.get_by_label("明确方向").fill("明确下季度方向")
    dialog.get_by_label("优势").fill("办案质量高")
    dialog.get_by_label("短板").fill("统筹协调不足")
    dialog.get_by_label("问题根源").fill("跨部门沟通少")
    dialog.get_by_label("改进措施1").fill("参加公文写作培训")
    dialog.get_by_label("跟进日期1").fill("2027-03-31")
    dialog.get_by_label("跟进日期1").press("Enter")
    dialog.get_by_role("button", name="保存谈话记录").click()
    listed = page.locator("[data-test=interview-list]")
    expect(listed).to_contain_text(name)
    expect(listed).to_contain_text("待确认")
    saved = api.as_(code, "kezhang", INTERVIEW, {"p": unit["feedback"], "i": person})
    interview = saved["data"]["feedbackInterview"]
    assert interview["praise"] == "肯定办案成绩"
    assert interview["encouragement"] == "明确下季度方向"
    assert [t["notes"] for t in interview["topics"]] == ["思想稳定", "按期办结", "文字能力待提升",
                                                         "作风扎实"]
    assert interview["improvementPlan"] == [{"action": "参加公文写作培训"}]
    _logout(page, portal_url)


def test_the_head_decomposes_a_task_with_milestones(page: Page, portal_url: str, api: Api,
                                                    unit: dict[str, Any]) -> None:
    code, person = unit["code"], unit["ids"]["P006"]
    log_in(page, portal_url, code, "kezhang")
    page.get_by_role("menuitem", name="任务分解").click()
    expect(page).to_have_url(f"{portal_url}/task-decompose")
    tasks = page.locator("[data-test=unit-tasks]")
    row = tasks.locator(".el-table__row", has_text="推进政务服务提质增效").first
    expect(row).to_contain_text("0/0 项完成")
    row.get_by_role("button", name="分解").click()
    dialog = page.locator("[data-test=decompose-dialog]")
    dialog.get_by_label("责任人1").click(force=True)
    page.get_by_role("option", name=f"{unit['names'][person]}（P006）").click()
    dialog.get_by_label("任务名称1").fill("梳理高频事项清单")
    dialog.get_by_label("完成时限1").fill("2026-12-20")
    dialog.get_by_label("完成时限1").press("Enter")
    dialog.get_by_label("节点事项1-1").fill("完成事项梳理初稿")
    dialog.get_by_label("节点日期1-1").fill("2026-12-10")
    dialog.get_by_label("节点日期1-1").press("Enter")
    dialog.get_by_role("button", name="确认分解").click()
    expect(dialog).to_be_hidden()
    expect(row).to_contain_text("0/1 项完成")
    row.locator(".el-table__expand-icon").click()
    expect(tasks).to_contain_text("完成事项梳理初稿")
    saved = api.as_(code, "kezhang", CHILDREN, {"id": unit["task"]})["data"]["task"]
    assert saved["rollup"] == {"total": 1, "done": 0}
    assert saved["children"] == [{"personId": person, "title": "梳理高频事项清单",
                                  "dueOn": "2026-12-20", "milestones": [
                                      {"title": "完成事项梳理初稿", "dueOn": "2026-12-10"}]}]
    _logout(page, portal_url)


def test_the_demo_head_sees_the_people_and_the_care_list(page: Page, portal_url: str,
                                                         demo: None) -> None:
    log_in(page, portal_url, "xhjd", "kezhang")
    page.get_by_role("menuitem", name="我管理的人员").click()
    expect(page).to_have_url(f"{portal_url}/managed-people")
    table = page.locator("[data-test=people-table]")
    expect(table.locator(".el-table__row").first).to_be_visible()
    expect(page.get_by_role("heading", name="我管理的人员")).to_contain_text("人）")
    page.get_by_role("menuitem", name="关爱名单").click()
    expect(page.locator("[data-test=care-table]")).to_be_visible()
    # The demo's current quarter still declares: the grid says so instead of a dead end.
    page.get_by_role("menuitem", name="评价").click()
    expect(page.get_by_text("暂无处于评价阶段的考核周期")).to_be_visible()
    _logout(page, portal_url)
