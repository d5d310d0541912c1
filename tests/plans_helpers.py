"""Shared helpers of the plan tests: GraphQL snippets and calling a use case as a user."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select, text

from authz.loading import load_account_actor
from jixiao.settings import Settings
from models import Account
from resolvers.context import Context
from tenants.db import make_engine, make_sessionmaker, tenant_transaction
from tests.conftest import Api

T = TypeVar("T")
YEAR = date.today().year

SCHEME = """query($y:Int!){ indicatorScheme(year:$y) { id year name
  current { id number status } draft { id number status }
  versions { id number status indicators { id code name kind parentId weight cap points
    appliesTo needsConfirmation confirmationNote serious dynamic effectiveFrom } } } }"""
VERSION = """query($id:ID!){ schemeVersion(id:$id) { id number status basedOnId
  problems { field message }
  dimensions { code name weight raterRoles raterRoleLabels }
  indicators { id code name kind kindLabel parentId weight cap points appliesTo
    needsConfirmation confirmationNote serious dynamic effectiveFrom dynamicReason }
  tree { code kind children { code kind children { code kind } } } } }"""
SAVE = """mutation($v:ID!,$id:ID,$in:IndicatorInput!){ saveIndicator(versionId:$v, id:$id,
  input:$in) { indicator { id code name } userErrors { code message field } } }"""
PUBLISH = """mutation($id:ID!){ publishSchemeVersion(id:$id) { version { id status }
  userErrors { code message field } } }"""
NEW_VERSION = """mutation($s:ID!){ createSchemeVersion(schemeId:$s) { version { id number status
  basedOnId } userErrors { code message } } }"""
CREATE_TASK = """mutation($in:TaskInput!){ createTask(input:$in) { task { id code level
  unitId personId parentId } userErrors { code message field } } }"""
DECOMPOSE = """mutation($id:ID!,$parts:[TaskPartInput!]!){ decomposeTask(id:$id, parts:$parts)
  { tasks { id code level unitId personId parentId } userErrors { code message field } } }"""


def scheme(api: Api, code: str, user: str = "admin", year: int = YEAR) -> dict[str, Any]:
    body = api.as_(code, user, SCHEME, {"y": year})
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["indicatorScheme"]
    return found


def version(api: Api, code: str, version_id: str, user: str = "admin") -> dict[str, Any]:
    body = api.as_(code, user, VERSION, {"id": version_id})
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["schemeVersion"]
    return found


def by_code(v: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["code"]: n for n in v["indicators"]}


def publish_draft(api: Api, code: str) -> str:
    """Publishes the tenant's draft (the kind's template from provisioning); returns its id."""
    draft = scheme(api, code)["draft"]["id"]
    result = api.as_(code, "admin", PUBLISH, {"id": draft})["data"]["publishSchemeVersion"]
    assert result["userErrors"] == [], result
    return str(draft)


def people(api: Api, code: str) -> dict[str, dict[str, Any]]:
    body = api.as_(code, "admin", "{ people(first:200) { edges { node { id employeeNo unitId "
                   "postId } } } orgUnits { id code } posts { id code } }")
    nodes = {e["node"]["employeeNo"]: e["node"] for e in body["data"]["people"]["edges"]}
    nodes["_units"] = {u["code"]: u["id"] for u in body["data"]["orgUnits"]}
    nodes["_posts"] = {p["code"]: p["id"] for p in body["data"]["posts"]}
    return nodes


def errors(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


def run_as(settings: Settings, code: str, username: str,
           use_case: Callable[[Context], Awaitable[T]]) -> T:
    """Runs a use case in its own committed transaction, as that account of the tenant."""

    async def run() -> T:
        engine = make_engine(settings.database_url, pooled=False)
        try:
            sessionmaker = make_sessionmaker(engine)
            async with sessionmaker() as probe:
                tid = (await probe.execute(text("SELECT tenant_id_for_code(:c)"),
                                           {"c": code})).scalar_one()
            async with tenant_transaction(sessionmaker, tid) as session:
                account = await session.scalar(select(Account.id).where(
                    Account.username == username))
                assert account is not None
                actor = await load_account_actor(session, tid, account)
                return await use_case(Context(session=session, settings=settings.use_cases(),
                                              actor=actor))
        finally:
            await engine.dispose()

    return asyncio.run(run())
