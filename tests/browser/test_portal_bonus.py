"""The tenant admin's results use, two-level bonus run and report exports in Chromium (issue 15,
point 5), on the demo's year of 成都国际铁路港经开区管委会 (gtlg: its 2025 quarters and year are
closed, it has no bonus run of its own). A real Dramatiq worker computes the run and renders the
reports; the page shows the job's progress, then the result; downloads are opened and read.

The steps are module-level functions (``run_bonus``, ``confirm_bonus``, ``export_files``,
``export_period_report``, ``pdf_text``, ``xlsx_text``) so an end-to-end test can compose them.
"""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import log_in, off_loop, open_menu
from tests.conftest import Api

TENANT = "gtlg"  # 成都国际铁路港经开区管委会: this module's demo unit
UNIT_NAME = "成都国际铁路港经开区管委会"
ADMIN = "admin"
POOL_YUAN = "356789.45"  # odd cents: rounding at both levels
POOL_CENTS = 35_678_945
JOB_TIMEOUT_MS = 120_000  # a loaded machine: the worker renders PDFs with WeasyPrint

# Records each progress bar the page shows (however briefly), for the test to ask afterwards.
PROGRESS_SEEN = """
window.__progressSeen = [];
new MutationObserver(() => {
  for (const key of ['bonus-progress', 'export-progress']) {
    if (document.querySelector(`[data-test=${key}]`) && !window.__progressSeen.includes(key)) {
      window.__progressSeen.push(key);
    }
  }
}).observe(document, { childList: true, subtree: true });
"""

RUNS = """query($p: ID) { bonusRuns(periodId: $p) { id status poolCents periodName
  departments { name cents }
  lines(first: 500) { totalCount nodes { employeeNo name cents included explanation } } } }"""
PERIODS = "{ periods { id name kind year quarter state } }"


# --- steps (reusable) --------------------------------------------------------------------------


def open_admin_page(page: Page, portal_url: str, menu: str, tenant: str = TENANT,
                    unit_name: str = UNIT_NAME) -> None:
    """Logs in as the unit's admin and opens a page from the side menu."""
    page.add_init_script(PROGRESS_SEEN)
    log_in(page, portal_url, tenant, ADMIN)
    expect(page.locator("[data-test=unit-name]")).to_have_text(unit_name)
    open_menu(page, menu)


def progress_seen(page: Page) -> list[str]:
    seen: list[str] = page.evaluate("window.__progressSeen || []")
    return seen


def run_bonus(page: Page, pool_yuan: str, period_name: str, note: str = "",
              screenshot: Path | None = None) -> Locator:
    """On 绩效奖金: a new run of ``period_name`` with the pool in 元; waits for the worker (the
    progress bar shows meanwhile) and returns the run's section (departments and people).
    ``screenshot``: where to save the filled form."""
    page.get_by_role("button", name="新建奖金分配").click()
    dialog = page.get_by_role("dialog", name="新建奖金分配")
    period = dialog.locator(".el-form-item", has_text="年度考核周期")
    period.locator(".el-select").click()
    page.locator(".el-select-dropdown__item:visible", has_text=period_name).first.click()
    dialog.get_by_placeholder("如 600000").fill(pool_yuan)
    # The year's department results give one coefficient per level (defaults filled in).
    expect(dialog.get_by_label(re.compile("档部门系数$")).first).not_to_have_value("")
    if note:
        dialog.locator(".el-form-item", has_text="备注").locator("textarea").fill(note)
    if screenshot is not None:
        page.screenshot(path=screenshot)
    dialog.get_by_role("button", name="开始计算").click()
    expect(dialog).to_be_hidden()
    run = page.locator("[data-test=bonus-run]")
    expect(run).to_be_visible(timeout=JOB_TIMEOUT_MS)
    assert "bonus-progress" in progress_seen(page)
    expect(page.get_by_text("奖金分配已计算完成（草稿）")).to_be_visible()
    expect(run.locator("[data-test=bonus-departments] .el-table__row").first).to_be_visible()
    expect(run.locator("[data-test=bonus-lines] .el-table__row").first).to_be_visible()
    return run


def confirm_bonus(page: Page, reason: str) -> None:
    """确认分配 with a reason; the run shows 已确认."""
    run = page.locator("[data-test=bonus-run]")
    run.get_by_role("button", name="确认分配").click()
    dialog = page.get_by_role("dialog", name="确认奖金分配")
    dialog.get_by_placeholder("说明（如会议研究确认的情况）").fill(reason)
    dialog.get_by_role("button", name="确认", exact=True).click()
    expect(page.get_by_text("奖金分配已确认")).to_be_visible()
    expect(run.locator("h3")).to_contain_text("已确认")
    expect(run.get_by_role("button", name="确认分配")).to_have_count(0)


def export_files(page: Page, scope: Locator, folder: Path) -> dict[str, Path]:
    """Generates a report with the export panel in ``scope`` (a progress bar while the worker
    renders), then downloads each file into ``folder``: {"pdf": path, "xlsx": path}."""
    panel = scope.locator("[data-test=report-export]")
    panel.get_by_role("button").first.click()
    files = panel.locator("[data-test=export-files]")
    expect(files).to_be_visible(timeout=JOB_TIMEOUT_MS)
    assert "export-progress" in progress_seen(page)
    found = {}
    for fmt, label in (("pdf", "下载PDF"), ("xlsx", "下载Excel")):
        with page.expect_download() as download:
            files.get_by_role("button", name=label).click()
        path = folder / download.value.suggested_filename
        download.value.save_as(path)
        assert path.suffix == f".{fmt}", path
        found[fmt] = path
    return found


def export_period_report(page: Page, report: str, period_name: str,
                         folder: Path) -> dict[str, Path]:
    """On 报表导出: one report of one period, generated and downloaded."""
    page.locator("[data-test=report-kind]").click()
    page.locator(".el-select-dropdown__item:visible", has_text=report).first.click()
    page.locator("[data-test=report-period]").click()
    page.locator(".el-select-dropdown__item:visible", has_text=period_name).first.click()
    return export_files(page, page.locator("main"), folder)


def pdf_text(path: Path, png_prefix: Path | None = None) -> str:
    """The text of a downloaded PDF (it must open); its first page as PNG when asked."""
    assert path.read_bytes().startswith(b"%PDF-"), path
    if png_prefix is not None:
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(path),
                        str(png_prefix)], check=True, timeout=60)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout


def xlsx_rows(path: Path) -> list[list[Any]]:
    """Every row of every sheet of a downloaded XLSX (it must open)."""
    book = load_workbook(path, read_only=True, data_only=True)
    return [list(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


def xlsx_text(path: Path) -> str:
    return "\n".join(" ".join("" if v is None else str(v) for v in row) for row in xlsx_rows(path))


# --- the tests ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def periods(demo_year: None, api: Api) -> dict[str, dict[str, Any]]:
    """gtlg's periods by name."""
    found = off_loop(api.as_, TENANT, ADMIN, PERIODS)["data"]["periods"]
    return {p["name"]: p for p in found}


def _year(periods: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return max((p for p in periods.values() if p["kind"] == "year" and p["state"] == "closed"),
               key=lambda p: p["year"])


def test_admin_runs_confirms_and_exports_a_bonus_run(
        page: Page, portal_url: str, worker: Any, api: Api, periods: dict[str, dict[str, Any]],
        tmp_path: Path) -> None:
    year = _year(periods)
    open_admin_page(page, portal_url, "绩效奖金")
    run = run_bonus(page, POOL_YUAN, year["name"], note="年度考核奖两级分配（测试）",
                    screenshot=tmp_path / "bonus-form.png")
    expect(run.locator("[data-test=run-pool]")).to_have_text("356,789.45")
    expect(run.locator("[data-test=bonus-departments]")).to_contain_text("1.2")
    expect(run.locator("[data-test=bonus-departments]")).not_to_contain_text("1.20000")

    # The API's run: every cent of the pool, at both levels; each line explained.
    runs = off_loop(api.as_, TENANT, ADMIN, RUNS, {"p": year["id"]})["data"]["bonusRuns"]
    assert len(runs) == 1, runs
    assert runs[0]["status"] == "draft"
    data = runs[0]
    assert data["poolCents"] == POOL_CENTS
    assert sum(d["cents"] for d in data["departments"]) == POOL_CENTS
    lines = data["lines"]["nodes"]
    assert data["lines"]["totalCount"] == len(lines) > 0
    assert sum(line["cents"] for line in lines) == POOL_CENTS
    assert all(line["explanation"] for line in lines if line["included"])

    # What the page shows: the departments' shares and the people's, with their explanations.
    departments = run.locator("[data-test=bonus-departments]")
    for d in data["departments"]:
        expect(departments).to_contain_text(d["name"])
    expect(run).to_contain_text(f"部门份额合计 {POOL_YUAN[:3]},{POOL_YUAN[3:]} 元")
    paid = next(line for line in lines if line["included"] and line["cents"] > 0)
    people = run.locator("[data-test=bonus-lines]")
    run.get_by_placeholder("按姓名或人员编号查找").fill(paid["employeeNo"])
    run.get_by_placeholder("按姓名或人员编号查找").press("Enter")
    row = people.locator(".el-table__row", has_text=paid["employeeNo"])
    expect(people.locator(".el-table__row")).to_have_count(1)
    expect(row).to_contain_text(paid["name"])
    expect(row).to_contain_text(f"{Decimal(paid['cents']) / 100:,.2f}")
    row.locator(".el-table__expand-icon").click()
    expect(people).to_contain_text(paid["explanation"])

    page.screenshot(path=tmp_path / "bonus-run.png", full_page=True)
    confirm_bonus(page, "经管委会党工委会议研究确认")
    files = export_files(page, run, tmp_path)
    page.screenshot(path=tmp_path / "bonus-confirmed.png", full_page=True)
    text = pdf_text(files["pdf"], tmp_path / "bonus")
    assert f"{year['name']}奖金分配表（已确认）" in text.replace(" ", "")
    assert "356,789.45" in text
    assert paid["name"] in text.replace(" ", "")
    rows = xlsx_rows(files["xlsx"])
    header = next(r for r in rows if r and "金额（元）" in r and "姓名" in r)
    amount, name = header.index("金额（元）"), header.index("姓名")
    people_rows = rows[rows.index(header) + 1:]
    named = {r[name]: r[amount] for r in people_rows if len(r) > amount and r[name]}
    assert named[paid["name"]] == pytest.approx(paid["cents"] / 100)
    assert round(sum(Decimal(str(v)) for v in named.values() if v is not None), 2) == \
        Decimal(POOL_YUAN)


def test_admin_exports_a_period_report(
        page: Page, portal_url: str, worker: Any, api: Api, periods: dict[str, dict[str, Any]],
        tmp_path: Path) -> None:
    quarter = max((p for p in periods.values() if p["kind"] == "quarter"
                   and p["state"] == "closed"), key=lambda p: (p["year"], p["quarter"]))
    open_admin_page(page, portal_url, "报表导出")
    files = export_period_report(page, "单位季度考核结果", quarter["name"], tmp_path)
    page.screenshot(path=tmp_path / "reports.png", full_page=True)
    text = pdf_text(files["pdf"], tmp_path / "quarterly").replace(" ", "")
    assert quarter["name"] in text
    people = off_loop(api.as_, TENANT, ADMIN, "{ people(first: 5) { nodes { name } } }")
    sheet = xlsx_text(files["xlsx"])
    assert any(p["name"] in sheet for p in people["data"]["people"]["nodes"])
    assert quarter["name"] in sheet


def test_admin_records_a_results_use(
        page: Page, portal_url: str, api: Api, periods: dict[str, dict[str, Any]],
        tmp_path: Path) -> None:
    year = _year(periods)["year"]
    candidates = off_loop(api.as_, TENANT, ADMIN, """query($y: Int!) {
        resultsUseCandidates(year: $y) { kind kindLabel person { name employeeNo } } }""",
                          {"y": year})["data"]["resultsUseCandidates"]
    open_admin_page(page, portal_url, "结果运用")
    table = page.locator("[data-test=candidates]")
    if not candidates:
        expect(table).to_contain_text("本年度按规则暂无人选")
        pytest.skip(f"{TENANT} has no results-use candidates in {year}")
    first = candidates[0]
    row = table.locator(".el-table__row", has_text=first["person"]["employeeNo"]).filter(
        has_text=first["kindLabel"]).first
    expect(row).to_contain_text(first["person"]["name"])
    row.get_by_role("button", name="记入台账").click()
    dialog = page.get_by_role("dialog", name="记入结果运用台账")
    title = f"{first['kindLabel']}（经党工委会议研究）"
    dialog.get_by_placeholder("如“晋升为一级科员”").fill(title)
    dialog.get_by_role("button", name="记入台账").click()
    expect(page.get_by_text("已记入结果运用台账")).to_be_visible()
    ledger = page.locator("[data-test=ledger]")
    entry = ledger.locator(".el-table__row", has_text=title)
    expect(entry).to_contain_text(first["person"]["name"])
    expect(row).to_contain_text("已记入")
    page.screenshot(path=tmp_path / "results-use.png", full_page=True)
    entries = off_loop(api.as_, TENANT, ADMIN, """{
        resultsUse { title kind person { employeeNo } basis { id } } }""")["data"]["resultsUse"]
    mine = [e for e in entries if e["title"] == title]
    assert len(mine) == 1
    assert mine[0]["kind"] == first["kind"]
    assert mine[0]["person"]["employeeNo"] == first["person"]["employeeNo"]
    assert mine[0]["basis"]


def test_admin_reads_the_demo_confirmed_run(page: Page, portal_url: str) -> None:
    """金牛区西华街道's confirmed run (the demo's): read only, nothing to confirm again."""
    open_admin_page(page, portal_url, "绩效奖金", tenant="xhjd", unit_name="金牛区西华街道")
    runs = page.locator("[data-test=bonus-runs]")
    row = runs.locator(".el-table__row", has_text="已确认").first
    expect(row).to_contain_text("600,000.00")
    row.get_by_role("button", name="查看").click()
    run = page.locator("[data-test=bonus-run]")
    expect(run.locator("h3")).to_contain_text("已确认")
    expect(run).to_contain_text("年度考核奖两级分配（演示）")
    expect(run.get_by_role("button", name="确认分配")).to_have_count(0)
    expect(run).to_contain_text("部门份额合计 600,000.00 元")
    expect(run.locator("[data-test=bonus-lines] .el-table__row").first).to_be_visible()
