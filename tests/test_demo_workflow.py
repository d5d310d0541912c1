"""The demo's year shows issue 17's workflow (demo/workflow.py): each page of it has data on
first run, read through GraphQL as the page reads it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from demo.workflow import (
    EMAIL_ACCOUNTS,
    OBJECTION_QUARTER,
    SIGNOFF_CHAIN,
    SIGNOFF_UNIT,
    WORKFLOW_UNIT,
    notice_email,
)
from demo.year import current_quarter, past_year
from tests.conftest import DEMO_YEAR_UNITS, Api

PERIODS = "{ periods { id kind year quarter name state } }"


def _data(body: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def _periods(api: Api, code: str) -> dict[tuple[str, int | None], dict[str, Any]]:
    """The past year's periods of a unit by (kind, quarter)."""
    year = past_year(date.today())
    return {(p["kind"], p["quarter"]): p for p in _data(api.as_(code, "admin", PERIODS))[
        "periods"] if p["year"] == year}


def test_the_demo_accounts_have_notice_emails_and_their_inbox(
        api: Api, demo_year: None) -> None:
    inbox = """{ me { account { email } } unreadNotificationCount
      notifications(first: 100) { totalCount nodes { title readAt } } }"""
    today = date.today()
    for code in DEMO_YEAR_UNITS:
        for username in EMAIL_ACCOUNTS:
            data = _data(api.as_(code, username, inbox))
            assert data["me"]["account"]["email"] == notice_email(username, code)
        data = _data(api.as_(code, "ganbu2", inbox))
        past = [n for n in data["notifications"]["nodes"]
                if n["title"].startswith(f"{past_year(today)}年")]
        # the past year's stages: declaring, publicity and feedback of four quarters, and more
        assert len(past) >= 12, (code, past)
        assert all(n["readAt"] for n in past), (code, past)
    # gtlg's current quarter is nobody's in the tests: its opening notice is still unread
    data = _data(api.as_(SIGNOFF_UNIT, "ganbu", inbox))
    unread = [n["title"] for n in data["notifications"]["nodes"] if not n["readAt"]]
    assert data["unreadNotificationCount"] == len(unread) >= 1
    assert any(f"{today.year}年" in title and "实绩申报已开始" in title for title in unread), unread
    # no channel is configured: nothing was to be delivered outside the portal
    deliveries = "{ notificationDeliveries(first: 1) { totalCount } }"
    for code in (SIGNOFF_UNIT, WORKFLOW_UNIT):
        assert _data(api.as_(code, "admin", deliveries))["notificationDeliveries"][
            "totalCount"] == 0, code


def test_two_objections_answered_in_a_past_publicity(api: Api, demo_year: None) -> None:
    period = _periods(api, WORKFLOW_UNIT)[("quarter", OBJECTION_QUARTER)]
    assert period["state"] == "closed"
    query = """query($p: ID!) { objections(periodId: $p, first: 200) { totalCount nodes {
      status namedToCommittee raiserName gradeBeforeLabel gradeAfterLabel summary answer
      createdAt answeredAt } } }"""
    body = _data(api.as_(WORKFLOW_UNIT, "admin", query, {"p": period["id"]}))["objections"]
    assert body["totalCount"] == 2
    lines = body["nodes"]
    assert {o["status"] for o in lines} == {"answered"}
    assert all(o["createdAt"] < o["answeredAt"] for o in lines)
    changed = [o for o in lines if o["gradeBeforeLabel"] != o["gradeAfterLabel"]]
    kept = [o for o in lines if o["gradeBeforeLabel"] == o["gradeAfterLabel"]]
    assert len(changed) == len(kept) == 1
    assert (changed[0]["gradeBeforeLabel"], changed[0]["gradeAfterLabel"]) == ("好", "较好")
    assert "维持原等次" in kept[0]["summary"]
    named = [o for o in lines if o["namedToCommittee"]]
    assert len(named) == 1
    assert named[0]["raiserName"]
    assert [o["raiserName"] for o in lines if not o["namedToCommittee"]] == [None]
    # the grade change went through the review: audited with its reason
    audit = """{ auditLog(first: 50, action: "grade.change") { reason } }"""
    reasons = [e["reason"] for e in _data(api.as_(WORKFLOW_UNIT, "admin", audit))["auditLog"]]
    assert any("异议复核" in r for r in reasons), reasons


def test_the_sign_off_chain_passed_every_past_period(api: Api, demo_year: None) -> None:
    query = """query($p: ID!) { signoffChain(periodId: $p) { done isDefault
      levels { name } scopes { name history { levelName action note } } } }"""
    names = [level["name"] for level in SIGNOFF_CHAIN]
    returned = []
    periods = _periods(api, SIGNOFF_UNIT)
    assert len(periods) == 5
    for period in periods.values():
        chain = _data(api.as_(SIGNOFF_UNIT, "leader", query, {"p": period["id"]}))[
            "signoffChain"]
        assert chain["done"], period["name"]
        assert not chain["isDefault"]
        assert [level["name"] for level in chain["levels"]] == names
        departments, unit = chain["scopes"][:-1], chain["scopes"][-1]
        assert len(departments) >= 5
        for scope in departments:
            assert [s["levelName"] for s in scope["history"] if s["action"] == "passed"][
                -2:] == names[:2], scope
        assert [s["levelName"] for s in unit["history"]] == names[2:]
        returned += [(period["name"], s["note"]) for scope in departments
                     for s in scope["history"] if s["action"] == "returned"]
    assert len(returned) == 1, returned
    assert returned[0][1]


def test_calibration_flags_the_lenient_rater(api: Api, demo_year: None) -> None:
    query = """query($p: ID!) { calibration(periodId: $p) { raters { name roleLabel
      tendency flagged } departments { name overQuota } } }"""
    me = _data(api.as_(SIGNOFF_UNIT, "kezhang", "{ me { person { name } } }"))
    lenient = me["me"]["person"]["name"]
    for quarter in (1, 2, 3, 4):
        period = _periods(api, SIGNOFF_UNIT)[("quarter", quarter)]
        view = _data(api.as_(SIGNOFF_UNIT, "leader", query, {"p": period["id"]}))[
            "calibration"]
        flagged = {(r["name"], r["roleLabel"]): r["tendency"]
                   for r in view["raters"] if r["flagged"]}
        assert flagged.get((lenient, "部门主要负责人")) == "lenient", (quarter, flagged)


def test_duty_reports_and_the_democratic_vote_of_the_year(api: Api, demo_year: None) -> None:
    year = _periods(api, WORKFLOW_UNIT)[("year", None)]
    reports = _data(api.as_(WORKFLOW_UNIT, "admin", """query($p: ID!) {
      dutyReports(periodId: $p, first: 200) { totalCount nodes { status text } } }""",
                            {"p": year["id"]}))["dutyReports"]
    submitted = [r for r in reports["nodes"] if r["status"] == "submitted"]
    assert reports["totalCount"] >= 30
    assert 0.75 * reports["totalCount"] <= len(submitted) < reports["totalCount"]
    assert all("述职人" in r["text"] for r in submitted)
    votes = _data(api.as_(WORKFLOW_UNIT, "admin", """query($p: ID!) {
      democraticVotes(periodId: $p) { id state voters ballotsCast turnoutPercent } }""",
                          {"p": year["id"]}))["democraticVotes"]
    assert len(votes) == 1
    assert votes[0]["state"] == "closed"
    assert 60 <= float(votes[0]["turnoutPercent"]) <= 80, votes
    results = _data(api.as_(WORKFLOW_UNIT, "admin", """query($v: ID!) {
      democraticVoteResults(voteId: $v) { countsShown candidates { candidate { personId }
      counts { label votes } } } }""", {"v": votes[0]["id"]}))["democraticVoteResults"]
    assert results["countsShown"]
    for line in results["candidates"]:
        assert sum(c["votes"] for c in line["counts"]) == votes[0]["ballotsCast"]
    assert {c["label"] for line in results["candidates"] for c in line["counts"]
            if c["votes"]} >= {"优秀", "称职"}
    # the unit's rule includes the vote: the annual explanation lists the counts
    person = results["candidates"][0]["candidate"]["personId"]
    explanation = _data(api.as_(WORKFLOW_UNIT, "admin", """query($p: ID!, $i: ID!) {
      personResult(periodId: $p, personId: $i) { explanation { kind text } } }""",
                                {"p": year["id"], "i": person}))["personResult"]["explanation"]
    assert any(line["kind"] == "democratic_vote" and "民主测评" in line["text"]
               for line in explanation), explanation


def test_pushed_overdue_items_wait_for_confirmation(api: Api, demo_year: None) -> None:
    rules = _data(api.as_(WORKFLOW_UNIT, "bangong", "{ pushRules { name kind active } }"))[
        "pushRules"]
    assert [(r["kind"], r["active"]) for r in rules] == [("supervision_overdue", True)]
    today = date.today()
    if current_quarter(today) == 1:
        pytest.skip("early in the year the demo's tasks are not overdue yet (demo/pushes.py)")
    pending = _data(api.as_(WORKFLOW_UNIT, "bangong", """{
      proposedPointRecords(status: proposed, first: 50) { totalCount nodes { source } } }"""))[
        "proposedPointRecords"]
    # the workers' periodic pass may have proposed the unit's other overdue items since
    assert pending["totalCount"] >= 3, pending
