"""Dynamic indicators: added to a published scheme during the year with a start date and a
reason, audited, counted only from that date."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from jixiao.settings import Settings
from resolvers.context import Context
from resolvers.errors import ErrorCode, UserFacingError
from resolvers.execution import point_records
from tests.conftest import Api
from tests.plans_helpers import (
    NEW_VERSION,
    YEAR,
    by_code,
    errors,
    people,
    publish_draft,
    run_as,
    scheme,
    version,
)

ADD = """mutation($v:ID!,$in:IndicatorInput!,$from:Date!,$why:String!){
  addDynamicIndicator(versionId:$v, input:$in, effectiveFrom:$from, reason:$why)
  { indicator { id code dynamic effectiveFrom dynamicReason } userErrors { code message } } }"""
IN_EFFECT = "query($v:ID!,$on:Date!){ indicatorsInEffect(versionId:$v, on:$on) { code } }"
MINE = "query($on:Date!){ myIndicators(on:$on) { indicators { indicator { code } } } }"

START = date(YEAR, 5, 15)  # in the middle of the second quarter
REASON = "汛期防汛抢险临时任务"


def flood_credit(parent_id: str) -> dict[str, Any]:
    return {"code": "DT01", "name": "防汛抢险表现突出", "kind": "credit", "points": "2",
            "parentId": parent_id}


def test_dynamic_indicator_affects_only_records_after_its_start(
        api: Api, make_tenant: Any, settings: Settings) -> None:
    code = make_tenant(people=9)
    v1 = publish_draft(api, code)
    nodes = by_code(version(api, code, v1))
    added = api.as_(code, "admin", ADD, {"v": v1, "in": flood_credit(nodes["DZ"]["id"]),
                                         "from": START.isoformat(), "why": REASON}
                    )["data"]["addDynamicIndicator"]
    assert added["userErrors"] == [], added
    assert added["indicator"]["dynamic"] is True
    assert added["indicator"]["effectiveFrom"] == START.isoformat()
    dynamic_id = added["indicator"]["id"]

    # audited with its reason
    log = api.as_(code, "admin", "query($e:String!){ auditLog(entityId:$e) { action reason } }",
                  {"e": dynamic_id})["data"]["auditLog"]
    assert [(e["action"], e["reason"]) for e in log] == [("scheme.dynamic.add", REASON)]

    # in effect only from its start date, for the scheme and for each person
    def codes(day: date) -> set[str]:
        return {n["code"] for n in api.as_(code, "admin", IN_EFFECT, {
            "v": v1, "on": day.isoformat()})["data"]["indicatorsInEffect"]}

    assert "DT01" not in codes(date(YEAR, 5, 14))
    assert "DT01" in codes(START)
    mine_before = api.as_(code, "ganbu", MINE, {"on": f"{YEAR}-05-14"})["data"]["myIndicators"]
    mine_after = api.as_(code, "ganbu", MINE, {"on": f"{YEAR}-06-01"})["data"]["myIndicators"]
    assert "DT01" not in {i["indicator"]["code"] for i in mine_before["indicators"]}
    assert "DT01" in {i["indicator"]["code"] for i in mine_after["indicators"]}

    who = uuid.UUID(people(api, code)["P006"]["id"])
    regular = uuid.UUID(nodes["DZ01"]["id"])

    async def record(ctx: Context, node: uuid.UUID, day: date) -> str:
        row = await point_records.add_record(ctx, point_records.RecordInput(
            node_id=node, person_id=who, occurred_on=day, reason=f"{day}的事项"))
        return row.occurred_on.isoformat()

    async def quarter_records(ctx: Context) -> list[tuple[str, str]]:
        counted = await point_records.counted_records(ctx, uuid.UUID(v1), date(YEAR, 4, 1),
                                                      date(YEAR, 6, 30), who)
        return [(str(r.node_id), r.occurred_on.isoformat()) for r in counted]

    # ordinary indicators count the whole quarter; the dynamic one only from its start
    for day in (date(YEAR, 4, 20), date(YEAR, 6, 2)):
        run_as(settings, code, "bangong", lambda ctx, day=day: record(ctx, regular, day))

    async def too_early(ctx: Context) -> str:
        try:
            await record(ctx, uuid.UUID(dynamic_id), date(YEAR, 5, 1))
        except UserFacingError as exc:
            return f"{exc.problems[0].code}:{exc.problems[0].message}"
        return "accepted"

    refused = run_as(settings, code, "bangong", too_early)
    assert refused == (f"{ErrorCode.RULE_VIOLATION}:「防汛抢险表现突出」为动态指标，自"
                       f"{START.isoformat()}起计分，{YEAR}-05-01的事项不计入")
    run_as(settings, code, "bangong",
           lambda ctx: record(ctx, uuid.UUID(dynamic_id), date(YEAR, 5, 20)))
    assert sorted(run_as(settings, code, "admin", quarter_records)) == sorted([
        (str(regular), f"{YEAR}-04-20"), (str(regular), f"{YEAR}-06-02"),
        (dynamic_id, f"{YEAR}-05-20")])


def test_dynamic_indicators_are_checked_and_carried_into_the_next_draft(
        api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    draft = scheme(api, code)["draft"]["id"]
    on_draft = api.as_(code, "admin", ADD, {"v": draft, "in": flood_credit(None),
                                            "from": START.isoformat(), "why": REASON})
    assert errors(on_draft["data"]["addDynamicIndicator"]) == ["INVALID"]
    v1 = publish_draft(api, code)
    v2 = api.as_(code, "admin", NEW_VERSION, {"s": scheme(api, code)["id"]}
                 )["data"]["createSchemeVersion"]["version"]["id"]
    cases = {
        "rated": ({**flood_credit(None), "kind": "rated", "weight": 10}, START, REASON),
        "no reason": (flood_credit(None), START, " "),
        "other year": (flood_credit(None), date(YEAR + 1, 1, 10), REASON),
        "duplicate code": ({**flood_credit(None), "code": "SJ01"}, START, REASON),
    }
    for name, (data, start, why) in cases.items():
        body = api.as_(code, "admin", ADD, {"v": v1, "in": data, "from": start.isoformat(),
                                            "why": why})["data"]["addDynamicIndicator"]
        assert errors(body) == ["INVALID"], name
    for user in ("ganbu", "kezhang", "leader"):
        body = api.as_(code, user, ADD, {"v": v1, "in": flood_credit(None),
                                         "from": START.isoformat(), "why": REASON})
        assert errors(body["data"]["addDynamicIndicator"]) == ["FORBIDDEN"], user
    ok = api.as_(code, "admin", ADD, {"v": v1, "in": flood_credit(None),
                                      "from": START.isoformat(), "why": REASON})
    assert ok["data"]["addDynamicIndicator"]["userErrors"] == []
    carried = by_code(version(api, code, v2))["DT01"]
    assert (carried["dynamic"], carried["effectiveFrom"]) == (True, START.isoformat())
