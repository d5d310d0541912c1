"""目标任务 from Excel in Chromium, on 温江高新区 (wjgx, the plan pages' unit; tasks only, no
period is touched): the template downloaded from the page has dropdowns and a date column;
filled with a date cell and the dropdowns' values it imports, a bad date is named with its row,
and the task reads back through the API with its date intact."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, open_menu
from tests.conftest import Api

TENANT = "wjgx"
YEAR = date.today().year
TASKS = """query($y:Int!){ tasks(filter:{year:$y}) { code title sourceKind dueOn status
  milestones { title dueOn } } }"""


def test_admin_fills_the_task_template_and_imports_it(
        page: Page, portal_url: str, api: Api, demo_year: None, tmp_path: Path) -> None:
    log_in(page, portal_url, TENANT, "admin")
    open_menu(page, "目标任务")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载导入模板").click()
    template = tmp_path / info.value.suggested_filename
    info.value.save_as(template)
    assert template.name == f"{YEAR}年度任务清单导入模板.xlsx"

    book = openpyxl.load_workbook(template)
    sheet = book["任务清单"]
    assert {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation} >= {
        "C2", "I2", "K2"}  # 任务来源, 完成时限, 状态
    header = [c.value for c in sheet[1]]
    at = {h: header.index(h) + 1 for h in ("任务编号", "任务名称", "任务来源", "完成时限", "状态",
                                          "时间节点")}
    code = f"XL-{uuid.uuid4().hex[:6]}"
    for field, value in {"任务编号": code, "任务名称": "编制低空经济专项规划",
                         "任务来源": "全会工作安排", "完成时限": "下个月", "状态": "推进中",
                         "时间节点": f"{YEAR}-06-30 形成初稿"}.items():
        sheet.cell(2, at[field], value)
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    sheet.cell(2, at["完成时限"], date(YEAR, 11, 30))
    good = tmp_path / "good.xlsx"
    book.save(good)

    page.locator("[data-test=task-file]").set_input_files(str(bad))
    # The file is read in a separate process: slow on a busy machine.
    expect(page.locator("[data-test=import-errors]")).to_contain_text(
        "第2行“完成时限”列", timeout=60_000)
    page.locator("[data-test=task-file]").set_input_files(str(good))
    expect(page.get_by_text("已导入：新增 1 项")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-test=import-errors]")).to_have_count(0)
    expect(page.locator("[data-test=plan-tasks]")).to_contain_text("编制低空经济专项规划")
    page.screenshot(path="/tmp/tasks-import.png", full_page=True)
    found = {t["code"]: t for t in api.as_(TENANT, "admin", TASKS, {"y": YEAR}
                                           )["data"]["tasks"]}
    assert found[code] == {"code": code, "title": "编制低空经济专项规划", "sourceKind": "plenary",
                           "dueOn": f"{YEAR}-11-30", "status": "in_progress",
                           "milestones": [{"title": "形成初稿", "dueOn": f"{YEAR}-06-30"}]}
