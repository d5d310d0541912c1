"""Issue 18, point 2: heavy reads on a real streaming read replica (``JIXIAO_READ_DATABASE_URL``).

A hot standby is made from the session's throwaway primary (``pg_basebackup``) for this module
only; it logs every statement, so a test reads in its log where a read ran. The city report is
exported once reading on the replica and once on the primary: the files hold the same figures.
A replica that lags behind the job's start is not read (the job waits, then reads the primary).
"""

from __future__ import annotations

import asyncio
import io
import shutil
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from jixiao.localservers import LocalPostgres, LocalRedis, free_port
from jixiao.settings import Settings
from tests.appraisal_data import people_ids, seed_results, wait_job
from tests.conftest import Api
from tests.oversight_scenario import CITY, World, world
from tests.test_reports import QUARTER, export
from vocab.jobs import JobKind
from workers.exports import _body as export_body
from workers.jobs import run_job

__all__ = ["world"]  # the module's fixture

CITY_REPORT = """mutation($i:CityReportInput!){ startCityReport(input:$i) { job { id status }
  userErrors { code message field } } }"""
COMPARE = """query($t:[ID!], $p:[OversightPeriodInput!]!){ oversightComparison(tenantIds:$t,
  periods:$p) { minGroupSize rows { period { key } unit { code } suppressed
  figures { code value suppressed numerator denominator } }
  groups { period { key } group suppressed figures { code value } } } }"""
PERIODS = [{"year": 2025, "quarter": 1}, {"year": 2025, "quarter": 2}, {"year": 2025}]
READ = "FROM platform_comparison("  # the comparison's one heavy statement


@pytest.fixture(scope="module")
def replica(servers: tuple[LocalPostgres, LocalRedis], settings: Settings
            ) -> Iterator[LocalPostgres]:
    primary, _ = servers
    root = primary.root.parent / f"replica-{uuid.uuid4().hex[:8]}"
    standby = primary.start_replica(root, free_port())
    try:
        yield standby
    finally:
        standby.stop()
        shutil.rmtree(root, ignore_errors=True)


class ReplicaLog:
    """What the replica logged since the last call (``log_statement=all``)."""

    def __init__(self, replica: LocalPostgres) -> None:
        self.path = replica.log
        self.offset = self.path.stat().st_size

    def new(self) -> str:
        with self.path.open("rb") as f:
            f.seek(self.offset)
            text = f.read().decode("utf-8", errors="replace")
        self.offset += len(text.encode("utf-8", errors="replace"))
        return text


def tenant_of(api: Api, code: str, user: str) -> uuid.UUID:
    return uuid.UUID(api.as_(code, user, "{ tenant { id } }")["data"]["tenant"]["id"])


def start_city_report(api: Api, world: World) -> uuid.UUID:
    tenants = [world.ids[world.a], world.ids[world.b], world.ids[world.c]]
    started = api.as_(*CITY, CITY_REPORT, {"i": {"tenantIds": tenants, "periods": PERIODS,
                                                 "formats": ["xlsx"]}})  # the figures
    assert started["data"]["startCityReport"]["userErrors"] == [], started
    return uuid.UUID(started["data"]["startCityReport"]["job"]["id"])


def run_export(api: Api, settings: Settings, job_id: uuid.UUID,
               who: tuple[str, str] = CITY) -> str:
    """Runs the export job as a worker with ``settings`` would (no queue: the test's worker)."""
    return asyncio.run(run_job(settings.worker(), tenant_of(api, *who), job_id, JobKind.export,
                               export_body))


def xlsx_values(api: Api, job_id: uuid.UUID, who: tuple[str, str] = CITY
                ) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Every cell of the job's XLSX but the generation time."""
    job = wait_job(api, *who, str(job_id))
    assert job["status"] == "done", job
    url = next(f["url"] for f in job["files"] if f["format"] == "xlsx")
    response = api.client.get(url, headers={"authorization": f"Bearer {api.login(*who)}"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [(sheet.title, [tuple(None if isinstance(v, str) and v.startswith("生成时间") else v
                                 for v in row) for row in sheet.iter_rows(values_only=True)])
            for sheet in book.worksheets]


def forget_cached_reports(settings: Settings, code: str) -> None:
    """Empties the tenant's report cache, so the next export renders from the database."""
    url = settings.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url) as conn, conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', tenant_id_for_code(%s)::text, true)",
                     (code,))
        conn.execute("DELETE FROM report_cache")


def with_replica(settings: Settings, replica: LocalPostgres, wait: float = 10.0) -> Settings:
    return settings.replace(read_database_url=replica.app_url, read_max_wait_seconds=wait)


def test_the_city_report_export_reads_on_the_replica_and_equals_the_primary(
        api: Api, settings: Settings, world: World, replica: LocalPostgres) -> None:
    log = ReplicaLog(replica)
    on_replica = start_city_report(api, world)
    assert run_export(api, with_replica(settings, replica), on_replica) == "done"
    logged = log.new()
    # The heavy statement ran on the replica, as the application role, read-only.
    assert any(READ in line and "|jixiao_app|" in line for line in logged.splitlines()), logged
    assert "SET TRANSACTION READ ONLY" in logged
    assert "set_config('app.tenant_id'" in logged  # the same binding as on the primary

    on_primary = start_city_report(api, world)
    assert run_export(api, settings, on_primary) == "done"
    assert READ not in log.new()  # without the variable: the primary, as before
    values = xlsx_values(api, on_replica)
    assert values == xlsx_values(api, on_primary)
    assert any(len(rows) > 3 for _, rows in values)  # figures, not an empty book


def test_a_unit_report_for_a_department_head_reads_on_the_replica(
        api: Api, settings: Settings, make_tenant: Any, replica: LocalPostgres) -> None:
    code = make_tenant(people=12)
    period = seed_results(settings, code, QUARTER, kind="quarter", quarter=2)
    d1 = next(p["unitId"] for p in people_ids(api, code).values() if p["unit"]["code"] == "d1")
    head = (code, "kezhang")  # the requester's rights are loaded and checked on the replica

    def start() -> uuid.UUID:
        started = export(api, code, "kezhang", {"report": "unit_quarterly", "periodId": period,
                                                "unitId": d1, "formats": ["xlsx"]})
        assert started["userErrors"] == [], started
        return uuid.UUID(started["job"]["id"])

    log = ReplicaLog(replica)
    on_replica = start()
    assert run_export(api, with_replica(settings, replica), on_replica, head) == "done"
    assert "SET TRANSACTION READ ONLY" in log.new()
    forget_cached_reports(settings, code)  # else the second export is served from the cache
    on_primary = start()
    assert run_export(api, settings, on_primary, head) == "done"
    values = xlsx_values(api, on_replica, head)
    assert values == xlsx_values(api, on_primary, head)
    assert "P004" in str(values)
    assert "P001" not in str(values)  # d1 only: the head's rights, on the replica too


def test_a_lagging_replica_is_not_read_the_job_reads_the_primary(
        api: Api, settings: Settings, world: World, replica: LocalPostgres,
        caplog: pytest.LogCaptureFixture) -> None:
    replica.sql("SELECT pg_wal_replay_pause()")
    try:
        log = ReplicaLog(replica)
        job_id = start_city_report(api, world)  # written after the replica stopped replaying
        assert run_export(api, with_replica(settings, replica, wait=0.5), job_id) == "done"
        assert READ not in log.new()  # not read on a replica that has not seen the job
        assert "has not replayed" in caplog.text
    finally:
        replica.sql("SELECT pg_wal_replay_resume()")
    expected = start_city_report(api, world)
    assert run_export(api, settings, expected) == "done"
    assert xlsx_values(api, job_id) == xlsx_values(api, expected)


def test_the_city_comparison_reads_on_the_replica_with_the_same_figures(
        api: Api, settings: Settings, world: World, replica: LocalPostgres) -> None:
    variables = {"t": [world.ids[world.a], world.ids[world.b], world.ids[world.c]],
                 "p": PERIODS}
    expected = api.as_(*CITY, COMPARE, variables)
    assert "errors" not in expected, expected
    log = ReplicaLog(replica)
    from jixiao.app import create_app

    with TestClient(create_app(with_replica(settings, replica))) as client:
        found = Api(client).as_(*CITY, COMPARE, variables)
    assert found == expected
    assert READ in log.new()


def test_row_level_security_applies_on_the_replica(
        settings: Settings, world: World, replica: LocalPostgres) -> None:
    a = world.ids[world.a]
    counts = []
    for url in (settings.database_url, replica.app_url):
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
            unbound = conn.execute("SELECT count(*) FROM people").fetchone()
            conn.execute("SELECT set_config('app.tenant_id', %s, false)", (a,))
            bound = conn.execute("SELECT count(*) FROM people").fetchone()
            counts.append((unbound, bound))
    assert counts[0] == counts[1]  # the same rows, the same policies
    assert counts[0][0] == (0,)  # bound to no tenant: nothing
    assert counts[0][1] != (0,)  # bound to a tenant: its rows


def test_the_replica_refuses_writes(replica: LocalPostgres, settings: Settings) -> None:
    with psycopg.connect(replica.app_url.replace("postgresql+psycopg://", "postgresql://")
                         ) as conn, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        conn.execute("UPDATE people SET name = name")


def test_an_unreachable_replica_falls_back_to_the_primary(
        api: Api, settings: Settings, world: World, caplog: pytest.LogCaptureFixture) -> None:
    nowhere = f"postgresql+psycopg://jixiao_app:jixiao_app@127.0.0.1:{free_port()}/jixiao"
    job_id = start_city_report(api, world)
    assert run_export(api, settings.replace(read_database_url=nowhere), job_id) == "done"
    assert "read replica unreachable" in caplog.text
    assert any(len(rows) > 3 for _, rows in xlsx_values(api, job_id))
