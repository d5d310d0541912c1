"""Isolation cases of jobs, bonus runs and report exports, used by test_isolation.py.

``job_ids`` gives tenant B a year period with results, a finished bonus run and a finished
export (run in this process, as the worker would run them); every case runs as tenant A's admin,
aims at B's ids and must find nothing of B and change nothing of B.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import psycopg

from jixiao.settings import Settings
from tests.appraisal_data import seed_results, wait_job
from tests.conftest import Api
from tests.isolation_checks import Check, none_of_b, nothing, refused
from vocab.jobs import JobKind

JOB_TABLES = ["jobs", "report_files", "report_cache", "bonus_runs", "bonus_departments",
              "bonus_lines"]
# Added to the isolation snapshot: B's rows must be unchanged after every case.
JOB_SNAPSHOT = "jobs(first: 100) { id status resultId } bonusRuns { id status poolCents }"



def _run_here(settings: Settings, tenant: uuid.UUID, job: str, kind: JobKind) -> None:
    from workers.bonus import _body as bonus_body
    from workers.exports import _body as export_body
    from workers.jobs import run_job

    body = bonus_body if kind == JobKind.bonus_run else export_body
    asyncio.run(run_job(settings.worker(), tenant, uuid.UUID(job), kind, body))


def job_ids(api: Api, settings: Settings, b: str) -> dict[str, str]:
    period = seed_results(settings, b, {"P004": "excellent", "P006": "competent"},
                          {"d1": "A"}, year=2024)
    url = settings.database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT tenant_id_for_code(%s)", (b,)).fetchone()
    assert row
    started = api.as_(b, "admin", "mutation($p:ID!){ startBonusRun(input:{periodId:$p, "
                      "poolCents: 100000, departmentCoefficients:[{key:\"A\", coefficient:"
                      "\"1\"}]}) { job { id } userErrors { message } } }", {"p": period})
    bonus_job = started["data"]["startBonusRun"]["job"]["id"]
    _run_here(settings, row[0], bonus_job, JobKind.bonus_run)
    run = wait_job(api, b, "admin", bonus_job)["resultId"]
    exported = api.as_(b, "admin", "mutation($r:ID!){ startExport(input:{report:"
                       "bonus_distribution, runId:$r, formats:[xlsx]}) { job { id } } }",
                       {"r": run})
    export_job = exported["data"]["startExport"]["job"]["id"]
    _run_here(settings, row[0], export_job, JobKind.export)
    assert wait_job(api, b, "admin", export_job)["status"] == "done"
    return {"bonus_period": period, "bonus_job": bonus_job, "bonus_run": run,
            "export_job": export_job}














JOB_CASES: dict[str, tuple[str, Callable[[Any], dict[str, Any]], Check]] = {
    "job": ("query($id:ID!){ job(id:$id) { id } }", lambda t: {"id": t.ids["export_job"]},
            nothing("job")),
    "jobs": ("{ jobs(first: 100) { id } }", lambda t: {}, none_of_b("jobs")),
    "bonusRuns": ("query($p:ID){ bonusRuns(periodId:$p) { id } }",
                  lambda t: {"p": t.ids["bonus_period"]}, nothing("bonusRuns")),
    "bonusRun": ("query($id:ID!){ bonusRun(id:$id) { id } }",
                 lambda t: {"id": t.ids["bonus_run"]}, nothing("bonusRun")),
    # --- mutations
    "startBonusRun": ("mutation($p:ID!){ startBonusRun(input:{periodId:$p, poolCents:100, "
                      "departmentCoefficients:[{key:\"A\", coefficient:\"1\"}]}) { job { id } "
                      "userErrors { code } } }", lambda t: {"p": t.ids["bonus_period"]},
                      refused("startBonusRun", result="job")),
    "confirmBonusRun": ("mutation($id:ID!){ confirmBonusRun(id:$id) { bonusRun { id } "
                        "userErrors { code } } }", lambda t: {"id": t.ids["bonus_run"]},
                        refused("confirmBonusRun", result="bonusRun")),
    "startExport": ("mutation($r:ID!){ startExport(input:{report:bonus_distribution, runId:$r})"
                    " { job { id } userErrors { code } } }", lambda t: {"r": t.ids["bonus_run"]},
                    refused("startExport", result="job")),
}
