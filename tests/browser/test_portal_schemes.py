"""The tenant admin's plan pages (issue 15, point 2) in Chromium, on 温江高新区 (wjgx), whose
demo scheme for this year is published: the tree editor of a draft (a weight that breaks the
sum shows as a problem at once, fixing it clears it), publishing a new version, the XLSX export
imported back (a bad file names its row), a dynamic indicator with its start date and reason,
a post's responsibility letter, and a task from its source decomposed to departments. Each is
read back through the API.

``publish_new_version`` is the reusable step "edit and publish a new scheme version" (the
integrator's end-to-end flow composes it); it works whether or not a draft is open.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from playwright.sync_api import Page, expect

from tests.browser.conftest import choose, log_in, log_out, open_menu
from tests.conftest import Api

TENANT = "wjgx"
ADMIN = "admin"
YEAR = date.today().year
CURRENT = """query($y: Int!) { indicatorScheme(year: $y) { current { id number
  indicators { code name weight kind dynamic effectiveFrom dynamicReason parentId } }
  draft { id indicators { code name weight } } } }"""


def open_schemes(page: Page) -> None:
    """Opens 指标体系 from the menu (the admin is logged in) and waits for the tree."""
    open_menu(page, "指标体系")
    expect(page.locator("[data-test=scheme-tree] .el-table__row").first).to_be_visible()


def _row(page: Page, text: str) -> Any:
    return page.locator("[data-test=scheme-tree] .el-table__row", has_text=text).first


def _node_dialog(page: Page) -> Any:
    return page.locator("[data-test=node-dialog]")


def publish_new_version(page: Page, *, code: str, name: str, weight: int = 5,
                        category: str = "工作实绩", lower: str = "SJ02") -> int:
    """As a logged-in tenant admin: opens 指标体系, starts a new version (or continues the open
    draft), adds the rated indicator ``code`` under ``category`` with ``weight`` (the sum
    breaks: the problem shows and 发布 is disabled), lowers the indicator ``lower`` by as much
    (the problem goes), publishes and returns the new version's number."""
    open_schemes(page)
    new = page.get_by_role("button", name="新建版本")
    if new.is_visible():
        new.click()
        expect(page.get_by_text("已复制最新版本为新的草稿")).to_be_visible()
    expect(page.locator("[data-test=scheme-problems]")).to_contain_text("校验通过，可以发布")
    number = int(page.locator(".meta").inner_text().split("第", 1)[1].split("版", 1)[0])

    _row(page, category).get_by_role("button", name="添加下级").click()
    dialog = _node_dialog(page)
    dialog.get_by_label("编码", exact=True).fill(code)
    dialog.get_by_label("名称", exact=True).fill(name)
    dialog.get_by_label("权重", exact=True).fill(str(weight))
    dialog.get_by_role("button", name="保存").click()
    expect(dialog).to_be_hidden()
    problems = page.locator("[data-test=scheme-problems]")
    expect(problems).to_contain_text("权重合计应为100")
    expect(page.get_by_role("button", name="发布此版本")).to_be_disabled()
    expect(_row(page, category)).to_contain_text(f"下级合计 {100 + weight}%")

    _row(page, lower).get_by_role("button", name="编辑").click()
    field = dialog.get_by_label("权重", exact=True)
    before = int(field.input_value())
    field.fill(str(before - weight))
    dialog.get_by_role("button", name="保存").click()
    expect(dialog).to_be_hidden()
    expect(problems).to_contain_text("校验通过，可以发布")
    expect(_row(page, category)).to_contain_text("下级合计 100%")

    page.get_by_role("button", name="发布此版本").click()
    page.get_by_role("dialog", name="发布指标体系").get_by_role("button", name="发布").click()
    expect(page.get_by_text(f"第{number}版已发布")).to_be_visible()
    expect(page.locator(".meta")).to_contain_text("已发布")
    return number


def test_admin_edits_and_publishes_a_new_version(page: Page, portal_url: str, api: Api,
                                                 demo_year: None) -> None:
    before = api.as_(TENANT, ADMIN, CURRENT, {"y": YEAR})["data"]["indicatorScheme"]["current"]
    sj02 = next(i["weight"] for i in before["indicators"] if i["code"] == "SJ02")
    code = f"SJ9{uuid.uuid4().hex[:3].upper()}"
    log_in(page, portal_url, TENANT, ADMIN)
    page.screenshot(path="/tmp/schemes-home.png")
    number = publish_new_version(page, code=code, name="数字园区建设")
    page.screenshot(path="/tmp/schemes-published.png", full_page=True)
    after = api.as_(TENANT, ADMIN, CURRENT, {"y": YEAR})["data"]["indicatorScheme"]
    assert after["current"]["number"] == number > before["number"]
    assert after["draft"] is None
    weights = {i["code"]: i["weight"] for i in after["current"]["indicators"]}
    assert weights[code] == 5
    assert weights["SJ02"] == sj02 - 5
    log_out(page, portal_url)


def test_admin_exports_and_imports_a_scheme(page: Page, portal_url: str, api: Api,
                                            demo_year: None, tmp_path: Path) -> None:
    log_in(page, portal_url, TENANT, ADMIN)
    open_schemes(page)
    new = page.get_by_role("button", name="新建版本")
    if new.is_visible():
        new.click()
        expect(page.locator(".meta")).to_contain_text("草稿")
    with page.expect_download() as info:
        page.get_by_role("button", name="导出 Excel").click()
    exported = tmp_path / info.value.suggested_filename
    info.value.save_as(exported)
    assert exported.suffix == ".xlsx"

    book = openpyxl.load_workbook(exported)
    sheet = book["指标体系"]
    header = [c.value for c in sheet[1]]
    code_col, name_col, weight_col = (header.index(h) for h in ("编码", "名称", "权重"))
    target = next(r for r in sheet.iter_rows(min_row=2) if r[code_col].value == "SJ03")
    target[name_col].value = "企业服务与营商环境（导入修改）"
    # A bad copy first: its row is named and nothing is imported.
    bad_row = target[weight_col].row
    good_weight = target[weight_col].value
    target[weight_col].value = "六十"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    target[weight_col].value = good_weight
    good = tmp_path / "good.xlsx"
    book.save(good)

    page.locator("[data-test=scheme-file]").set_input_files(str(bad))
    errors = page.locator("[data-test=import-errors]")
    # The file is read in a separate process: slow on a busy machine.
    expect(errors).to_contain_text(f"第{bad_row}行“权重”列", timeout=60_000)
    page.screenshot(path="/tmp/schemes-import-errors.png")
    expect(_row(page, "SJ03")).to_contain_text("企业服务与营商环境（赋能增效、企业满园）")
    page.locator("[data-test=scheme-file]").set_input_files(str(good))
    expect(page.get_by_text("已导入")).to_be_visible(timeout=60_000)
    expect(_row(page, "SJ03")).to_contain_text("企业服务与营商环境（导入修改）")
    expect(page.locator("[data-test=scheme-problems]")).to_contain_text("校验通过，可以发布")
    draft = api.as_(TENANT, ADMIN, CURRENT, {"y": YEAR})["data"]["indicatorScheme"]["draft"]
    assert {i["code"]: i["name"] for i in draft["indicators"]}["SJ03"] == (
        "企业服务与营商环境（导入修改）")
    log_out(page, portal_url)


def test_admin_adds_a_dynamic_indicator(page: Page, portal_url: str, api: Api,
                                        demo_year: None) -> None:
    code = f"JF9{uuid.uuid4().hex[:3].upper()}"
    log_in(page, portal_url, TENANT, ADMIN)
    open_schemes(page)
    # The version in force (a draft may be open from another flow).
    page.locator("[data-test=scheme-version]").click()
    page.locator(".el-select-dropdown__item:visible", has_text="现行").click()
    expect(page.locator(".meta")).to_contain_text("已发布")
    page.get_by_role("button", name="增设动态指标").click()
    dialog = _node_dialog(page)
    dialog.get_by_label("编码", exact=True).fill(code)
    dialog.get_by_label("名称", exact=True).fill("防汛抢险突击任务")
    dialog.get_by_label("单项分值").fill("2")
    dialog.get_by_role("button", name="保存").click()
    expect(dialog).to_contain_text("请填写生效日期和设立理由")
    start = date(YEAR, 7, 1).isoformat()
    dialog.get_by_label("生效日期").fill(start)
    dialog.get_by_label("生效日期").press("Enter")
    dialog.get_by_label("设立理由").fill("汛期临时性突击任务，参加抢险按次加分")
    dialog.get_by_role("button", name="保存").click()
    expect(dialog).to_be_hidden()
    row = _row(page, code)
    expect(row).to_contain_text(f"动态指标 {start} 起")
    expect(row).to_contain_text("汛期临时性突击任务")
    page.screenshot(path="/tmp/schemes-dynamic.png", full_page=True)
    current = api.as_(TENANT, ADMIN, CURRENT, {"y": YEAR})["data"]["indicatorScheme"]["current"]
    added = next(i for i in current["indicators"] if i["code"] == code)
    assert (added["kind"], added["dynamic"], added["effectiveFrom"], added["dynamicReason"]) == (
        "credit", True, start, "汛期临时性突击任务，参加抢险按次加分")
    log_out(page, portal_url)



LETTERS = """query($y: Int!) { posts { id name }
  responsibilityLetters(year: $y) { post { id } lines { indicatorCode target } } }"""


def test_admin_sets_a_responsibility_letter(page: Page, portal_url: str, api: Api,
                                            demo_year: None) -> None:
    post = api.as_(TENANT, ADMIN, LETTERS, {"y": YEAR})["data"]["posts"][0]
    target = f"全年服务重点企业不少于20家（{uuid.uuid4().hex[:4]}）"
    log_in(page, portal_url, TENANT, ADMIN)
    open_menu(page, "岗位责任书")
    row = page.locator("[data-test=letters-table] .el-table__row", has_text=post["name"]).first
    row.get_by_role("button", name="编辑").click()
    dialog = page.locator("[data-test=letter-dialog]")
    while dialog.get_by_role("button", name="移除").count() > 1:
        dialog.get_by_role("button", name="移除").last.click()
    dialog.get_by_label("指标1").click(force=True)
    page.locator(".el-select-dropdown__item:visible", has_text="SJ03").click()
    dialog.get_by_label("目标1").fill(target)
    dialog.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"已保存“{post['name']}”的岗位责任书")).to_be_visible()
    expect(row).to_contain_text(target)
    letters = api.as_(TENANT, ADMIN, LETTERS, {"y": YEAR})["data"]["responsibilityLetters"]
    lines = next(x["lines"] for x in letters if x["post"]["id"] == post["id"])
    assert lines == [{"indicatorCode": "SJ03", "target": target}]
    log_out(page, portal_url)


TASK = """query($id: ID!) { task(id: $id) { sourceKind sourceText level
  children { unitId title level } } }"""
TASKS = """query($y: Int!, $s: String!) { tasks(filter: {year: $y, search: $s}) { id title } }"""


def test_admin_creates_and_decomposes_a_task_from_its_source(
        page: Page, portal_url: str, api: Api, demo_year: None) -> None:
    units = [u for u in api.as_(TENANT, ADMIN, "{ orgUnits { id name kind parentId sortOrder } }")
             ["data"]["orgUnits"] if u["kind"] == "department" and u["parentId"]]
    first, second = sorted(units, key=lambda u: u["sortOrder"])[:2]
    title = f"推进低空经济产业园建设{uuid.uuid4().hex[:4]}"
    log_in(page, portal_url, TENANT, ADMIN)
    open_menu(page, "目标任务")
    with page.expect_download() as info:
        page.get_by_role("button", name="导出 Excel").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    page.get_by_role("button", name="新建任务").click()
    dialog = page.locator("[data-test=create-task-dialog]")
    dialog.get_by_label("任务名称").fill(title)
    dialog.get_by_label("来源说明").fill("市委全面深化改革委员会工作要点")
    dialog.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已新建任务")).to_be_visible()
    page.get_by_role("tab", name="市委决策部署").click()
    tasks = page.locator("[data-test=plan-tasks]")
    row = tasks.locator(".el-table__row", has_text=title).first
    expect(row).to_contain_text("单位任务")
    expect(tasks.locator(".el-table__row", has_text="临时交办")).to_have_count(0)
    row.get_by_role("button", name="分解").click()
    parts = page.locator("[data-test=decompose-dialog]")
    parts.get_by_role("button", name="确认分解").click()
    expect(parts).to_contain_text("请为每一项选择责任部门")
    choose(page, parts.get_by_label("责任部门1"), first["name"])
    parts.get_by_label("节点事项1-1").fill("完成产业规划编制")
    parts.get_by_label("节点日期1-1").fill(f"{YEAR}-12-20")
    parts.get_by_label("节点日期1-1").press("Enter")
    parts.get_by_role("button", name="再分给一个部门").click()
    choose(page, parts.get_by_label("责任部门2"), second["name"])
    parts.get_by_label("任务名称2").fill("低空经济企业招引")
    parts.get_by_role("button", name="确认分解").click()
    expect(page.get_by_text("已分解为 2 项部门任务")).to_be_visible()
    expect(row).to_contain_text("0/2 项完成")
    row.locator(".el-table__expand-icon").click()
    expect(tasks).to_contain_text("低空经济企业招引")
    page.screenshot(path="/tmp/schemes-tasks.png", full_page=True)
    found = api.as_(TENANT, ADMIN, TASKS, {"y": YEAR, "s": title})["data"]["tasks"]
    task = api.as_(TENANT, ADMIN, TASK, {"id": next(t["id"] for t in found
                                                    if t["title"] == title)})["data"]["task"]
    assert (task["sourceKind"], task["sourceText"], task["level"]) == (
        "municipal", "市委全面深化改革委员会工作要点", "tenant")
    assert sorted((c["unitId"], c["title"], c["level"]) for c in task["children"]) == sorted([
        (first["id"], title, "unit"), (second["id"], "低空经济企业招引", "unit")])
    log_out(page, portal_url)
