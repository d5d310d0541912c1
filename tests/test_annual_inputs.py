"""The annual appraisal's inputs (issue 17, part 5): 述职报告 with a deadline and one attachment,
and 民主测评: one anonymous ballot per voter, turnout and counts for the committee only, nothing
that links a choice to its voter, and the counts in the annual explanation when the tenant's rule
includes them. Hand-built tenants (tests/factories.py: P001 principal leader, P004 head of d1,
P005 head of d2, P006/P007 staff of d1, P008 staff of d2 with two accounts, ganbu3 and bangong)."""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text

from jixiao.settings import Settings
from tests.conftest import Api
from tests.test_ratings_support import advance, create_period, in_tenant, people

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
CHOICES = ("excellent", "competent", "basically_competent", "incompetent")

OPEN = ("mutation($p:ID!,$u:ID){ openDemocraticVote(periodId:$p, unitId:$u) { vote { id voters "
        "ballotsCast candidates turnoutPercent state } userErrors { code message } } }")
CLOSE = ("mutation($v:ID!){ closeDemocraticVote(voteId:$v) { vote { state ballotsCast } "
         "userErrors { code message } } }")
MY_BALLOT = ("query($p:ID!){ myBallot(periodId:$p) { voteId state hasVoted "
             "candidates { personId name unitName } options { choice label } } }")
CAST = ("mutation($v:ID!,$c:[BallotChoiceInput!]!){ castBallot(voteId:$v, choices:$c) { "
        "ballot { voteId hasVoted } userErrors { code message field } } }")
RESULTS = ("query($v:ID!){ democraticVoteResults(voteId:$v) { countsShown vote { voters "
           "ballotsCast turnoutPercent state } candidates { candidate { personId name } "
           "counts { choice label votes } } } }")
VOTES = "query($p:ID!){ democraticVotes(periodId:$p) { id voters ballotsCast turnoutPercent } }"
AUDIT = ("{ auditLog(entity:\"democratic_vote\") { action actor entityId before after "
         "reason } }")


def year_period(api: Api, code: str) -> str:
    return create_period(api, code, kind="year", quarter=None)


def open_vote(api: Api, code: str, period: str, unit: str | None = None) -> dict[str, Any]:
    body = api.as_(code, "admin", OPEN, {"p": period, "u": unit})["data"]["openDemocraticVote"]
    assert body["userErrors"] == [], body
    return dict(body["vote"])


def cast(api: Api, code: str, user: str, vote: str, choices: dict[str, str]) -> dict[str, Any]:
    body = api.as_(code, user, CAST, {"v": vote, "c": [
        {"candidateId": pid, "choice": choice} for pid, choice in choices.items()]})
    return dict(body["data"]["castBallot"])


def ballot_of(api: Api, code: str, user: str, period: str) -> dict[str, Any]:
    return dict(api.as_(code, user, MY_BALLOT, {"p": period})["data"]["myBallot"])


def all_same(candidates: list[str], choice: str) -> dict[str, str]:
    return dict.fromkeys(candidates, choice)


def test_democratic_vote_counts_turnout_and_one_ballot(api: Api, settings: Settings,
                                                        make_tenant: Any) -> None:
    code = make_tenant(people=10)
    ids = people(settings, code)
    period = year_period(api, code)
    # Staff cannot open a vote; the admin opens one among the whole unit.
    refused = api.as_(code, "ganbu", OPEN, {"p": period, "u": None})["data"]
    assert refused["openDemocraticVote"]["userErrors"][0]["code"] == "FORBIDDEN"
    vote = open_vote(api, code, period)
    # voters: the people with an account (P001..P008); candidates: those appraised here, the
    # principal leader P001 being appraised by the level above (the default).
    assert (vote["voters"], vote["candidates"], vote["ballotsCast"]) == (8, 9, 0)
    mine = ballot_of(api, code, "ganbu", period)
    assert mine["hasVoted"] is False
    assert mine["state"] == "open"
    candidates = [c["personId"] for c in mine["candidates"]]
    assert sorted(candidates) == sorted(ids[f"P{n:03d}"] for n in range(2, 11))
    assert [o["label"] for o in mine["options"]] == ["优秀", "称职", "基本称职", "不称职"]

    # A ballot is whole: every candidate, one of the four choices.
    partial = cast(api, code, "ganbu", vote["id"], {candidates[0]: "excellent"})
    assert partial["userErrors"][0]["code"] == "INVALID"
    assert "请对全部9名被测评人投票" in partial["userErrors"][0]["message"]
    not_graded = cast(api, code, "ganbu", vote["id"],
                      all_same(candidates, "competent") | {candidates[0]: "not_graded"})
    assert not_graded["userErrors"][0]["message"] == "测评等次只能是优秀、称职、基本称职或不称职"
    assert ballot_of(api, code, "ganbu", period)["hasVoted"] is False  # nothing was kept

    p2, p6 = ids["P002"], ids["P006"]
    ballots = {
        "ganbu": all_same(candidates, "competent") | {p2: "excellent"},
        "ganbu2": all_same(candidates, "competent") | {p2: "excellent", p6: "incompetent"},
        "kezhang": all_same(candidates, "excellent") | {p6: "basically_competent"},
        "leader": all_same(candidates, "competent"),
        "ganbu3": all_same(candidates, "basically_competent"),
    }
    for user, choices in ballots.items():
        done = cast(api, code, user, vote["id"], choices)
        assert done["userErrors"] == [], (user, done)
        assert done["ballot"]["hasVoted"] is True
    # A second ballot by the same voter is refused, also through their second account.
    again = cast(api, code, "ganbu", vote["id"], all_same(candidates, "incompetent"))
    assert again["userErrors"] == [{"code": "DUPLICATE", "field": None,
                                    "message": "您已参加本次民主测评，不能重复投票"}]
    other_account = cast(api, code, "bangong", vote["id"], all_same(candidates, "incompetent"))
    assert other_account["userErrors"][0]["code"] == "DUPLICATE"
    # Someone outside the voter set (no person) may not vote.
    outsider = cast(api, code, "admin", vote["id"], all_same(candidates, "competent"))
    assert outsider["userErrors"][0]["message"] == "您不在本次民主测评的参评范围内"

    # While open: turnout for the committee, no counts for anyone.
    open_results = api.as_(code, "admin", RESULTS, {"v": vote["id"]})["data"][
        "democraticVoteResults"]
    assert open_results["countsShown"] is False
    assert open_results["candidates"] == []
    assert open_results["vote"]["ballotsCast"] == 5
    assert open_results["vote"]["turnoutPercent"] == "62.5"  # 5 of 8
    for user in ("ganbu", "kezhang", "leader", "fenguan", "bangong"):
        for query, variables in ((RESULTS, {"v": vote["id"]}), (VOTES, {"p": period})):
            body = api.as_(code, user, query, variables)
            assert body["data"] is None, (user, body)
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    closed = api.as_(code, "admin", CLOSE, {"v": vote["id"]})["data"]["closeDemocraticVote"]
    assert closed["userErrors"] == []
    assert closed["vote"]["state"] == "closed"
    late = cast(api, code, "kezhang2", vote["id"], all_same(candidates, "competent"))
    assert late["userErrors"][0]["message"] == "该民主测评已经结束，不能再投票"

    results = api.as_(code, "admin", RESULTS, {"v": vote["id"]})["data"][
        "democraticVoteResults"]
    assert results["countsShown"] is True
    counts = {c["candidate"]["personId"]: {k["choice"]: k["votes"] for k in c["counts"]}
              for c in results["candidates"]}
    expected: dict[str, dict[str, int]] = {pid: dict.fromkeys(CHOICES, 0) for pid in candidates}
    for choices in ballots.values():
        for pid, choice in choices.items():
            expected[pid][choice] += 1
    assert counts == expected
    assert counts[p2] == {"excellent": 3, "competent": 1, "basically_competent": 1,
                          "incompetent": 0}
    assert counts[p6] == {"excellent": 0, "competent": 2, "basically_competent": 2,
                          "incompetent": 1}
    assert all(sum(c.values()) == 5 for c in counts.values())
    votes = api.as_(code, "admin", VOTES, {"p": period})["data"]["democraticVotes"]
    assert [(v["voters"], v["ballotsCast"], v["turnoutPercent"]) for v in votes] == [
        (8, 5, "62.5")]
    # Another tenant's admin does not find the vote.
    stranger = make_tenant(people=3)
    body = api.as_(stranger, "admin", RESULTS, {"v": vote["id"]})
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def _normalised(value: Any, ids: dict[str, str]) -> Any:
    """A response with the two votes' ids and the times replaced, to compare two votes."""
    out = repr(value)
    for old, new in ids.items():
        out = out.replace(old, new)
    return re.sub(r"\d{4}-\d\d-\d\dT[\d:.]+[+\-Z][\d:]*", "<time>", out)


def test_nobody_can_tell_how_a_voter_voted(api: Api, settings: Settings,
                                           make_tenant: Any) -> None:
    """Two votes among the same people where two voters swap their ballots: every answer any
    role can get (ballots, results, turnout, the audit log) is the same for both, so none of
    them tells who chose what. The tables have no column that could."""
    code = make_tenant(people=10)
    ids = people(settings, code)
    period = year_period(api, code)
    first = open_vote(api, code, period, None)
    second = open_vote(api, code, period, None)
    candidates = [c["personId"] for c in ballot_of(api, code, "ganbu", period)["candidates"]]
    p7 = ids["P007"]  # ganbu2, a candidate voting too
    a = all_same(candidates, "competent") | {p7: "excellent"}
    b = all_same(candidates, "basically_competent") | {p7: "incompetent"}
    # first vote: ganbu gives a, ganbu2 gives b; second vote: swapped. Same order of casting.
    for vote, ganbu, ganbu2 in ((first, a, b), (second, b, a)):
        assert cast(api, code, "ganbu", vote["id"], ganbu)["userErrors"] == []
        assert cast(api, code, "ganbu2", vote["id"], ganbu2)["userErrors"] == []
        assert cast(api, code, "kezhang", vote["id"], a)["userErrors"] == []

    # Every counter of a vote was rewritten by its last ballot: the rows' versions (xmin) do
    # not say which counters a ballot moved.
    async def run_versions(session: Any) -> list[int]:
        result = await session.execute(text(
            "SELECT count(DISTINCT xmin::text) FROM democratic_vote_counts GROUP BY vote_id"))
        return list(result.scalars().all())

    assert in_tenant(settings, code, run_versions) == [1, 1]

    def answers(vote: dict[str, Any]) -> list[Any]:
        seen: list[Any] = []
        for user in ("ganbu", "ganbu2", "kezhang", "leader", "fenguan", "admin", "bangong"):
            seen.append(api.as_(code, user, MY_BALLOT, {"p": period}))
            seen.append(api.as_(code, user, RESULTS, {"v": vote["id"]}))
        return seen

    swap = {first["id"]: "<vote>", second["id"]: "<vote>"}
    # myBallot shows the open vote first, in either order: compare while both are open ...
    assert _normalised(answers(first), swap) == _normalised(answers(second), swap)
    for vote in (first, second):
        assert api.as_(code, "admin", CLOSE, {"v": vote["id"]})["data"][
            "closeDemocraticVote"]["userErrors"] == []
    # ... and once both are closed, with the counts shown.
    assert _normalised(answers(first), swap) == _normalised(answers(second), swap)
    log = api.as_(code, "admin", AUDIT)["data"]["auditLog"]
    casts = [e for e in log if e["action"] == "democratic_vote.cast"]
    assert len(casts) == 6
    assert all(e["before"] is None and e["after"] == {"has_voted": True} for e in casts)
    by_vote = {v["id"]: sorted(_normalised(e, swap) for e in casts if e["entityId"] == v["id"])
               for v in (first, second)}
    assert by_vote[first["id"]] == by_vote[second["id"]]
    raw = repr(log)
    assert not any(choice in raw for choice in CHOICES)

    async def columns(session: Any) -> dict[str, set[str]]:
        rows = (await session.execute(text(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_name IN ('democratic_vote_counts', 'democratic_vote_voters', "
            "'democratic_votes')"))).all()
        found: dict[str, set[str]] = {}
        for table, column in rows:
            found.setdefault(table, set()).add(column)
        return found

    tables = in_tenant(settings, code, columns)
    # The choices live in counters with no voter, no time and no sequence ...
    assert tables["democratic_vote_counts"] == {"tenant_id", "vote_id", "candidate_id", "choice",
                                                "votes"}
    # ... and who has voted holds no choice and no time.
    assert tables["democratic_vote_voters"] == {"tenant_id", "vote_id", "person_id", "has_voted"}
    assert tables["democratic_votes"] == {"tenant_id", "id", "period_id", "unit_id", "state",
                                          "opened_by", "opened_on", "closed_on"}


def test_the_explanation_shows_counts_only_when_the_rule_includes_them(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=10)
    ids = people(settings, code)
    period = year_period(api, code)
    vote = open_vote(api, code, period, None)
    candidates = [c["personId"] for c in ballot_of(api, code, "ganbu", period)["candidates"]]
    for user, choice in (("ganbu", "excellent"), ("kezhang", "excellent"),
                         ("leader", "competent")):
        assert cast(api, code, user, vote["id"], all_same(candidates, choice))[
            "userErrors"] == []
    assert api.as_(code, "admin", CLOSE, {"v": vote["id"]})["data"]["closeDemocraticVote"][
        "userErrors"] == []
    advance(api, code, period, "reviewing")
    compute = ("mutation($p:ID!){ computeAnnualResults(periodId:$p) { results { personId score "
               "proposedGrade explanation { kind text } } userErrors { code message } } }")

    def explanation() -> tuple[dict[str, Any], list[str]]:
        body = api.as_(code, "admin", compute, {"p": period})["data"]["computeAnnualResults"]
        assert body["userErrors"] == [], body
        mine = next(r for r in body["results"] if r["personId"] == ids["P006"])
        return mine, [line["text"] for line in mine["explanation"]
                      if line["kind"] == "democratic_vote"]

    off, lines = explanation()
    assert lines == []  # off by default
    setting = ("mutation{ updateTenantSettings(settings:{annual:{include_democratic_vote:true}}, "
               "reason:\"年度考核参考民主测评\") { userErrors { code message } } }")
    assert api.as_(code, "admin", setting)["data"]["updateTenantSettings"]["userErrors"] == []
    on, lines = explanation()
    assert lines == ["民主测评（仅列票数，不计入得分）：优秀2票，称职1票，基本称职0票，不称职0票；"
                     "应参评8人，实参评3人，参评率37.5%"]
    # Counts only: the score and the proposal do not change.
    assert (on["score"], on["proposedGrade"]) == (off["score"], off["proposedGrade"])


DUTY = ("query($p:ID!){ myDutyReport(periodId:$p) { id status statusLabel deadline text "
        "attachmentName attachmentSize submittedAt } }")
REQUEST = ("mutation($i:RequestDutyReportsInput!){ requestDutyReports(input:$i) { requested "
           "userErrors { code message field } } }")
SUBMIT = ("mutation($i:SubmitDutyReportInput!){ submitDutyReport(input:$i) { report { id "
          "status text attachmentName attachmentSize } userErrors { code message field } } }")
READ = ("query($p:ID!){ dutyReports(periodId:$p, first:50) { totalCount nodes { personId "
        "employeeNo status text attachmentName } } }")
ATTACHMENT = ("query($r:ID!){ dutyReportAttachment(reportId:$r) { filename contentType "
              "contentBase64 } }")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def test_duty_reports_deadline_attachment_and_readers(api: Api, settings: Settings,
                                                      make_tenant: Any) -> None:
    code = make_tenant(people=10)
    ids = people(settings, code)
    no = {pid: n for n, pid in ids.items()}
    period = year_period(api, code)
    quarter = create_period(api, code, kind="quarter", quarter=1)

    def request(user: str, data: dict[str, Any]) -> dict[str, Any]:
        return dict(api.as_(code, user, REQUEST, {"i": {"periodId": period} | data})["data"][
            "requestDutyReports"])

    def submit(user: str, data: dict[str, Any]) -> dict[str, Any]:
        return dict(api.as_(code, user, SUBMIT, {"i": {"periodId": period} | data})["data"][
            "submitDutyReport"])

    later = (TODAY + timedelta(days=10)).isoformat()
    assert request("ganbu", {"deadline": later})["userErrors"][0]["code"] == "FORBIDDEN"
    in_quarter = api.as_(code, "admin", REQUEST, {"i": {"periodId": quarter,
                                                        "deadline": later}})
    assert in_quarter["data"]["requestDutyReports"]["userErrors"][0]["message"] == (
        "述职报告和民主测评只在年度考核周期中进行")
    past = request("admin", {"deadline": (TODAY - timedelta(days=1)).isoformat()})
    assert past["userErrors"][0]["message"] == "截止日期不能早于今天"
    assert api.as_(code, "ganbu", DUTY, {"p": period})["data"]["myDutyReport"] is None
    d1 = api.as_(code, "admin", "{ orgUnits { id code } }")["data"]["orgUnits"]
    unit = next(u["id"] for u in d1 if u["code"] == "d1")
    asked = request("admin", {"deadline": later, "unitId": unit})
    assert asked["userErrors"] == []
    in_d1 = api.as_(code, "admin", READ, {"p": period})["data"]["dutyReports"]
    assert asked["requested"] == in_d1["totalCount"] >= 3  # d1 with its sub-unit d1a
    assert {"P004", "P006", "P007", "P009"} <= {n["employeeNo"] for n in in_d1["nodes"]}
    assert request("admin", {"deadline": later, "personIds": [ids["P008"]]})["requested"] == 1

    mine = api.as_(code, "ganbu", DUTY, {"p": period})["data"]["myDutyReport"]
    assert (mine["status"], mine["statusLabel"], mine["deadline"]) == ("pending", "待提交", later)
    empty = submit("ganbu", {"text": "   "})
    assert empty["userErrors"][0]["message"] == "请填写述职报告正文"
    too_long = submit("ganbu", {"text": "述" * 5001})
    assert too_long["userErrors"][0]["message"] == "述职报告正文不能超过5000字，当前5001字"
    exe = submit("ganbu", {"text": "全年工作", "attachment": {
        "filename": "述职.exe", "contentBase64": b64(b"MZ\x90\x00")}})
    assert exe["userErrors"][0]["message"] == "附件只能是 PDF、DOCX 或图片（PNG、JPG）"
    fake = submit("ganbu", {"text": "全年工作", "attachment": {
        "filename": "述职.pdf", "contentBase64": b64(b"<html>not a pdf</html>")}})
    assert fake["userErrors"][0]["message"] == "附件内容与扩展名（.pdf）不符"
    done = submit("ganbu", {"text": "  全年完成重点任务12项。 ", "attachment": {
        "filename": "述职报告.pdf", "contentBase64": b64(PDF)}})
    assert done["userErrors"] == []
    assert done["report"] | {"id": ""} == {
        "id": "", "status": "submitted", "text": "全年完成重点任务12项。",
        "attachmentName": "述职报告.pdf", "attachmentSize": len(PDF)}
    # Not asked: refused in Chinese.
    assert submit("kezhang2", {"text": "全年工作"})["userErrors"][0]["message"] == (
        "组织人事部门尚未要求您提交本年度述职报告")

    # Readers: the admin all, leaders those they manage, staff their own.
    def readable(user: str) -> set[str]:
        body = api.as_(code, user, READ, {"p": period})["data"]["dutyReports"]
        return {no[n["personId"]] for n in body["nodes"]}

    assert "P006" in readable("kezhang")
    assert "P008" not in readable("kezhang")
    assert readable("kezhang2") == {"P008"}
    assert readable("ganbu") == {"P006"}
    assert readable("ganbu2") == {"P007"}
    report = done["report"]["id"]
    file = api.as_(code, "kezhang", ATTACHMENT, {"r": report})["data"]["dutyReportAttachment"]
    assert (file["filename"], file["contentType"]) == ("述职报告.pdf", "application/pdf")
    assert base64.b64decode(file["contentBase64"]) == PDF
    for user in ("ganbu2", "kezhang2"):
        body = api.as_(code, user, ATTACHMENT, {"r": report})
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND", user
    stranger = make_tenant(people=3)
    assert api.as_(stranger, "admin", ATTACHMENT, {"r": report})["errors"][0]["extensions"][
        "code"] == "NOT_FOUND"

    # After the deadline: overdue, and a report is refused in Chinese.
    async def expire(session: Any) -> None:
        await session.execute(text("UPDATE duty_reports SET deadline = :d"),
                              {"d": TODAY - timedelta(days=1)})

    in_tenant(settings, code, expire)
    assert api.as_(code, "ganbu2", DUTY, {"p": period})["data"]["myDutyReport"]["status"] == (
        "overdue")
    late = submit("ganbu2", {"text": "全年工作"})
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    assert late["userErrors"] == [{
        "code": "DEADLINE_PASSED", "field": None,
        "message": f"述职报告提交截止日期（{yesterday}）已过，不能再提交"}]
    # What was submitted in time stays submitted.
    assert api.as_(code, "ganbu", DUTY, {"p": period})["data"]["myDutyReport"]["status"] == (
        "submitted")
