"""Isolation cases of the city's oversight (issue 8), used by test_isolation.py.

``oversight_ids`` gives tenant B an experience report answered by the city and a report shared
with the city (one of B's finished exports); every case runs as tenant A's admin, aims at B's
ids and must find nothing of B and change nothing of B. The city-only fields refuse a tenant
admin outright (FORBIDDEN).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.isolation_checks import Check, none_of_b, refused

OVERSIGHT_TABLES = ["experience_reports", "experience_comments", "report_shares"]
# Added to the isolation snapshot: B's rows must be unchanged after every case.
OVERSIGHT_SNAPSHOT = ("experienceReports { id goodPractice reviewedAt comments { id body } } "
                      "reportShares { id jobId title note }")



def oversight_ids(api: Api, settings: Settings, b: str) -> dict[str, str]:
    report = api.as_(b, "admin", "mutation{ submitExperienceReport(input:{kind:experience, "
                     "stage:feedback, title:\"谈话记录模板\", body:\"做法\"}) { report { id } } }")
    report_id = report["data"]["submitExperienceReport"]["report"]["id"]
    b_id = api.as_(b, "admin", "{ tenant { id } }")["data"]["tenant"]["id"]
    api.as_("cdzzb", "shiwei", "mutation($t:ID!,$r:ID!){ reviewExperienceReport(tenantId:$t, "
            "reportId:$r, comment:\"很好\", goodPractice:true) { userErrors { code } } }",
            {"t": b_id, "r": report_id})
    jobs = api.as_(b, "admin", "{ jobs(first: 100) { id kind status } }")["data"]["jobs"]
    export = next(j["id"] for j in jobs if j["kind"] == "export" and j["status"] == "done")
    shared = api.as_(b, "admin", "mutation($j:ID!){ shareReportWithCity(jobId:$j, title:"
                     "\"报送\") { share { id } userErrors { code } } }", {"j": export})
    return {"experience_report": report_id, "b_tenant": b_id, "shared_job": export,
            "report_share": shared["data"]["shareReportWithCity"]["share"]["id"]}











def public(body: dict[str, Any], t: Any) -> None:
    assert body["data"]["oversightFigureDefinitions"], body  # the same registry for everyone


def lands_in_a(body: dict[str, Any], t: Any) -> None:
    assert body["data"]["submitExperienceReport"]["userErrors"] == [], body


PERIODS = "[{year:2025, quarter:4}]"

OVERSIGHT_CASES: dict[str, tuple[str, Callable[[Any], dict[str, Any]], Check]] = {
    "oversightFigureDefinitions": ("{ oversightFigureDefinitions { code } }", lambda t: {},
                                   public),
    # city only: a tenant admin is refused (a GraphQL error FORBIDDEN)
    "oversightComparison": ("query($t:ID!){ oversightComparison(tenantIds:[$t], periods:"
                            + PERIODS + ") { rows { unit { id } } } }",
                            lambda t: {"t": t.ids["b_tenant"]}, lambda body, t: None),
    "oversightSettings": ("{ oversightSettings { minGroupSize } }", lambda t: {},
                          lambda body, t: None),
    "cityExperienceReports": ("query($t:ID!){ cityExperienceReports(tenantIds:[$t]) { id } }",
                              lambda t: {"t": t.ids["b_tenant"]}, lambda body, t: None),
    "citySharedReports": ("query($t:ID!){ citySharedReports(tenantIds:[$t]) { id } }",
                          lambda t: {"t": t.ids["b_tenant"]}, lambda body, t: None),
    # the unit's own lists: none of B's rows
    "experienceReports": ("{ experienceReports { id comments { id } } }", lambda t: {},
                          none_of_b("experienceReports")),
    "reportShares": ("{ reportShares { id jobId } }", lambda t: {},
                     none_of_b("reportShares")),
    # --- mutations
    "submitExperienceReport": ("mutation{ submitExperienceReport(input:{kind:problem, "
                               "stage:plan, title:\"A的问题\", body:\"内容\"}) { report { id } "
                               "userErrors { code } } }", lambda t: {}, lands_in_a),
    "reviewExperienceReport": ("mutation($t:ID!,$r:ID!){ reviewExperienceReport(tenantId:$t, "
                               "reportId:$r, comment:\"篡改\", goodPractice:false) "
                               "{ report { id } userErrors { code } } }",
                               lambda t: {"t": t.ids["b_tenant"],
                                          "r": t.ids["experience_report"]},
                               refused("reviewExperienceReport", "FORBIDDEN")),
    "shareReportWithCity": ("mutation($j:ID!){ shareReportWithCity(jobId:$j, title:\"x\") "
                            "{ share { id } userErrors { code } } }",
                            lambda t: {"j": t.ids["shared_job"]},
                            refused("shareReportWithCity", "NOT_FOUND")),
    "withdrawReportShare": ("mutation($id:ID!){ withdrawReportShare(id:$id) { deletedId "
                            "userErrors { code } } }", lambda t: {"id": t.ids["report_share"]},
                            refused("withdrawReportShare", "NOT_FOUND")),
    "startCityReport": ("mutation($t:ID!){ startCityReport(input:{tenantIds:[$t], periods:"
                        + PERIODS + "}) { job { id } userErrors { code } } }",
                        lambda t: {"t": t.ids["b_tenant"]},
                        refused("startCityReport", "FORBIDDEN")),
    "setOversightMinGroupSize": ("mutation{ setOversightMinGroupSize(value:2, reason:\"调小\") "
                                 "{ settings { minGroupSize } userErrors { code } } }",
                                 lambda t: {}, refused("setOversightMinGroupSize",
                                                       "FORBIDDEN")),
}
