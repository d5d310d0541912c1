"""Isolation cases of the annual appraisal's inputs (述职报告, 民主测评), used by test_isolation.py.

``annual_ids`` gives tenant B a year period with a submitted duty report (with an attachment) and
an open democratic vote; every case runs as tenant A's admin, aims at B's ids and must find
nothing of B and change nothing of B.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from tests.conftest import Api
from tests.isolation_checks import Check, refused

ANNUAL_TABLES = ["duty_reports", "democratic_votes", "democratic_vote_voters",
                 "democratic_vote_counts"]
PDF = base64.b64encode(b"%PDF-1.4\n%%EOF\n").decode()


def annual_ids(api: Api, b: str) -> dict[str, str]:
    created = api.as_(b, "admin", "mutation{createPeriod(input:{kind:year,year:2031})"
                      "{period{id} userErrors{message}}}")["data"]["createPeriod"]
    assert created["period"], created
    period = created["period"]["id"]
    asked = api.as_(b, "admin", "mutation($p:ID!){ requestDutyReports(input:{periodId:$p, "
                    "deadline:\"2100-12-31\"}) { requested userErrors { message } } }",
                    {"p": period})["data"]["requestDutyReports"]
    assert asked["userErrors"] == [], asked
    report = api.as_(b, "ganbu", "mutation($p:ID!,$f:String!){ submitDutyReport(input:{"
                     "periodId:$p, text:\"全年工作\", attachment:{filename:\"a.pdf\", "
                     "contentBase64:$f}}) { report { id } userErrors { message } } }",
                     {"p": period, "f": PDF})["data"]["submitDutyReport"]
    assert report["userErrors"] == [], report
    vote = api.as_(b, "admin", "mutation($p:ID!){ openDemocraticVote(periodId:$p) { vote { id } "
                   "userErrors { message } } }", {"p": period})["data"]["openDemocraticVote"]
    assert vote["userErrors"] == [], vote
    return {"annual_period": period, "duty_report": report["report"]["id"],
            "democratic_vote": vote["vote"]["id"]}


def _period(t: Any) -> dict[str, Any]:
    return {"p": t.ids["annual_period"]}


def _vote(t: Any) -> dict[str, Any]:
    return {"v": t.ids["democratic_vote"]}


def _no_data(field: str) -> Check:
    def check(body: dict[str, Any], t: Any) -> None:
        assert body["data"][field] in (None, []), body

    return check


ANNUAL_CASES: dict[str, tuple[str, Callable[[Any], dict[str, Any]], Check]] = {
    "myDutyReport": ("query($p:ID!){ myDutyReport(periodId:$p) { id } }", _period,
                     _no_data("myDutyReport")),
    "dutyReports": ("query($p:ID!){ dutyReports(periodId:$p) { totalCount } }", _period,
                    _no_data("dutyReports")),
    "dutyReportAttachment": ("query($r:ID!){ dutyReportAttachment(reportId:$r) { filename } }",
                             lambda t: {"r": t.ids["duty_report"]},
                             _no_data("dutyReportAttachment")),
    "democraticVotes": ("query($p:ID!){ democraticVotes(periodId:$p) { id } }", _period,
                        _no_data("democraticVotes")),
    "democraticVoteResults": ("query($v:ID!){ democraticVoteResults(voteId:$v) { countsShown } }",
                              _vote, _no_data("democraticVoteResults")),
    "myBallot": ("query($p:ID!){ myBallot(periodId:$p) { voteId } }", _period,
                 _no_data("myBallot")),
    "requestDutyReports": ("mutation($p:ID!){ requestDutyReports(input:{periodId:$p, "
                           "deadline:\"2100-12-31\"}) { requested userErrors { code } } }",
                           _period, refused("requestDutyReports")),
    "submitDutyReport": ("mutation($p:ID!){ submitDutyReport(input:{periodId:$p, text:\"x\"}) "
                         "{ report { id } userErrors { code } } }", _period,
                         refused("submitDutyReport", "FORBIDDEN", "NOT_FOUND",
                                 result="report")),
    "openDemocraticVote": ("mutation($p:ID!){ openDemocraticVote(periodId:$p) { vote { id } "
                           "userErrors { code } } }", _period,
                           refused("openDemocraticVote", result="vote")),
    "closeDemocraticVote": ("mutation($v:ID!){ closeDemocraticVote(voteId:$v) { vote { id } "
                            "userErrors { code } } }", _vote,
                            refused("closeDemocraticVote", result="vote")),
    "castBallot": ("mutation($v:ID!){ castBallot(voteId:$v, choices:[]) { ballot { voteId } "
                   "userErrors { code } } }", _vote, refused("castBallot", result="ballot")),
}
