"""Scheme versions: drafts are edited, publishing validates and freezes, a new version starts as
a copy, and editing the next version leaves earlier periods' results unchanged."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from jixiao.settings import Settings
from models import PersonResult, PointRecord, SchemeNode
from resolvers.context import Context
from resolvers.execution import point_records
from resolvers.plans import indicators
from tests.conftest import Api
from tests.plans_helpers import (
    NEW_VERSION,
    PUBLISH,
    SAVE,
    YEAR,
    by_code,
    errors,
    people,
    publish_draft,
    run_as,
    scheme,
    version,
)

DIMENSIONS = """mutation($v:ID!){ setRatingDimensions(versionId:$v, dimensions:[
  {code:"task_completion",name:"任务完成情况",weight:60},{code:"conduct",name:"作风表现",weight:40}])
  { version { id } userErrors { code message } } }"""
DELETE = "mutation($id:ID!){ deleteIndicator(id:$id) { deletedId userErrors { code message } } }"


def credit_input(**overrides: Any) -> dict[str, Any]:
    return {"code": "JF09", "name": "防汛抢险表现突出", "kind": "credit", "points": "2",
            **overrides}


def test_draft_edits_then_publish_validates(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    draft = scheme(api, code)["draft"]["id"]
    nodes = by_code(version(api, code, draft))
    # an edit that breaks the weights is kept in the draft but publishing refuses it
    saved = api.as_(code, "admin", SAVE, {"v": draft, "id": nodes["SJ01"]["id"], "in": {
        "code": "SJ01", "name": "岗位职责履行", "kind": "rated", "weight": 50,
        "parentId": nodes["SJ"]["id"]}})["data"]["saveIndicator"]
    assert saved["userErrors"] == []
    assert [p["message"] for p in version(api, code, draft)["problems"]] == [
        "「工作实绩」下评价指标（岗位职责履行、党委政府部署任务完成）的权重合计应为100，当前为90"]
    refused = api.as_(code, "admin", PUBLISH, {"id": draft})["data"]["publishSchemeVersion"]
    assert errors(refused) == ["INVALID"]
    assert "权重合计应为100" in refused["userErrors"][0]["message"]
    # a duplicate code and a negative cap are refused at once, in Chinese
    dup = api.as_(code, "admin", SAVE, {"v": draft, "in": credit_input(code="SJ02")}
                  )["data"]["saveIndicator"]
    assert dup["userErrors"][0]["message"] == "指标编码“SJ02”重复"
    negative = api.as_(code, "admin", SAVE, {"v": draft, "in": credit_input(cap="-1")}
                       )["data"]["saveIndicator"]
    assert negative["userErrors"][0]["message"] == "「防汛抢险表现突出」的分值上限不能为负数"
    # moving a category under its own child would make a cycle
    cycle = api.as_(code, "admin", SAVE, {"v": draft, "id": nodes["SJ"]["id"], "in": {
        "code": "SJ", "name": "工作实绩", "kind": "category", "weight": 100,
        "parentId": nodes["SJ01"]["id"]}})["data"]["saveIndicator"]
    assert set(errors(cycle)) == {"INVALID"}
    assert any("形成循环" in e["message"] for e in cycle["userErrors"])
    api.as_(code, "admin", SAVE, {"v": draft, "id": nodes["SJ01"]["id"], "in": {
        "code": "SJ01", "name": "岗位职责履行", "kind": "rated", "weight": 60,
        "parentId": nodes["SJ"]["id"]}})
    published = api.as_(code, "admin", PUBLISH, {"id": draft})["data"]["publishSchemeVersion"]
    assert published["userErrors"] == []
    assert published["version"]["status"] == "published"


def test_a_published_version_is_frozen(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    v1 = publish_draft(api, code)
    nodes = by_code(version(api, code, v1))
    attempts = {
        "saveIndicator": api.as_(code, "admin", SAVE, {"v": v1, "in": credit_input()}),
        "update": api.as_(code, "admin", SAVE, {"v": v1, "id": nodes["CQ01"]["id"],
                                                "in": credit_input(code="CQ01")}),
        "deleteIndicator": api.as_(code, "admin", DELETE, {"id": nodes["CQ01"]["id"]}),
        "setRatingDimensions": api.as_(code, "admin", DIMENSIONS, {"v": v1}),
        "publishSchemeVersion": api.as_(code, "admin", PUBLISH, {"id": v1}),
    }
    for name, body in attempts.items():
        payload = next(iter(body["data"].values()))
        assert errors(payload) == ["FROZEN"], name
        assert payload["userErrors"][0]["message"] == (
            "该版本指标体系已发布，不能修改；请新建版本后修改")
    assert version(api, code, v1)["indicators"] == list(nodes.values())  # nothing changed


def test_a_new_version_starts_as_a_copy_and_only_one_draft_at_a_time(api: Api,
                                                                      make_tenant: Any) -> None:
    code = make_tenant(people=9)
    v1 = publish_draft(api, code)
    scheme_id = scheme(api, code)["id"]
    created = api.as_(code, "admin", NEW_VERSION, {"s": scheme_id})["data"]["createSchemeVersion"]
    v2 = created["version"]
    assert (v2["number"], v2["status"], v2["basedOnId"]) == (2, "draft", v1)
    old, new = version(api, code, v1), version(api, code, v2["id"])
    strip = [{k: v for k, v in n.items() if k not in ("id", "parentId")}
             for n in old["indicators"]]
    assert [{k: v for k, v in n.items() if k not in ("id", "parentId")}
            for n in new["indicators"]] == strip
    assert {n["id"] for n in old["indicators"]}.isdisjoint({n["id"] for n in new["indicators"]})
    assert new["dimensions"] == old["dimensions"]
    again = api.as_(code, "admin", NEW_VERSION, {"s": scheme_id})["data"]["createSchemeVersion"]
    assert errors(again) == ["CONFLICT"]


def test_staff_cannot_change_the_scheme(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    found = scheme(api, code, "ganbu")  # but reads it
    draft = found["draft"]["id"]
    for user in ("ganbu", "kezhang", "bangong"):
        assert errors(api.as_(code, user, SAVE, {"v": draft, "in": credit_input()}
                              )["data"]["saveIndicator"]) == ["FORBIDDEN"]
        assert errors(api.as_(code, user, PUBLISH, {"id": draft}
                              )["data"]["publishSchemeVersion"]) == ["FORBIDDEN"]
        assert errors(api.as_(code, user, DIMENSIONS, {"v": draft}
                              )["data"]["setRatingDimensions"]) == ["FORBIDDEN"]
    assert scheme(api, code)["draft"]["id"] == draft
    assert api.call("query($y:Int!){ indicatorScheme(year:$y) { id } }", {"y": YEAR}
                    )["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def _period(api: Api, code: str, quarter: int) -> str:
    body = api.as_(code, "admin", "mutation($q:Int!,$y:Int!){ createPeriod(input:{kind:quarter,"
                   "year:$y,quarter:$q}) { period { id } userErrors { code message } } }",
                   {"q": quarter, "y": YEAR})
    return str(body["data"]["createPeriod"]["period"]["id"])


PIN = """mutation($p:ID!,$v:ID){ pinPeriodSchemeVersion(periodId:$p, versionId:$v)
  { version { id number } userErrors { code message } } }"""


def test_editing_the_next_version_leaves_earlier_periods_results_unchanged(
        api: Api, make_tenant: Any, settings: Settings) -> None:
    code = make_tenant(people=9)
    v1 = publish_draft(api, code)
    who = people(api, code)["P006"]["id"]
    q1, q2 = _period(api, code, 1), _period(api, code, 2)
    assert api.as_(code, "admin", PIN, {"p": q1, "v": None}
                   )["data"]["pinPeriodSchemeVersion"]["version"]["id"] == v1
    v1_nodes = by_code(version(api, code, v1))
    credit = v1_nodes["DZ01"]  # county template: 点赞事项 / 目标绩效落实获点赞, 1 point

    # Q1 results computed against v1: a commendation and a person's result naming its row.
    async def q1_results(ctx: Context) -> str:
        row = await point_records.add_record(ctx, point_records.RecordInput(
            node_id=uuid.UUID(credit["id"]), person_id=uuid.UUID(who),
            occurred_on=date(YEAR, 2, 10), reason="一季度目标绩效落实获点赞"))
        ctx.session.add(PersonResult(
            tenant_id=ctx.me.tenant_id, period_id=uuid.UUID(q1), person_id=uuid.UUID(who),
            unit_id=uuid.UUID(people(api, code)["P006"]["unitId"]), score=Decimal("91.5"),
            explanation=[{"source": str(row.id), "indicator": credit["id"], "delta": "1"}]))
        return str(row.id)

    record_id = run_as(settings, code, "admin", q1_results)

    # The next version renames the credit, doubles its points, drops a deduction; published.
    v2 = api.as_(code, "admin", NEW_VERSION, {"s": scheme(api, code)["id"]}
                 )["data"]["createSchemeVersion"]["version"]["id"]
    v2_nodes = by_code(version(api, code, v2))
    edited = api.as_(code, "admin", SAVE, {"v": v2, "id": v2_nodes["DZ01"]["id"], "in": {
        "code": "DZ01", "name": "重点工作获点赞", "kind": "credit", "points": "2",
        "parentId": v2_nodes["DZ"]["id"]}})["data"]["saveIndicator"]
    assert edited["userErrors"] == []
    assert api.as_(code, "admin", DELETE, {"id": v2_nodes["CQ02"]["id"]}
                   )["data"]["deleteIndicator"]["userErrors"] == []
    assert api.as_(code, "admin", PUBLISH, {"id": v2})["data"]["publishSchemeVersion"][
        "userErrors"] == []
    assert api.as_(code, "admin", PIN, {"p": q2, "v": None}
                   )["data"]["pinPeriodSchemeVersion"]["version"]["number"] == 2

    # Q1 still reads v1: same rows, same names and points; its record and result untouched.
    assert version(api, code, v1)["indicators"] == list(v1_nodes.values())

    async def check(ctx: Context) -> None:
        from models import Period

        period1 = await ctx.session.get(Period, (ctx.me.tenant_id, uuid.UUID(q1)))
        period2 = await ctx.session.get(Period, (ctx.me.tenant_id, uuid.UUID(q2)))
        assert period1 is not None
        assert period2 is not None
        pinned1 = await indicators.version_for_period(ctx, period1)
        pinned2 = await indicators.version_for_period(ctx, period2)
        assert pinned1 is not None
        assert pinned2 is not None
        assert (str(pinned1.id), str(pinned2.id)) == (v1, v2)
        q1_credit = next(n for n in await indicators.indicators_in_effect(
            ctx, pinned1.id, date(YEAR, 2, 10), all_posts=True) if n.code == "DZ01")
        assert (q1_credit.name, q1_credit.points) == ("目标绩效落实获点赞", Decimal(1))
        q2_credit = next(n for n in await indicators.indicators_in_effect(
            ctx, pinned2.id, date(YEAR, 5, 10), all_posts=True) if n.code == "DZ01")
        assert (q2_credit.name, q2_credit.points) == ("重点工作获点赞", Decimal(2))
        counted = await point_records.counted_records(ctx, pinned1.id, date(YEAR, 1, 1),
                                                      date(YEAR, 3, 31))
        assert [(str(r.id), r.points, str(r.node_id)) for r in counted] == [
            (record_id, Decimal(1), credit["id"])]
        record = await ctx.session.get(PointRecord, (ctx.me.tenant_id, uuid.UUID(record_id)))
        node = await ctx.session.get(SchemeNode, (ctx.me.tenant_id, record.node_id)
                                     ) if record else None
        assert node is not None
        assert (node.name, node.version_id) == ("目标绩效落实获点赞", pinned1.id)
        result = await ctx.session.scalar(select(PersonResult).where(
            PersonResult.period_id == uuid.UUID(q1)))
        assert result is not None
        assert result.score == Decimal("91.5")
        assert result.explanation[0]["indicator"] == credit["id"]

    run_as(settings, code, "admin", check)

    # Once Q1 is past execution its version can no longer be switched.
    for step in ("executing", "declaring"):
        api.as_(code, "admin", "mutation($id:ID!,$s:PeriodState!){ advancePeriod(id:$id,"
                "toState:$s) { userErrors { code } } }", {"id": q1, "s": step})
    repin = api.as_(code, "admin", PIN, {"p": q1, "v": v2})["data"]["pinPeriodSchemeVersion"]
    assert errors(repin) == ["FROZEN"]


def test_a_new_year_scheme_starts_from_the_kind_template(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9, kind="industrial_park")
    create = ("mutation($y:Int!,$t:Boolean!){ createIndicatorScheme(year:$y, fromTemplate:$t) "
              "{ scheme { id year draft { id } } userErrors { code message } } }")
    made = api.as_(code, "admin", create, {"y": YEAR + 1, "t": True}
                   )["data"]["createIndicatorScheme"]
    assert made["userErrors"] == []
    draft = version(api, code, made["scheme"]["draft"]["id"])
    assert by_code(draft)["JF01"]["name"] == "项目招引（招商引资）"
    assert draft["problems"] == []
    empty = api.as_(code, "admin", create, {"y": YEAR + 2, "t": False}
                    )["data"]["createIndicatorScheme"]
    blank = version(api, code, empty["scheme"]["draft"]["id"])
    assert blank["indicators"] == []
    assert [d["weight"] for d in blank["dimensions"]] == [50, 20, 15, 15]
    assert errors(api.as_(code, "admin", create, {"y": YEAR + 1, "t": True}
                          )["data"]["createIndicatorScheme"]) == ["DUPLICATE"]
    assert errors(api.as_(code, "ganbu", create, {"y": YEAR + 3, "t": True}
                          )["data"]["createIndicatorScheme"]) == ["FORBIDDEN"]


def test_a_period_entering_execution_keeps_the_version_it_started_with(
        api: Api, make_tenant: Any, settings: Settings) -> None:
    code = make_tenant(people=9)
    v1 = publish_draft(api, code)
    q3 = _period(api, code, 3)
    advanced = api.as_(code, "admin", "mutation($id:ID!){ advancePeriod(id:$id, "
                       "toState:executing) { userErrors { code message } } }", {"id": q3})
    assert advanced["data"]["advancePeriod"]["userErrors"] == []
    v2 = api.as_(code, "admin", NEW_VERSION, {"s": scheme(api, code)["id"]}
                 )["data"]["createSchemeVersion"]["version"]["id"]
    assert api.as_(code, "admin", PUBLISH, {"id": v2})["data"]["publishSchemeVersion"][
        "userErrors"] == []
    log = api.as_(code, "admin", "query($e:String!){ auditLog(entity:\"period\", entityId:$e)"
                  " { action after } }", {"e": q3})["data"]["auditLog"]
    pins = [e for e in log if e["action"] == "period.scheme.pin"]
    assert len(pins) == 1
    assert pins[0]["after"]["version_id"] == v1

    async def pinned(ctx: Context) -> str:
        found = await indicators.pinned_version(ctx, uuid.UUID(q3))
        assert found is not None
        return str(found.id)

    assert run_as(settings, code, "admin", pinned) == v1
