"""Post adjustment (岗位调整) from the care list: the post changes from its effective date with
history kept, the results-use ledger gets an entry, and the change is audited; a mentoring pair
ends with an outcome."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import text

from jixiao.settings import Settings
from tenants.db import make_engine, make_sessionmaker
from tests.conftest import Api
from tests.factories import History, PastPeriod, history

ACTION = """mutation($i:CareActionInput!){ recordCareAction(input:$i) { action { id kind
  startsOn outcome } userErrors { code message field } } }"""
HISTORY = """query($p:ID!){ postHistory(personId:$p) { previousPostName postName effectiveOn
  applied reason resultsUseEntryId } }"""
PERSON = "query($p:ID!){ person(id:$p) { post { code name } } }"
LEDGER = """query($p:ID!){ resultsUse(personId:$p) { id kind kindLabel title decidedOn
  basis { id } } }"""
AUDIT = """query($e:String!){ auditLog(entity:"person", entityId:$e) { action before after
  reason } }"""
END = """mutation($id:ID!,$o:String!){ endCareAction(id:$id, endsOn:"2026-07-05", outcome:$o)
  { action { endsOn outcome } userErrors { code field message } } }"""


def world(settings: Settings, make_tenant: Any) -> tuple[str, History]:
    code = make_tenant(people=12)
    past = history(settings, code, [PastPeriod(2025, 4, {"P010": ("poor", 12),
                                                         "P006": ("good", 1)})])
    return code, past


def posts(api: Api, code: str) -> dict[str, str]:
    return {p["code"]: p["id"] for p in api.as_(code, "admin", "{ posts { id code } }")[
        "data"]["posts"]}


def test_post_adjustment_changes_the_post_and_writes_the_ledger(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code, past = world(settings, make_tenant)
    post = posts(api, code)
    p010 = past.people["P010"]
    assert api.as_(code, "admin", PERSON, {"p": p010})["data"]["person"]["post"]["code"] == "ky"
    body = api.as_(code, "admin", ACTION, {"i": {
        "kind": "post_adjustment", "personId": p010, "startsOn": "2026-01-15",
        "postId": post["kz"], "flags": ["long_term_poor"], "note": "长期较差，调整岗位"}})
    assert body["data"]["recordCareAction"]["userErrors"] == [], body
    # The post changed (effective date in the past) ...
    assert api.as_(code, "admin", PERSON, {"p": p010})["data"]["person"]["post"] == {
        "code": "kz", "name": "科长"}
    # ... the history lists the old and the new post ...
    [change] = api.as_(code, "admin", HISTORY, {"p": p010})["data"]["postHistory"]
    assert (change["previousPostName"], change["postName"], change["effectiveOn"],
            change["applied"]) == ("科员", "科长", "2026-01-15", True)
    # ... and the ledger holds a post adjustment resting on the person's latest result.
    [entry] = api.as_(code, "admin", LEDGER, {"p": p010})["data"]["resultsUse"]
    assert (entry["kind"], entry["kindLabel"], entry["title"], entry["decidedOn"]) == (
        "post_adjustment", "岗位调整", "调整至科长", "2026-01-15")
    assert [b["id"] for b in entry["basis"]] == [past.results[(2025, 4, "P010")]]
    assert change["resultsUseEntryId"] == entry["id"]
    audit = api.as_(code, "admin", AUDIT, {"e": p010})["data"]["auditLog"]
    [moved] = [a for a in audit if a["action"] == "person.post"]
    assert (moved["before"]["post_id"], moved["after"]["post_id"]) == (post["ky"], post["kz"])
    assert moved["reason"] == "岗位调整自2026-01-15起生效"
    recorded = api.as_(code, "admin", "{ auditLog(entity:\"post_assignment\") { action } }")
    assert [a["action"] for a in recorded["data"]["auditLog"]] == ["post_assignment.record"]
    # The person sees their own history; a colleague does not.
    own = api.as_(code, "ganbu", HISTORY, {"p": past.people["P006"]})["data"]["postHistory"]
    assert own == []
    assert api.as_(code, "ganbu", HISTORY, {"p": p010})["data"]["postHistory"] == []
    # The same post again is refused; a post adjustment needs a post; a department head (who
    # may record care actions) may not adjust a post: it writes the ledger.
    again = api.as_(code, "admin", ACTION, {"i": {
        "kind": "post_adjustment", "personId": p010, "startsOn": "2026-02-01",
        "postId": post["kz"]}})["data"]["recordCareAction"]
    assert (again["action"], again["userErrors"][0]["field"]) == (None, "postId")
    bare = api.as_(code, "admin", ACTION, {"i": {
        "kind": "post_adjustment", "personId": p010, "startsOn": "2026-02-01"}})
    assert bare["data"]["recordCareAction"]["userErrors"][0]["field"] == "postId"
    head = api.as_(code, "kezhang", ACTION, {"i": {
        "kind": "post_adjustment", "personId": p010, "startsOn": "2026-02-01",
        "postId": post["ky"]}})["data"]["recordCareAction"]
    assert (head["action"], head["userErrors"][0]["code"]) == (None, "FORBIDDEN")
    assert len(api.as_(code, "admin", HISTORY, {"p": p010})["data"]["postHistory"]) == 1


def test_a_future_post_adjustment_waits_for_its_day(api: Api, settings: Settings,
                                                    make_tenant: Any) -> None:
    code, past = world(settings, make_tenant)
    post = posts(api, code)
    p006 = past.people["P006"]
    body = api.as_(code, "admin", ACTION, {"i": {
        "kind": "post_adjustment", "personId": p006, "startsOn": "2099-03-01",
        "postId": post["kz"], "basis": [past.results[(2025, 4, "P006")]]}})
    assert body["data"]["recordCareAction"]["userErrors"] == [], body
    assert api.as_(code, "admin", PERSON, {"p": p006})["data"]["person"]["post"]["code"] == "ky"
    [pending] = api.as_(code, "admin", HISTORY, {"p": p006})["data"]["postHistory"]
    assert (pending["previousPostName"], pending["postName"], pending["applied"]) == (
        "科员", "科长", False)
    # The day comes (moved back here instead of waiting): the next read applies it.
    async def due() -> None:
        engine = make_engine(settings.database_url, pooled=False)
        try:
            async with make_sessionmaker(engine)() as s, s.begin():
                tid = (await s.execute(text("SELECT tenant_id_for_code(:c)"),
                                       {"c": code})).scalar_one()
                await s.execute(text("SELECT set_config('app.tenant_id', :t, true)"),
                                {"t": str(tid)})
                await s.execute(text("UPDATE post_assignments SET effective_on = "
                                     "'2026-03-01'"))
        finally:
            await engine.dispose()
    asyncio.run(due())
    [applied] = api.as_(code, "admin", HISTORY, {"p": p006})["data"]["postHistory"]
    assert applied["applied"] is True
    assert api.as_(code, "admin", PERSON, {"p": p006})["data"]["person"]["post"]["code"] == "kz"


def test_a_mentoring_pair_ends_with_an_outcome(api: Api, settings: Settings,
                                               make_tenant: Any) -> None:
    code, past = world(settings, make_tenant)
    body = api.as_(code, "admin", ACTION, {"i": {
        "kind": "mentoring", "personId": past.people["P010"], "mentorId": past.people["P006"],
        "startsOn": "2026-01-05"}})
    action = body["data"]["recordCareAction"]["action"]
    assert action["outcome"] == ""
    missing = api.as_(code, "admin", END, {"id": action["id"], "o": " "})["data"]["endCareAction"]
    assert (missing["action"], missing["userErrors"][0]["field"]) == (None, "outcome")
    ended = api.as_(code, "admin", END, {"id": action["id"], "o": "业务能力明显提升，等次回升"})
    assert ended["data"]["endCareAction"]["action"] == {
        "endsOn": "2026-07-05", "outcome": "业务能力明显提升，等次回升"}
