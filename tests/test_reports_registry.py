"""The supervision summary, publicity list and person profile reports (PDF + XLSX)."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from jixiao.settings import Settings
from tests.appraisal_data import people_ids, seed_results
from tests.conftest import Api
from tests.factories import seed_plan
from tests.test_reports import QUARTER, download, export, export_done, pdf_text


def files_of(job: dict[str, Any]) -> dict[str, Any]:
    return {f["format"]: f for f in job["files"]}


def test_supervision_summary_report(api: Api, worker: Any, settings: Settings,
                                    make_tenant: Any, tmp_path: Path) -> None:
    code = make_tenant(people=12)
    asyncio.run(seed_plan(settings, code, 2026))
    period = api.as_(code, "admin", "mutation{ createPeriod(input:{kind:quarter,year:2026,"
                     "quarter:2}) { period { id } } }")["data"]["createPeriod"]["period"]["id"]
    job = export_done(api, code, "bangong", {"report": "supervision_summary", "periodId": period})
    files = files_of(job)
    text = pdf_text(download(api, code, "bangong", files["pdf"]["url"]).content, tmp_path)
    assert "督办情况通报" in text
    assert "办理法律援助案件——完成案件梳理" in text
    book = load_workbook(io.BytesIO(download(api, code, "bangong", files["xlsx"]["url"]).content),
                         read_only=True)
    items = [list(r) for r in book["滞后事项清单"].iter_rows(values_only=True)][1:]
    assert len(items) == 3  # T1-1, its first milestone, and T2 done late (as of 30 June)
    staff = export(api, code, "ganbu", {"report": "supervision_summary", "periodId": period})
    assert staff["userErrors"][0]["code"] == "FORBIDDEN"


def test_publicity_list_report(api: Api, worker: Any, settings: Settings, make_tenant: Any,
                               raw_app_connection: Any, tmp_path: Path) -> None:
    code = make_tenant(people=12)
    period = seed_results(settings, code, QUARTER, kind="quarter", quarter=2)
    early = export(api, code, "ganbu", {"report": "publicity_list", "periodId": period})
    assert early["userErrors"][0]["code"] == "RULE_VIOLATION"
    conn = raw_app_connection
    tid = conn.execute("SELECT tenant_id_for_code(%s)", (code,)).fetchone()[0]
    conn.rollback()  # the lookup opened a transaction; the update must commit on its own
    with conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tid),))
        conn.execute("UPDATE periods SET state = 'publicizing' WHERE id = %s", (period,))
    job = export_done(api, code, "ganbu", {"report": "publicity_list", "periodId": period})
    text = pdf_text(download(api, code, "ganbu", files_of(job)["pdf"]["url"]).content, tmp_path)
    people = people_ids(api, code)
    for number, grade in QUARTER.items():
        assert (people[number]["name"] in text) == (grade == "good"), number


def test_person_profile_report(api: Api, worker: Any, settings: Settings, make_tenant: Any,
                               tmp_path: Path) -> None:
    code = make_tenant(people=12)
    seed_results(settings, code, QUARTER, kind="quarter", quarter=2)
    people = people_ids(api, code)
    mine = {"report": "person_profile", "personId": people["P006"]["id"]}
    job = export_done(api, code, "ganbu", mine)
    text = pdf_text(download(api, code, "ganbu", files_of(job)["pdf"]["url"]).content, tmp_path)
    assert f"{people['P006']['name']}干部画像" in text
    assert "2025年第2季度" in text
    assert "一般" in text  # P006's grade that quarter
    colleague = export(api, code, "ganbu2", mine)
    assert colleague["userErrors"][0]["code"] == "NOT_FOUND"
    manager = export_done(api, code, "kezhang", mine)
    assert manager["status"] == "done"


def test_profile_has_achievements_and_commendations(api: Api, settings: Settings,
                                                    make_tenant: Any) -> None:
    from tests.test_declarations import SAVE, SUBMIT, World, item

    world = World(api, settings, make_tenant)
    plan = world.ids
    api.as_(world.code, "ganbu", SAVE, {"p": world.period, "items": [
        item(1, task=plan["mine"])]})
    api.as_(world.code, "ganbu", SUBMIT, {"p": world.period})
    people = people_ids(api, world.code)
    api.as_(world.code, "bangong", "mutation($n:ID!,$p:ID!){ issuePointRecord(input:{indicatorId:"
            "$n, personId:$p, occurredOn:\"2026-03-01\", reason:\"获市级表彰\"}) "
            "{ userErrors { code } } }", {"n": plan["credit"], "p": people["P006"]["id"]})
    profile = api.as_(world.code, "kezhang", "query($p:ID!){ cadreProfile(personId:$p) "
                      "{ achievements { kind title } commendations { kind title points } } }",
                      {"p": people["P006"]["id"]})["data"]["cadreProfile"]
    assert profile["achievements"] == [{"kind": "achievement", "title": "实绩1"}]
    assert [c["kind"] for c in profile["commendations"]] == ["commendation"]
