"""Reports: rendered by the worker with WeasyPrint (Noto CJK) and openpyxl, downloaded through
GET /reports/{job_id}, authorized like the data they contain."""

from __future__ import annotations

import asyncio
import io
import re
import subprocess
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text

from jixiao.settings import Settings
from models import BonusRun
from reports import Column, Document, Table
from reports.pdf import PdfRenderer
from resolvers.bonus.compute import reproduce
from resolvers.reports import REGISTRY, ReportKind
from tenants.db import make_engine, make_sessionmaker, tenant_transaction
from tests.appraisal_data import people_ids, seed_results, wait_job
from tests.conftest import Api
from tests.test_bonus_runs import GRADES, LEVELS, POOL, run_to_done, start_input
from vocab.grades import GRADE_LABELS

EXPORT = """mutation($i:StartExportInput!){ startExport(input:$i){ job { id status }
  userErrors { code message field } } }"""
QUARTER: dict[str, str | None] = {
    "P001": "good", "P002": "good", "P003": "fairly_good", "P004": "good", "P005": "fairly_good",
    "P006": "average", "P007": "fairly_good", "P008": "poor", "P009": "average",
    "P010": "fairly_good", "P011": "good", "P012": "average",
}
LABELS = GRADE_LABELS


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True)
    return done.stdout.decode("utf-8")


def export(api: Api, code: str, user: str, data: dict[str, Any]) -> dict[str, Any]:
    body = api.as_(code, user, EXPORT, {"i": data})
    assert "errors" not in body, body
    return body["data"]["startExport"]  # type: ignore[no-any-return]


def download(api: Api, code: str, user: str | None, url: str) -> Any:
    headers = {"authorization": f"Bearer {api.login(code, user)}"} if user else {}
    return api.client.get(url, headers=headers)


def export_done(api: Api, code: str, user: str, data: dict[str, Any]) -> dict[str, Any]:
    started = export(api, code, user, data)
    assert started["userErrors"] == [], started
    job = wait_job(api, code, user, started["job"]["id"])
    assert job["status"] == "done", job
    return job


@pytest.fixture
def quarter(make_tenant: Any, settings: Settings) -> tuple[str, str]:
    code = make_tenant(people=12)
    return code, seed_results(settings, code, QUARTER, kind="quarter", quarter=2)


def test_unit_report_pdf_has_the_names_and_grades_and_the_xlsx_the_same_rows(
        api: Api, worker: Any, quarter: tuple[str, str], tmp_path: Path) -> None:
    code, period = quarter
    job = export_done(api, code, "admin", {"report": "unit_quarterly", "periodId": period})
    files = {f["format"]: f for f in job["files"]}
    assert set(files) == {"pdf", "xlsx"}
    assert files["pdf"]["pages"] >= 1
    assert files["pdf"]["filename"].endswith("2025年第2季度考核结果.pdf")

    answer = download(api, code, "admin", files["pdf"]["url"])
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''" in answer.headers["content-disposition"]
    text = pdf_text(answer.content, tmp_path)
    assert "等次分布" in text
    people = people_ids(api, code)
    ranked = sorted(QUARTER)  # seeded ranks follow the employee numbers
    pdf_names = []
    for no in ranked:
        name, label = people[no]["name"], LABELS[QUARTER[no] or ""]
        line = next((ln for ln in text.splitlines() if re.search(rf"\b{no}\b", ln)), "")
        assert name in line, (no, name, line)
        assert re.search(rf"\s{label}\s*$", line), (no, label, line)
        pdf_names.append(name)
    assert [n for n in re.findall(r"\b(P\d{3})\b", text)] == ranked

    xlsx = download(api, code, "admin", files["xlsx"]["url"])
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True)["考核结果排名"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["排名", "组内排名", "工号", "姓名", "部门", "类别", "得分", "等次"]
    assert [r[3] for r in rows[1:]] == pdf_names
    assert [r[2] for r in rows[1:]] == ranked
    assert [r[7] for r in rows[1:]] == [LABELS[QUARTER[no] or ""] for no in ranked]
    assert rows[1][0] == 1
    assert rows[1][6] == pytest.approx(99.25)


def test_a_staff_member_cannot_download_the_unit_report(
        api: Api, worker: Any, quarter: tuple[str, str], make_tenant: Any) -> None:
    code, period = quarter
    job = export_done(api, code, "admin", {"report": "unit_quarterly", "periodId": period})
    url = next(f["url"] for f in job["files"] if f["format"] == "pdf")
    refused = export(api, code, "ganbu", {"report": "unit_quarterly", "periodId": period})
    assert refused["job"] is None
    assert refused["userErrors"][0]["code"] == "FORBIDDEN"
    assert download(api, code, "ganbu", url).status_code == 404
    assert download(api, code, "ganbu", url.replace("pdf", "xlsx")).status_code == 404
    assert api.as_(code, "ganbu", "query($id:ID!){ job(id:$id) { id } }",
                   {"id": job["id"]})["data"]["job"] is None
    assert download(api, code, None, url).status_code == 401
    other = make_tenant(people=9)
    assert download(api, other, "admin", url).status_code == 404
    assert download(api, code, "admin", url).status_code == 200


def test_leaders_export_the_units_they_manage(
        api: Api, worker: Any, quarter: tuple[str, str], tmp_path: Path) -> None:
    code, period = quarter
    units = {p["unit"]["code"]: p["unitId"] for p in people_ids(api, code).values()}
    for unit, expected in (("d1", None), ("d2", "FORBIDDEN")):
        answer = export(api, code, "kezhang", {"report": "unit_quarterly", "periodId": period,
                                               "unitId": units[unit], "formats": ["pdf"]})
        assert (answer["userErrors"][0]["code"] if answer["userErrors"] else None) == expected
    whole = export(api, code, "kezhang", {"report": "unit_quarterly", "periodId": period})
    assert whole["userErrors"][0]["code"] == "FORBIDDEN"
    job = export_done(api, code, "kezhang", {"report": "unit_quarterly", "periodId": period,
                                             "unitId": units["d1"], "formats": ["pdf"]})
    assert [f["format"] for f in job["files"]] == ["pdf"]
    text = pdf_text(download(api, code, "kezhang", job["files"][0]["url"]).content, tmp_path)
    listed = set(re.findall(r"\b(P\d{3})\b", text))
    assert listed == {"P004", "P006", "P007", "P009", "P010", "P012"}  # d1 and its sub-unit
    admin_job = export_done(api, code, "admin", {"report": "unit_quarterly", "periodId": period})
    assert download(api, code, "kezhang", admin_job["files"][0]["url"]).status_code == 404


def test_bonus_distribution_table_as_pdf_and_xlsx(
        api: Api, worker: Any, make_tenant: Any, settings: Settings, tmp_path: Path) -> None:
    code = make_tenant(people=12, kind="subdistrict")
    period = seed_results(settings, code, GRADES, LEVELS)
    _, run_id = run_to_done(api, code, start_input(period))
    assert export(api, code, "ganbu", {"report": "bonus_distribution", "runId": run_id})[
        "userErrors"][0]["code"] == "FORBIDDEN"
    job = export_done(api, code, "admin", {"report": "bonus_distribution", "runId": run_id})
    files = {f["format"]: f for f in job["files"]}
    text = pdf_text(download(api, code, "admin", files["pdf"]["url"]).content, tmp_path)
    assert "奖金分配表（草稿）" in text
    assert "123,456.79" in text
    for person in people_ids(api, code).values():
        assert person["name"] in text
    book = load_workbook(io.BytesIO(download(api, code, "admin", files["xlsx"]["url"]).content),
                         read_only=True)
    people = [list(r) for r in book["第二级：部门内个人分配"].iter_rows(values_only=True)]
    assert people[0][:6] == ["部门", "工号", "姓名", "等次", "系数", "金额（元）"]
    assert len(people) == 13
    assert sum(Decimal(str(r[5])) for r in people[1:]) == Decimal(POOL) / 100
    departments = [list(r) for r in book["第一级：部门间分配"].iter_rows(values_only=True)]
    assert [r[0] for r in departments[1:]] == ["领导班子", "第一科", "第二科"]


BONUS_LINES = """query($id:ID!){ bonusRun(id:$id){ lines(first: 100) { edges { node {
  personId employeeNo included floorApplied capApplied note explanation } } } } }"""


def test_bonus_explanations_read_are_the_exact_computations_text(
        api: Api, worker: Any, make_tenant: Any, settings: Settings) -> None:
    """A run stores no explanation per person: the API and the export render it from the stored
    numbers, and it is word for word the text of the exact computation (rules.bonus.allocate,
    run again from the stored run), floors, caps, coefficient 0 and left-out lines included."""
    code = make_tenant(people=12, kind="subdistrict")
    period = seed_results(settings, code, GRADES, LEVELS)
    _, run_id = run_to_done(api, code, start_input(period, floorCents=900_000,
                                                   capCents=1_300_000))

    async def exact() -> dict[str, str]:
        engine = make_engine(settings.database_url, pooled=False)
        try:
            async with make_sessionmaker(engine)() as probe:
                tid = (await probe.execute(text("SELECT tenant_id_for_code(:c)"),
                                           {"c": code})).scalar_one()
            async with tenant_transaction(make_sessionmaker(engine), tid) as s:
                run = (await s.scalars(select(BonusRun).where(
                    BonusRun.id == uuid.UUID(run_id)))).one()
                return {p.person_id: p.explanation for p in (await reproduce(s, run)).people}
        finally:
            await engine.dispose()

    expected = asyncio.run(exact())
    lines = [e["node"] for e in api.as_(code, "admin", BONUS_LINES, {"id": run_id})[
        "data"]["bonusRun"]["lines"]["edges"]]
    assert len(lines) == 12
    assert {(line["floorApplied"], line["capApplied"]) for line in lines} >= {
        (True, False), (False, True), (False, False)}
    by_no = {}
    for line in lines:
        if line["included"]:
            assert line["explanation"] == expected[line["personId"]]
        else:
            assert line["explanation"] == f"{line['note']}，实得 0.00 元"
        by_no[line["employeeNo"]] = line["explanation"]
    assert any("扣除保底/封顶人员" in why for why in by_no.values())
    assert any("系数 0" in why for why in by_no.values())
    # The export's rows (the PDF and the XLSX are made from the same rows) say the same.
    job = export_done(api, code, "admin", {"report": "bonus_distribution", "runId": run_id})
    files = {f["format"]: f for f in job["files"]}
    book = load_workbook(io.BytesIO(download(api, code, "admin", files["xlsx"]["url"]).content),
                         read_only=True)
    rows = list(book["第二级：部门内个人分配"].iter_rows(values_only=True))[1:]
    assert {r[1]: r[6] for r in rows} == by_no


def test_every_report_kind_is_registered() -> None:
    assert set(REGISTRY) == set(ReportKind)


def test_long_tables_render_in_chunks_without_losing_or_repeating_rows(tmp_path: Path) -> None:
    rows = [(i, f"测试人员{i:04d}", "第一科" if i % 2 else "第二科") for i in range(1, 131)]
    columns = (Column("序号", lambda r: r[0], width=4), Column("姓名", lambda r: r[1]),
               Column("部门", lambda r: r[2]))
    document = Document(title="分块测试", template="", context={},
                        tables=(Table("名单", columns, rows),), summary=(("人数", "130"),))
    renderer = PdfRenderer(document, chunk_rows=40)
    progress = list(renderer)
    assert progress[-1] == (130, 130)
    assert renderer.chunks >= 4
    text = pdf_text(renderer.result(), tmp_path)
    assert re.findall(r"测试人员(\d{4})", text) == [f"{i:04d}" for i in range(1, 131)]
    pages = [int(n) for n in re.findall(r"第\s*(\d+)\s*页", text)]
    assert pages == list(range(1, renderer.pages + 1))
