"""The report cache (issue 16, item 4): a period's results report rendered once when its results
are confirmed, handed out without rendering while the data is unchanged, invalidated when the
period is reopened or the results change; long tables laid out in parallel chunks come out with
the same rows as one document."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text, update

import reports.pdf
from jixiao.settings import Settings
from models import CachedReport, Period, PersonResult
from tenants.db import make_engine, make_sessionmaker, tenant_transaction
from tests.appraisal_data import seed_results, wait_job
from tests.conftest import Api
from tests.test_reports import QUARTER, download, export, pdf_text

CONFIRM = "mutation($p:ID!){ confirmGrades(periodId:$p) { userErrors { code message } } }"
ADVANCE = ("mutation($id:ID!,$s:PeriodState!){ advancePeriod(id:$id,toState:$s) { period "
           "{ state } userErrors { code message field } } }")
REOPEN = ("mutation($id:ID!){ reopenPeriod(id:$id, reason:\"更正考核结果\") { period { state } "
          "userErrors { code message } } }")
JOB = "query($id:ID!){ job(id:$id) { id status files { format filename size pages url } } }"


async def _in_tenant(settings: Settings, code: str, work: Any) -> Any:
    engine = make_engine(settings.database_url, pooled=False)
    try:
        async with make_sessionmaker(engine)() as probe:
            tid = (await probe.execute(text("SELECT tenant_id_for_code(:c)"),
                                       {"c": code})).scalar_one()
        async with tenant_transaction(make_sessionmaker(engine), tid) as session:
            return await work(session)
    finally:
        await engine.dispose()


def cached(settings: Settings, code: str, period: str) -> dict[str, tuple[str, bytes]]:
    """format -> (digest, content) of the period's cached reports."""
    async def work(session: Any) -> dict[str, tuple[str, bytes]]:
        rows = (await session.execute(select(
            CachedReport.format, CachedReport.digest, CachedReport.content).where(
            CachedReport.period_id == uuid.UUID(period)))).all()
        return {f: (d, c) for f, d, c in rows}
    return asyncio.run(_in_tenant(settings, code, work))


def change(settings: Settings, code: str, stmt: Any) -> None:
    async def work(session: Any) -> None:
        await session.execute(stmt)
    asyncio.run(_in_tenant(settings, code, work))


def confirm_and_publicize(api: Api, code: str, period: str) -> None:
    assert api.as_(code, "admin", CONFIRM, {"p": period})["data"]["confirmGrades"][
        "userErrors"] == []
    moved = api.as_(code, "admin", ADVANCE, {"id": period, "s": "publicizing"})["data"][
        "advancePeriod"]
    assert moved["userErrors"] == [], moved


@pytest.fixture
def confirmed(api: Api, worker: Any, make_tenant: Any, settings: Settings) -> tuple[str, str]:
    """A quarter whose results were confirmed, and its report rendered for the cache."""
    code = make_tenant(people=12)
    period = seed_results(settings, code, QUARTER, kind="quarter", quarter=2)
    assert cached(settings, code, period) == {}
    confirm_and_publicize(api, code, period)
    deadline = time.monotonic() + 120
    while not cached(settings, code, period) and time.monotonic() < deadline:
        time.sleep(0.5)  # the job enqueued on confirmation renders it in the worker
    assert set(cached(settings, code, period)) == {"pdf", "xlsx"}
    jobs = api.as_(code, "admin", "{ jobs(first: 5) { id status files { format } } }")
    assert [(j["status"], j["files"]) for j in jobs["data"]["jobs"]] == [("done", [])]
    return code, period


def no_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("rendered on the request")

    monkeypatch.setattr(reports.pdf.PdfRenderer, "_html", refuse)  # every layout's HTML
    monkeypatch.setattr("workers.exports.render_xlsx", refuse)


def test_a_download_after_confirmation_is_served_from_the_cache_without_rendering(
        api: Api, worker: Any, confirmed: tuple[str, str], settings: Settings,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, period = confirmed
    stored = cached(settings, code, period)
    no_rendering(monkeypatch)
    started = export(api, code, "admin", {"report": "unit_quarterly", "periodId": period})
    assert started["userErrors"] == []
    assert started["job"]["status"] == "done"  # done when it starts: nothing was rendered
    job = api.as_(code, "admin", JOB, {"id": started["job"]["id"]})["data"]["job"]
    files = {f["format"]: f for f in job["files"]}
    assert set(files) == {"pdf", "xlsx"}
    pdf = download(api, code, "admin", files["pdf"]["url"])
    assert pdf.status_code == 200
    assert pdf.content == stored["pdf"][1]
    assert download(api, code, "admin", files["xlsx"]["url"]).content == stored["xlsx"][1]
    assert re.findall(r"\b(P\d{3})\b", pdf_text(pdf.content, tmp_path)) == sorted(QUARTER)
    # Asking only for the PDF is served from the same rendering.
    only_pdf = export(api, code, "admin", {"report": "unit_quarterly", "periodId": period,
                                           "formats": ["pdf"]})
    assert only_pdf["job"]["status"] == "done"


def test_reopening_the_period_invalidates_the_cached_report(
        api: Api, worker: Any, confirmed: tuple[str, str], settings: Settings) -> None:
    code, period = confirmed
    change(settings, code, update(Period).where(Period.id == uuid.UUID(period))
           .values(state="closed"))
    reopened = api.as_(code, "admin", REOPEN, {"id": period})["data"]["reopenPeriod"]
    assert reopened["userErrors"] == []
    assert reopened["period"]["state"] == "feedback"
    assert cached(settings, code, period) == {}
    started = export(api, code, "admin", {"report": "unit_quarterly", "periodId": period})
    assert started["job"]["status"] == "queued"  # rendered again by the worker
    assert wait_job(api, code, "admin", started["job"]["id"])["status"] == "done"
    assert set(cached(settings, code, period)) == {"pdf", "xlsx"}  # and cached again


def test_a_changed_result_is_rendered_again_not_served_from_the_cache(
        api: Api, worker: Any, confirmed: tuple[str, str], settings: Settings,
        tmp_path: Path) -> None:
    code, period = confirmed
    before = cached(settings, code, period)["pdf"][0]
    # A correction of a grade (as an upheld objection would make) changes the data.
    change(settings, code, update(PersonResult).where(
        PersonResult.period_id == uuid.UUID(period),
        PersonResult.rank == select(func.max(PersonResult.rank)).where(
            PersonResult.period_id == uuid.UUID(period)).scalar_subquery())
        .values(grade="fairly_good"))
    started = export(api, code, "admin", {"report": "unit_quarterly", "periodId": period})
    assert started["job"]["status"] == "queued"
    job = wait_job(api, code, "admin", started["job"]["id"])
    assert job["status"] == "done"
    assert cached(settings, code, period)["pdf"][0] != before
    again = export(api, code, "admin", {"report": "unit_quarterly", "periodId": period})
    assert again["job"]["status"] == "done"  # the new rendering is the one cached
