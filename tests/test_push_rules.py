"""Rules on pushed data (issue 17, part 6): a pushed supervision result overdue and not
rectified for N days becomes a proposed deduction that counts in the score only once
confirmed; repeated pushes and passes propose nothing twice; a refused proposal never counts.

Hand-built tenants (county bureau template: CQ03 "滞后事项未按期整改", a deduction); the
quarter is Q2 2026, the tasks are due in May, so "today" (the API's clock) is long past the
rule's N days, and the periodic pass is called with its own explicit day.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from jixiao.settings import Settings
from models import Person, PointProposal, SchemeNode, Task
from tenants.db import make_engine, make_sessionmaker
from tests.conftest import Api
from tests.test_ratings_support import (
    COMPUTE,
    YEAR,
    advance,
    in_tenant,
    people,
    rate_all,
    rating_period,
)
from workers.push_rules import run_pass

CREATE = ("mutation($i:PushRuleInput!){ createPushRule(input:$i) { rule { id kind kindLabel "
          "minDays points indicatorCode year active } userErrors { code message field } } }")
RULES = "{ pushRules { id name kind minDays points indicatorCode active } }"
PUSH = ("mutation($e:String!,$t:ID!,$d:Date!){ pushSupervisionResult(externalId:$e, input:"
        "{taskId:$t, recordedOn:$d, percent:50, note:\"推进中\"}) { duplicate result "
        "userErrors { code message } } }")
PROPOSALS = ("query($s:PointProposalStatus){ proposedPointRecords(status:$s, first:20) { "
             "totalCount nodes { id status statusLabel subject personId points signedPoints "
             "occurredOn source indicatorCode ruleName refusalReason recordId } } }")
CONFIRM = ("mutation($id:ID!){ confirmProposal(id:$id) { proposal { status recordId } "
           "userErrors { code message } } }")
REFUSE = ("mutation($id:ID!,$r:String!){ refuseProposal(id:$id, reason:$r) { proposal { status "
          "refusalReason } userErrors { code message } } }")
RESULT = "query($p:ID!,$q:ID!){ personResult(periodId:$p, personId:$q) { score } }"
SUMMARY = ("query($p:ID!,$q:ID){ personPointSummary(personId:$p, year:2026, periodId:$q) { "
           "deductionRawTotal deductionCountedTotal } }")


def _office_token(api: Api, code: str) -> str:
    body = api.as_(code, "admin", "mutation{ createApiToken(name:\"督办系统\",roles:[office]) "
                   "{ token } }")
    return str(body["data"]["createApiToken"]["token"])


def _add_task(settings: Settings, code: str, person: str, due: date, title: str) -> str:
    async def run(session: Any) -> str:
        who = await session.scalar(select(Person).where(Person.employee_no == person))
        task = Task(id=uuid.uuid4(), year=YEAR, code=f"T-{person}", title=title,
                    source_kind="ad_hoc", level="person", unit_id=who.unit_id,
                    person_id=who.id, due_on=due, status="in_progress")
        session.add(task)
        await session.flush()
        return str(task.id)

    return in_tenant(settings, code, run)


def _node(settings: Settings, code: str, indicator: str) -> str:
    async def run(session: Any) -> str:
        return str(await session.scalar(select(SchemeNode.id).where(
            SchemeNode.code == indicator)))

    return in_tenant(settings, code, run)


def _proposal_count(settings: Settings, code: str) -> int:
    async def run(session: Any) -> int:
        return int(await session.scalar(select(func.count()).select_from(PointProposal)) or 0)

    return in_tenant(settings, code, run)


def _pass(settings: Settings, as_of: date) -> None:
    async def run() -> None:
        engine = make_engine(settings.database_url, pooled=False)
        try:
            await run_pass(make_sessionmaker(engine), as_of)
        finally:
            await engine.dispose()

    asyncio.run(run())


def _rule(api: Api, code: str, node: str, days: int = 10, points: str = "2",
          user: str = "admin") -> dict[str, Any]:
    body = api.as_(code, user, CREATE, {"i": {
        "name": f"督办事项逾期未整改超过{days}天扣分", "kind": "supervision_overdue",
        "indicatorId": node, "points": points, "minDays": days}})
    return dict(body["data"]["createPushRule"])


def _score(api: Api, code: str, period: str, person: str) -> Decimal:
    computed = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert computed["userErrors"] == [], computed
    body = api.as_(code, "admin", RESULT, {"p": period, "q": person})
    return Decimal(body["data"]["personResult"]["score"])


def test_an_overdue_pushed_item_counts_only_once_confirmed(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    period = rating_period(api, settings, code, quarter=2)
    ids = people(settings, code)
    node = _node(settings, code, "CQ03")
    mine = _add_task(settings, code, "P006", date(YEAR, 5, 20), "编制普法工作台账")
    theirs = _add_task(settings, code, "P007", date(YEAR, 5, 25), "社区矫正走访")

    # The rule: only the admin defines it; its points stay within the indicator's bounds.
    assert _rule(api, code, node, user="bangong")["userErrors"][0]["code"] == "FORBIDDEN"
    too_many = _rule(api, code, node, points="11")["userErrors"][0]
    assert (too_many["code"], too_many["field"]) == ("LIMIT_EXCEEDED", "points")
    no_days = api.as_(code, "admin", CREATE, {"i": {
        "name": "缺天数", "kind": "supervision_overdue", "indicatorId": node, "points": "1"}})
    assert no_days["data"]["createPushRule"]["userErrors"][0]["field"] == "minDays"
    rule = _rule(api, code, node)
    assert rule["userErrors"] == []
    assert (rule["rule"]["kindLabel"], rule["rule"]["minDays"], rule["rule"]["year"]) == (
        "督办事项逾期未整改", 10, YEAR)
    assert [r["indicatorCode"] for r in api.as_(code, "bangong", RULES)["data"]["pushRules"]] == [
        "CQ03"]

    # The office system pushes a supervision result: the item is overdue and not rectified
    # for more than 10 days, so a deduction is proposed, dated the day the rule was met.
    token = _office_token(api, code)
    first = api.call(PUSH, {"e": "OA-1", "t": mine, "d": "2026-06-10"}, token)[
        "data"]["pushSupervisionResult"]
    assert first["userErrors"] == []
    assert len(first["result"]["proposalIds"]) == 1
    again = api.call(PUSH, {"e": "OA-1", "t": mine, "d": "2026-06-10"}, token)[
        "data"]["pushSupervisionResult"]
    assert again["duplicate"] is True
    later = api.call(PUSH, {"e": "OA-2", "t": mine, "d": "2026-06-20"}, token)[
        "data"]["pushSupervisionResult"]
    assert later["duplicate"] is False
    assert "proposalIds" not in later["result"]
    # The periodic pass finds the other person's item; a second pass proposes nothing more.
    assert _proposal_count(settings, code) == 1
    _pass(settings, date(YEAR, 6, 30))
    _pass(settings, date(YEAR, 7, 15))
    assert _proposal_count(settings, code) == 2

    listed = api.as_(code, "bangong", PROPOSALS, {"s": "proposed"})["data"][
        "proposedPointRecords"]
    assert listed["totalCount"] == 2
    by_person = {n["personId"]: n for n in listed["nodes"]}
    proposal = by_person[ids["P006"]]
    assert (proposal["occurredOn"], Decimal(proposal["signedPoints"]), proposal["statusLabel"]
            ) == ("2026-05-30", Decimal(-2), "待确认")
    assert "编制普法工作台账" in proposal["source"]
    assert "逾期" in proposal["source"]
    refused_one = by_person[ids["P007"]]
    staff = api.as_(code, "ganbu", PROPOSALS, {"s": None})
    assert staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    # Scored before any decision: the proposals count nowhere.
    rate_all(settings, code, period, lambda no: Decimal(85))
    advance(api, code, period, "reviewing")
    before = {p: _score(api, code, period, ids[p]) for p in ("P006",)}
    before["P007"] = Decimal(api.as_(code, "admin", RESULT, {"p": period, "q": ids["P007"]})[
        "data"]["personResult"]["score"])
    summary = api.as_(code, "admin", SUMMARY, {"p": ids["P006"], "q": period})["data"][
        "personPointSummary"]
    assert Decimal(summary["deductionRawTotal"]) == 0

    # Refused with a reason: it never counts, and cannot be confirmed afterwards.
    empty = api.as_(code, "bangong", REFUSE, {"id": refused_one["id"], "r": " "})
    assert empty["data"]["refuseProposal"]["userErrors"][0]["code"] == "INVALID"
    refused = api.as_(code, "bangong", REFUSE, {"id": refused_one["id"],
                                                "r": "已于5月24日办结，系统未及时更新"})
    assert refused["data"]["refuseProposal"]["proposal"]["status"] == "refused"
    late = api.as_(code, "admin", CONFIRM, {"id": refused_one["id"]})
    assert late["data"]["confirmProposal"]["userErrors"][0]["code"] == "CONFLICT"

    # Confirmed by the office: the point record exists as a manual one and the score drops.
    staff_confirm = api.as_(code, "ganbu", CONFIRM, {"id": proposal["id"]})
    assert staff_confirm["data"]["confirmProposal"]["userErrors"][0]["code"] == "FORBIDDEN"
    confirmed = api.as_(code, "bangong", CONFIRM, {"id": proposal["id"]})["data"][
        "confirmProposal"]
    assert confirmed["userErrors"] == []
    assert confirmed["proposal"]["status"] == "confirmed"
    twice = api.as_(code, "bangong", CONFIRM, {"id": proposal["id"]})
    assert twice["data"]["confirmProposal"]["userErrors"][0]["code"] == "CONFLICT"

    after = _score(api, code, period, ids["P006"])
    assert after == before["P006"] - 2
    unchanged = Decimal(api.as_(code, "admin", RESULT, {"p": period, "q": ids["P007"]})[
        "data"]["personResult"]["score"])
    assert unchanged == before["P007"]
    summary = api.as_(code, "admin", SUMMARY, {"p": ids["P007"], "q": period})["data"][
        "personPointSummary"]
    assert Decimal(summary["deductionRawTotal"]) == 0

    # A repeated push or pass after the decisions still proposes nothing.
    api.call(PUSH, {"e": "OA-3", "t": mine, "d": "2026-07-01"}, token)
    api.call(PUSH, {"e": "OA-4", "t": theirs, "d": "2026-07-01"}, token)
    _pass(settings, date(YEAR, 8, 1))
    assert _proposal_count(settings, code) == 2

    # Everything is audited.
    log = api.as_(code, "admin", "{ auditLog { action } }")["data"]["auditLog"]
    actions = [e["action"] for e in log]
    for action in ("push_rule.create", "point_proposal.create", "point_proposal.confirm",
                   "point_proposal.refuse", "points.record"):
        assert action in actions, action


def test_a_rectified_or_recent_item_proposes_nothing_and_rules_are_tenant_bound(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    rating_period(api, settings, code, quarter=2)
    node = _node(settings, code, "CQ03")
    task = _add_task(settings, code, "P006", date(YEAR, 6, 20), "法治宣传进社区")
    assert _rule(api, code, node, days=30)["userErrors"] == []
    _pass(settings, date(YEAR, 7, 10))  # 20 days overdue: not yet
    assert _proposal_count(settings, code) == 0
    fix = api.as_(code, "bangong", "mutation($t:ID!){ rectifyOverdueItem(taskId:$t, note:"
                  "\"已补办并说明原因\", rectifiedOn:\"2026-07-12\") { userErrors { code } } }",
                  {"t": task})
    assert fix["data"]["rectifyOverdueItem"]["userErrors"] == []
    _pass(settings, date(YEAR, 8, 30))  # rectified: never proposed
    assert _proposal_count(settings, code) == 0

    other = make_tenant(people=12)
    foreign = api.as_(other, "admin", CREATE, {"i": {
        "name": "跨单位", "kind": "supervision_overdue", "indicatorId": node, "points": "1",
        "minDays": 1}})
    assert foreign["data"]["createPushRule"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert api.as_(other, "admin", RULES)["data"]["pushRules"] == []
    assert api.call(RULES)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_pushed_error_notice_becomes_a_proposed_deduction(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    rating_period(api, settings, code, quarter=2)
    ids = people(settings, code)
    node = _node(settings, code, "CQ01")
    body = api.as_(code, "admin", CREATE, {"i": {
        "name": "错情通报扣分", "kind": "error_notice", "indicatorId": node, "points": "2"}})
    assert body["data"]["createPushRule"]["userErrors"] == []
    token = _office_token(api, code)
    push = ("mutation($p:ID!){ pushErrorNotice(externalId:\"CQ-9\", personId:$p, occurredOn:"
            "\"2026-05-08\", description:\"公文格式错误被通报\") { duplicate result "
            "userErrors { code } } }")
    first = api.call(push, {"p": ids["P006"]}, token)["data"]["pushErrorNotice"]
    second = api.call(push, {"p": ids["P006"]}, token)["data"]["pushErrorNotice"]
    assert len(first["result"]["proposalIds"]) == 1
    assert second["duplicate"] is True
    assert second["result"] == first["result"]
    listed = api.as_(code, "admin", PROPOSALS, {"s": None})["data"]["proposedPointRecords"]
    assert [(n["indicatorCode"], n["occurredOn"], n["status"]) for n in listed["nodes"]] == [
        ("CQ01", "2026-05-08", "proposed")]
    staff = api.as_(code, "ganbu", push.replace("CQ-9", "x"), {"p": ids["P006"]})
    assert staff["data"]["pushErrorNotice"]["userErrors"][0]["code"] == "FORBIDDEN"


def test_the_pass_runs_as_a_dramatiq_actor(api: Api, settings: Settings, make_tenant: Any,
                                           worker: Any) -> None:
    from jixiao.worker import broker, push_rules_pass

    code = make_tenant(people=12)
    rating_period(api, settings, code, quarter=2)
    _add_task(settings, code, "P006", date(YEAR, 5, 20), "编制普法工作台账")
    assert _rule(api, code, _node(settings, code, "CQ03"))["userErrors"] == []
    assert _proposal_count(settings, code) == 0
    push_rules_pass.send()
    push_rules_pass.send()  # twice, on two worker threads: still one proposal
    broker.join(push_rules_pass.queue_name, timeout=120_000)  # delivered and acknowledged
    worker.join()
    assert _proposal_count(settings, code) == 1
