"""Objections (异议) after publicity (issue 17, part 2): within the publicity period (5 working
days by default) any person of the unit objects to a published result; an open objection blocks
closing; after the period an objection is refused in Chinese; the answer, and a grade change
made through it under the review's rules, reach the audit log and the person; who raised an
objection is never readable by the objected person or other staff."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from starlette.testclient import TestClient

from jixiao.settings import Settings
from tests.appraisal_data import people_ids
from tests.conftest import Api
from tests.test_grading_review import without_score_bands
from tests.test_ratings_support import ADVANCE, COMPUTE, advance, rate_all, rating_period

PUBLICITY = ("query($p:ID!){ publicity(periodId:$p) { resultId personId name gradeLabel reasons "
             "objections { status summary answer gradeChanged gradeBeforeLabel "
             "gradeAfterLabel } } }")
WINDOW = ("query($p:ID!){ publicityWindow(periodId:$p) { workingDays howToObject firstDay "
          "lastDay closesAt open } }")
RAISE = ("mutation($r:ID!,$t:String!,$n:Boolean!){ raiseObjection(resultId:$r, reasons:$t, "
         "namedToCommittee:$n) { objection { id personName reasons raiserName mine status } "
         "userErrors { code message field } } }")
LIST = ("query($p:ID!,$s:ObjectionStatus){ objections(periodId:$p, status:$s) { totalCount "
        "nodes { id personName reasons namedToCommittee raiserName status summary } } }")
MINE = ("query($p:ID){ myObjections(periodId:$p) { id personName reasons raiserName status "
        "answer summary } }")
ANSWER = ("mutation($o:ID!,$a:String!,$g:Grade,$r:String!){ answerObjection(objectionId:$o, "
          "answer:$a, grade:$g, gradeReason:$r) { objection { status answer gradeBeforeLabel "
          "gradeAfterLabel summary } userErrors { code message field } } }")
OWN = ("query($p:ID!,$q:ID!){ personResult(periodId:$p, personId:$q) { grade reasons "
       "objections { status answer summary gradeChanged gradeAfterLabel } } }")
AUDIT = ("query($e:String){ auditLog(entity:$e, first:500) { action entityId before after "
         "reason } }")


def published_period(api: Api, settings: Settings, code: str) -> str:
    """A quarter of 10 people rated 95..50 (P001..P010), 好 for P001..P004, in 公示."""
    assert api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{rating:{"
                   "appraise_unmanaged_in_unit:true}, periods:{require_interviews_to_close:"
                   "false}}, reason:\"本单位评价主要领导；关闭不以谈话为条件\") "
                   "{ userErrors { code } } }")["data"]["updateTenantSettings"]["userErrors"] == []
    without_score_bands(api, code)
    period = rating_period(api, settings, code)
    rate_all(settings, code, period, lambda n: Decimal(100 - 5 * int(n[1:])))
    advance(api, code, period, "reviewing")
    assert api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"][
        "userErrors"] == []
    api.as_(code, "admin", "mutation($p:ID!){ confirmGrades(periodId:$p) { results "
            "{ personId } } }", {"p": period})
    advance(api, code, period, "publicizing")
    return period


def raise_(api: Api, code: str, user: str, result: str, text: str,
           named: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = api.as_(code, user, RAISE, {"r": result, "t": text, "n": named})[
        "data"]["raiseObjection"]
    return body


def test_an_open_objection_blocks_closing_and_its_answer_reaches_audit_and_person(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=10)
    period = published_period(api, settings, code)
    ids = people_ids(api, code)
    name = {no: p["name"] for no, p in ids.items()}
    window = api.as_(code, "ganbu", WINDOW, {"p": period})["data"]["publicityWindow"]
    assert window["open"] is True
    assert window["workingDays"] == 5
    assert "提出异议" in window["howToObject"]
    first, last = date.fromisoformat(window["firstDay"]), date.fromisoformat(window["lastDay"])
    assert sum((first + timedelta(days=i)).weekday() < 5
               for i in range((last - first).days + 1)) == 5

    board = api.as_(code, "ganbu", PUBLICITY, {"p": period})["data"]["publicity"]
    result_of = {e["personId"]: e["resultId"] for e in board}
    p004, p003 = result_of[ids["P004"]["id"]], result_of[ids["P003"]["id"]]
    assert all(e["objections"] == [] for e in board)

    # ganbu (P006) objects to P004 without naming themselves; ganbu2 (P007) names themselves
    short = raise_(api, code, "ganbu", p004, "不服")
    assert short["userErrors"][0]["field"] == "reasons"
    first_objection = raise_(api, code, "ganbu", p004, "该同志本季度申报的党建示范点并非其牵头完成")
    assert first_objection["userErrors"] == [], first_objection
    assert first_objection["objection"]["mine"] is True
    again = raise_(api, code, "ganbu", p004, "再次提出同一异议，理由同上")
    assert again["userErrors"][0]["code"] == "DUPLICATE"
    named = raise_(api, code, "ganbu2", p003, "分管工作中有两项督办事项逾期未整改", named=True)
    assert named["userErrors"] == [], named
    # a result that is not published (P006's 较好, not their own) cannot be objected to
    p006 = api.as_(code, "admin", OWN, {"p": period, "q": ids["P006"]["id"]})
    assert p006["data"]["personResult"]["grade"] == "fairly_good"
    assert api.as_(code, "waibu", RAISE, {"r": p004, "t": "外部人员提出异议", "n": False})[
        "data"]["raiseObjection"]["userErrors"][0]["code"] in ("FORBIDDEN", "NOT_FOUND")

    # closing is refused while they are open, naming them
    advance(api, code, period, "feedback")
    refused = api.as_(code, "admin", ADVANCE, {"id": period, "s": "closed"})["data"][
        "advancePeriod"]
    assert refused["period"] is None
    message = " ".join(e["message"] for e in refused["userErrors"])
    assert "还有2件异议未答复，不能关闭考核结果" in message, message
    assert f"{name['P003']}（P003）" in message
    assert f"{name['P004']}（P004）" in message

    # the committee sees the named raiser only
    listed = api.as_(code, "leader", LIST, {"p": period, "s": "open"})["data"]["objections"]
    assert listed["totalCount"] == 2
    by_person = {n["personName"]: n for n in listed["nodes"]}
    assert by_person[name["P004"]]["raiserName"] is None
    assert by_person[name["P003"]]["raiserName"] == name["P007"]

    # the answer to P004's objection lowers the grade through the review's rules
    no_reason = api.as_(code, "admin", ANSWER, {
        "o": by_person[name["P004"]]["id"], "a": "经核实，情况属实", "g": "fairly_good",
        "r": ""})["data"]["answerObjection"]
    assert no_reason["userErrors"][0]["field"] == "reason"
    answered = api.as_(code, "admin", ANSWER, {
        "o": by_person[name["P004"]]["id"], "a": "经核实，示范点由第二科牵头，情况属实",
        "g": "fairly_good", "r": "异议属实：主要实绩非本人牵头"})["data"]["answerObjection"]
    assert answered["userErrors"] == [], answered
    assert (answered["objection"]["gradeBeforeLabel"],
            answered["objection"]["gradeAfterLabel"]) == ("好", "较好")
    kept = api.as_(code, "leader", ANSWER, {
        "o": by_person[name["P003"]]["id"], "a": "经核实，督办事项已按期整改，维持原等次",
        "g": None, "r": ""})["data"]["answerObjection"]
    assert kept["userErrors"] == [], kept
    assert kept["objection"]["summary"] == "异议已答复：经复核，维持原等次"
    twice = api.as_(code, "admin", ANSWER, {
        "o": by_person[name["P003"]]["id"], "a": "再答复一次", "g": None, "r": ""})
    assert twice["data"]["answerObjection"]["userErrors"][0]["code"] == "CONFLICT"

    # the audit log holds the raise, the answer and the grade change made through it
    log = api.as_(code, "admin", AUDIT, {"e": None})["data"]["auditLog"]
    actions = [e["action"] for e in log]
    assert actions.count("objection.raise") == 2
    assert actions.count("objection.answer") == 2
    change = next(e for e in log if e["action"] == "grade.change"
                  and e["entityId"] == p004)
    assert change["reason"] == "异议属实：主要实绩非本人牵头"
    assert (change["before"]["grade"], change["after"]["grade"]) == ("good", "fairly_good")
    assert change["after"]["objection_id"] == by_person[name["P004"]]["id"]

    # the person sees the answer and the new grade; publicity shows the outcome
    own = api.as_(code, "kezhang", OWN, {"p": period, "q": ids["P004"]["id"]})["data"][
        "personResult"]
    assert own["grade"] == "fairly_good"
    assert "异议复核：由好调整为较好，理由：异议属实：主要实绩非本人牵头" in own["reasons"]
    assert own["objections"] == [{"status": "answered",
                                  "answer": "经核实，示范点由第二科牵头，情况属实",
                                  "summary": "异议已答复：经复核，等次由好调整为较好",
                                  "gradeChanged": True, "gradeAfterLabel": "较好"}]
    board = api.as_(code, "ganbu3", PUBLICITY, {"p": period})["data"]["publicity"]
    entry = next(e for e in board if e["personId"] == ids["P004"]["id"])
    assert entry["gradeLabel"] == "较好"
    assert entry["objections"][0]["summary"] == "异议已答复：经复核，等次由好调整为较好"

    # nobody but the committee and the raiser can tell who raised either objection
    for user in ("kezhang", "fenguan", "ganbu3", "kezhang2"):
        seen = json.dumps([
            api.as_(code, user, PUBLICITY, {"p": period}),
            api.as_(code, user, OWN, {"p": period, "q": ids["P004"]["id"]}),
            api.as_(code, user, OWN, {"p": period, "q": ids["P003"]["id"]}),
            api.as_(code, user, MINE, {"p": period})], ensure_ascii=False)
        for secret in (name["P006"], name["P007"], "党建示范点并非其牵头", "督办事项逾期"):
            assert secret not in seen, (user, secret)
        denied = api.as_(code, user, LIST, {"p": period, "s": None})
        assert (denied["data"] or {}).get("objections") is None, user
        assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN", user
        assert api.as_(code, user, AUDIT, {"e": "objection"})["errors"][0]["extensions"][
            "code"] == "FORBIDDEN", user
    mine = api.as_(code, "ganbu", MINE, {"p": period})["data"]["myObjections"]
    assert [(m["personName"], m["raiserName"], m["status"]) for m in mine] == [
        (name["P004"], name["P006"], "answered")]

    # every objection answered: the results close
    closed = api.as_(code, "admin", ADVANCE, {"id": period, "s": "closed"})["data"][
        "advancePeriod"]
    assert closed["userErrors"] == [], closed
    late = raise_(api, code, "ganbu3", p003, "关闭后再提出的异议理由")
    assert late["userErrors"][0]["code"] == "OBJECTION_WINDOW_CLOSED"


def test_other_tenants_and_anonymous_callers_cannot_reach_objections(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code, other = make_tenant(people=10), make_tenant(people=10)
    period = published_period(api, settings, code)
    board = api.as_(code, "ganbu", PUBLICITY, {"p": period})["data"]["publicity"]
    assert raise_(api, code, "ganbu", board[0]["resultId"], "本单位人员提出的异议")[
        "userErrors"] == []
    assert api.call(LIST, {"p": period, "s": None})["errors"][0]["extensions"][
        "code"] == "UNAUTHENTICATED"
    assert api.as_(other, "ganbu", RAISE, {"r": board[0]["resultId"], "t": "他单位人员提出异议",
                                          "n": False})["data"]["raiseObjection"][
        "userErrors"][0]["code"] == "NOT_FOUND"
    foreign = api.as_(other, "admin", LIST, {"p": period, "s": None})
    assert (foreign["data"] or {}).get("objections") is None
    assert api.as_(other, "ganbu", MINE, {"p": None})["data"]["myObjections"] == []


class Clock:
    """The app's time: the real time moved on by ``offset``."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def clocked(settings: Settings, clock: Clock) -> Iterator[TestClient]:
    from jixiao.app import create_app

    with TestClient(create_app(settings, clock=clock)) as c:
        yield c


def test_an_objection_after_the_publicity_period_is_refused_in_chinese(
        clocked: TestClient, clock: Clock, settings: Settings, make_tenant: Any) -> None:
    clock.offset = timedelta()
    api = Api(clocked)
    code = make_tenant(people=10)
    period = published_period(api, settings, code)
    window = api.as_(code, "ganbu", WINDOW, {"p": period})["data"]["publicityWindow"]
    last = date.fromisoformat(window["lastDay"])
    result = api.as_(code, "ganbu", PUBLICITY, {"p": period})["data"]["publicity"][0][
        "resultId"]

    clock.offset = timedelta(days=10)  # 5 working days span at most 7 calendar days
    later = Api(clocked)  # the sessions of ten days ago have timed out
    assert later.as_(code, "ganbu", WINDOW, {"p": period})["data"]["publicityWindow"][
        "open"] is False
    refused = raise_(later, code, "ganbu", result, "公示期过后提出的异议理由")
    assert refused["objection"] is None
    assert refused["userErrors"] == [{
        "code": "OBJECTION_WINDOW_CLOSED", "field": None,
        "message": f"公示期已于{last.year}年{last.month}月{last.day}日结束（5个工作日），"
                   "不能再提出异议"}]
    # nothing open: the period closes
    advance(later, code, period, "closed")
    clock.offset = timedelta()


WHO = "{ me { account { id } person { id name } } }"
FULL_AUDIT = ("query($e:String){ auditLog(entity:$e, first:500) { actor actorName action "
              "entityId before after reason } }")
LOG = "{ notificationDeliveries(first:100) { nodes { eventLabel recipient title } } }"


def test_the_audit_log_never_tells_who_raised_an_objection(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    """Issue 17: an objection named only to the committee (or to nobody) is not traceable to
    its raiser through the audit log, which the audit administrator (not the committee) reads:
    the raise is recorded under ``objector``, no entry holds the raiser's account, person or
    name; nor does the admin's delivery log name who received the answer."""
    code = make_tenant(people=10)
    period = published_period(api, settings, code)
    # a channel on (never reached: no worker here), so the answers have deliveries to list
    assert api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{notifications:{"
                   "wecom:{enabled:true, url:\"http://127.0.0.1:9/robot?key=k\"}}}) "
                   "{ userErrors { code } } }")["data"]["updateTenantSettings"][
        "userErrors"] == []
    ids = people_ids(api, code)
    board = api.as_(code, "ganbu", PUBLICITY, {"p": period})["data"]["publicity"]
    result_of = {e["personId"]: e["resultId"] for e in board}
    raisers = {user: api.as_(code, user, WHO)["data"]["me"] for user in ("ganbu", "ganbu2")}
    assert raise_(api, code, "ganbu", result_of[ids["P004"]["id"]],
                  "该同志本季度申报的党建示范点并非其牵头完成")["userErrors"] == []
    assert raise_(api, code, "ganbu2", result_of[ids["P003"]["id"]],
                  "分管工作中有两项督办事项逾期未整改", named=True)["userErrors"] == []
    listed = api.as_(code, "admin", LIST, {"p": period, "s": "open"})["data"]["objections"]
    for node in listed["nodes"]:
        answered = api.as_(code, "admin", ANSWER, {
            "o": node["id"], "a": "经核实，维持原等次", "g": None, "r": ""})
        assert answered["data"]["answerObjection"]["userErrors"] == [], answered
    # the committee still reads the named raiser where it reads objections
    named = {n["raiserName"] for n in api.as_(code, "admin", LIST, {"p": period, "s": None})[
        "data"]["objections"]["nodes"]}
    assert named == {None, raisers["ganbu2"]["person"]["name"]}

    for reader in ("shenji", "admin"):  # the audit administrator, the business administrator
        log = api.as_(code, reader, FULL_AUDIT, {"e": "objection"})["data"]["auditLog"]
        assert sorted(e["action"] for e in log) == ["objection.answer"] * 2 + [
            "objection.raise"] * 2
        raised = [e for e in log if e["action"] == "objection.raise"]
        assert {(e["actor"], e["actorName"]) for e in raised} == {
            ("objector", "异议提出人（不记录身份）")}
        text = json.dumps(log, ensure_ascii=False)
        for who in raisers.values():
            for secret in (who["account"]["id"], who["person"]["id"], who["person"]["name"]):
                assert secret not in text, (reader, secret)
    deliveries = api.as_(code, "admin", LOG)["data"]["notificationDeliveries"]["nodes"]
    answers = [d for d in deliveries if d["eventLabel"] == "异议已答复"]
    assert len(answers) == 2
    assert {d["recipient"] for d in answers} == {"异议提出人（不显示）"}
