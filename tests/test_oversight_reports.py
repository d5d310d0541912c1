"""The city report (rendered by the report worker: PDF with bar charts, and XLSX) and the
reports a unit explicitly shares with the city."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from rules.oversight import FIGURES
from tests.appraisal_data import wait_job
from tests.conftest import Api
from tests.oversight_scenario import CITY, World, world
from tests.test_reports import pdf_text

__all__ = ["world"]  # the module's fixture

CITY_REPORT = """mutation($i:CityReportInput!){ startCityReport(input:$i) { job { id status }
  userErrors { code message field } } }"""
EXPORT = """mutation($i:StartExportInput!){ startExport(input:$i){ job { id }
  userErrors { code } } }"""
SHARE = """mutation($j:ID!,$t:String!){ shareReportWithCity(jobId:$j, title:$t, note:"供参考") {
  share { id jobId title } userErrors { code field } } }"""
SHARED = """query($t:[ID!]){ citySharedReports(tenantIds:$t) { id tenantId tenantCode title note
  report reportLabel files { format filename size url } } }"""


def get(api: Api, code: str, user: str | None, url: str) -> Any:
    headers = {"authorization": f"Bearer {api.login(code, user)}"} if user else {}
    return api.client.get(url, headers=headers)


def test_the_city_report_has_charts_and_the_same_figures_in_xlsx(
        api: Api, worker: Any, world: World, tmp_path: Path) -> None:
    tenants = [world.ids[world.a], world.ids[world.b], world.ids[world.c]]
    started = api.as_(*CITY, CITY_REPORT, {"i": {"tenantIds": tenants, "periods": [
        {"year": 2025, "quarter": 1}, {"year": 2025, "quarter": 2}]}})
    assert started["data"]["startCityReport"]["userErrors"] == [], started
    job = wait_job(api, *CITY, started["data"]["startCityReport"]["job"]["id"])
    assert job["status"] == "done", job
    files = {f["format"]: f for f in job["files"]}
    assert set(files) == {"pdf", "xlsx"}

    pdf = get(api, *CITY, files["pdf"]["url"])
    assert pdf.status_code == 200
    assert b"<svg" not in pdf.content  # drawn as vectors, not embedded markup
    text = pdf_text(pdf.content, tmp_path)
    assert "试点单位绩效管理和平时考核横向比较" in text
    for heading in ("实绩申报率（%）", "按单位", "按单位类别", "指标口径", "样本不足"):
        assert heading in text, heading
    for name in (f"测试单位{world.a}", f"测试单位{world.b}", "县级机关单位", "乡镇（街道）"):
        assert name in text, name
    assert files["pdf"]["pages"] >= 3

    xlsx = get(api, *CITY, files["xlsx"]["url"])
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    sheet = [list(r) for r in book["实绩申报"].iter_rows(values_only=True)]
    header = sheet[0]
    assert header[:3] == ["单位", "类别", "期次"]
    rate = header.index("实绩申报率（%）")
    rows = {(r[0], r[2]): r for r in sheet[1:]}
    assert rows[(f"测试单位{world.a}", "2025年第一季度")][rate] == pytest.approx(75.0)
    assert rows[(f"测试单位{world.b}", "2025年第一季度")][rate] == pytest.approx(80.0)
    assert rows[(f"测试单位{world.b}", "2025年第二季度")][rate] == "样本不足"
    assert rows[("【县级机关单位】合计", "2025年第一季度")][rate] == pytest.approx(42.9)
    definitions = [list(r) for r in book["指标口径"].iter_rows(values_only=True)]
    assert [r[0] for r in definitions[1:]] == [f.code for f in FIGURES]

    # only the city: a unit's admin can neither start nor download it
    assert get(api, world.a, "admin", files["pdf"]["url"]).status_code == 404


def test_a_unit_shares_a_named_report_and_the_city_reads_exactly_that(
        api: Api, worker: Any, world: World) -> None:
    a, b = world.a, world.b
    period = world.periods[a]["2025年第1季度"]
    jobs = []
    for _ in range(2):
        started = api.as_(a, "admin", EXPORT, {"i": {"report": "unit_quarterly",
                                                     "periodId": period}})
        jobs.append(wait_job(api, a, "admin", started["data"]["startExport"]["job"]["id"]))
    shared, kept = jobs
    assert api.as_(*CITY, SHARED, {"t": [world.ids[a]]})["data"]["citySharedReports"] == []

    # the city cannot reach an unshared file, by any route
    unshared_url = next(f["url"] for f in kept["files"] if f["format"] == "pdf")
    assert get(api, *CITY, unshared_url).status_code == 404
    # a staff member may not share; another unit finds nothing
    refused = api.as_(a, "ganbu", SHARE, {"j": shared["id"], "t": "x"})
    assert refused["data"]["shareReportWithCity"]["userErrors"][0]["code"] == "FORBIDDEN"
    foreign = api.as_(b, "admin", SHARE, {"j": shared["id"], "t": "x"})
    assert foreign["data"]["shareReportWithCity"]["userErrors"][0]["code"] == "NOT_FOUND"

    done = api.as_(a, "admin", SHARE, {"j": shared["id"], "t": "第一季度考核结果（报送）"})
    share = done["data"]["shareReportWithCity"]
    assert share["userErrors"] == []
    again = api.as_(a, "admin", SHARE, {"j": shared["id"], "t": "重复"})
    assert again["data"]["shareReportWithCity"]["userErrors"][0]["code"] == "DUPLICATE"
    mine = api.as_(a, "admin", "{ reportShares { id jobId title } }")["data"]["reportShares"]
    assert [s["jobId"] for s in mine] == [shared["id"]]

    listed = api.as_(*CITY, SHARED, {"t": [world.ids[a], world.ids[b]]})["data"][
        "citySharedReports"]
    assert [(r["tenantCode"], r["title"], r["report"]) for r in listed] == [
        (a, "第一季度考核结果（报送）", "unit_quarterly")]
    assert listed[0]["reportLabel"] == "单位季度考核结果"
    urls = {f["format"]: f["url"] for f in listed[0]["files"]}
    assert set(urls) == {"pdf", "xlsx"}
    pdf = get(api, *CITY, urls["pdf"])
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert get(api, *CITY, urls["xlsx"]).status_code == 200
    # the share route is the city's only: units, other ids and no token get nothing
    assert get(api, a, "admin", urls["pdf"]).status_code == 404
    assert get(api, b, "admin", urls["pdf"]).status_code == 404
    assert get(api, *CITY, urls["pdf"].replace(world.ids[a], world.ids[b])).status_code == 404
    assert get(api, *CITY, urls["pdf"].replace("pdf", "doc")).status_code == 404
    assert get(api, a, None, urls["pdf"]).status_code == 401

    withdrawn = api.as_(a, "admin", "mutation($id:ID!){ withdrawReportShare(id:$id) "
                        "{ deletedId userErrors { code } } }", {"id": share["share"]["id"]})
    assert withdrawn["data"]["withdrawReportShare"]["deletedId"] == share["share"]["id"]
    assert api.as_(*CITY, SHARED, {"t": [world.ids[a]]})["data"]["citySharedReports"] == []
    assert get(api, *CITY, urls["pdf"]).status_code == 404
