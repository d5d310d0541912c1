"""Bad input and failing fields always answer JSON with a typed Chinese error (issue 13).

Each case is sent as a caller would send it; the answer must be JSON, carry a Chinese message
and a stable code, use the HTTP status GraphQL over HTTP asks for, and never be the masked
"服务器内部错误". A sibling field beside a failing one still returns its data.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
from typing import Any

import pytest

from jixiao.settings import Settings
from tests.conftest import Api
from tests.factories import seed_plan
from tests.plans_helpers import YEAR

CHINESE = re.compile(r"[\u4e00-\u9fff]")
MASKED = "服务器内部错误"
MB = 1024 * 1024

ISSUE = ("mutation($i:PointRecordInput!){ issuePointRecord(input:$i) { record { id } "
         "userErrors { code message field } } }")
UNIT = ("mutation($n:String!,$c:String!){ createOrgUnit(input:{name:$n, code:$c}) "
        "{ unit { id } userErrors { code message field } } }")
LOGIN = ("mutation($t:String!,$u:String!,$p:String!){ login(tenantCode:$t, username:$u, "
         "password:$p) { token userErrors { code message } } }")
CREATE_TASK = ("mutation($in:TaskInput!){ createTask(input:$in) { task { id milestones { id } }"
               " userErrors { code message } } }")
ROSTER = ("mutation($c:String!){ importRoster(input:{filename:\"r.csv\", contentBase64:$c}) "
          "{ created userErrors { code message } } }")


@pytest.fixture(scope="module")
def world(api: Api, settings: Settings, make_tenant: Any) -> dict[str, Any]:
    code = make_tenant(people=12)
    ids = asyncio.run(seed_plan(settings, code, 2026))
    people = api.as_(code, "admin", "{ people(first:50) { edges { node { id employeeNo } } } }")
    by_no = {e["node"]["employeeNo"]: e["node"]["id"]
             for e in people["data"]["people"]["edges"]}
    task = api.as_(code, "admin", CREATE_TASK, {"in": {
        "year": YEAR, "title": "坏输入任务", "sourceKind": "municipal", "dueOn": f"{YEAR}-12-31",
        "milestones": [{"title": "节点", "dueOn": f"{YEAR}-03-31"}]}})["data"]["createTask"]
    return {"code": code, "ids": ids, "people": by_no, "task": task}


def point(world: dict[str, Any], external_id: str) -> dict[str, Any]:
    return {"indicatorId": world["ids"]["credit"], "personId": world["people"]["P006"],
            "occurredOn": "2026-05-10", "reason": "事由说明", "points": "1",
            "externalId": external_id}


def send(api: Api, world: dict[str, Any], query: str, variables: dict[str, Any] | None = None,
         user: str = "admin", token: bool = True) -> tuple[int, dict[str, Any]]:
    headers = {"authorization": f"Bearer {api.login(world['code'], user)}"} if token else {}
    # Sent as ASCII JSON, so that a lone surrogate travels as the escape a client would send.
    body = json.dumps({"query": query, "variables": variables or {}})
    response = api.client.post("/graphql", content=body.encode(),
                               headers={**headers, "content-type": "application/json"})
    assert response.headers["content-type"].startswith("application/json"), response.text[:200]
    return response.status_code, response.json()


def messages(body: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Every error the body carries: GraphQL errors and the payloads' userErrors."""
    found = [(e["message"], (e.get("extensions") or {}).get("code"))
             for e in body.get("errors") or []]

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "userErrors" and isinstance(item, list):
                    found.extend((u["message"], u["code"]) for u in item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(body.get("data"))
    return found


def assert_typed_chinese(body: dict[str, Any]) -> None:
    found = messages(body)
    assert found, body
    for message, code in found:
        assert MASKED not in message, body
        assert CHINESE.search(message), body
        assert code, body
        assert re.fullmatch(r"[A-Z_]+", code), body


def _milestone(world: dict[str, Any]) -> str:
    return str(world["task"]["task"]["milestones"][0]["id"])


# name -> (query, variables built from the world, expected HTTP status)
Case = tuple[str, Any, int]
CASES: dict[str, Case] = {
    "failing field beside a sibling": (
        '{ trainingNeeds(periodId: "") { __typename } tenant { name } }', None, 200),
    "repeated externalId": (ISSUE, lambda w: {"i": point(w, "dup-1")}, 200),
    "commendationBoard year 0": ("{ commendationBoard(year: 0) { reason } }", None, 200),
    "username over 64 characters": (
        LOGIN, lambda w: {"t": w["code"], "u": "u" * 65, "p": "x"}, 200),
    "name of 1 MB": (UNIT, lambda w: {"n": "名" * MB, "c": "big"}, 200),
    "NUL in a name": (UNIT, lambda w: {"n": "科室\x00", "c": "nul"}, 200),
    "lone surrogate in a name": (UNIT, lambda w: {"n": "科室\ud800", "c": "sur"}, 200),
    "control character in a code": (UNIT, lambda w: {"n": "科室", "c": "a\x07"}, 200),
    "CSV field over 128 KB": (ROSTER, lambda w: {"c": base64.b64encode(
        ("姓名,工号\n" + "甲" * (130 * 1024) + ",1\n").encode()).decode()}, 200),
    "wrong variable type": (
        "query($y:Int!){ commendationBoard(year:$y) { reason } }", lambda w: {"y": "abc"}, 200),
    "syntax error": ("{ tenant { name ", None, 200),
    "unknown field": ("{ tenant { nmae } }", None, 200),
    "missing variable": ("query($y:Int!){ commendationBoard(year:$y) { reason } }", None, 200),
    "year 0 inside an input": (CREATE_TASK, lambda w: {"in": {
        "year": 0, "title": "任务", "sourceKind": "municipal"}}, 200),
    "date out of range": (CREATE_TASK, lambda w: {"in": {
        "year": YEAR, "title": "任务", "sourceKind": "municipal", "dueOn": "0001-01-01"}}, 200),
    "tenant settings not an object (found by schemathesis)": (
        'mutation { updateTenantSettings(settings: "", reason: "") '
        '{ userErrors { code message } } }', None, 200),
    "too deep": ("{ orgTree { " + "children { " * 14 + "id" + " }" * 14 + " } }", None, 200),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_answers_typed_chinese_json(api: Api, world: dict[str, Any],
                                              case: str) -> None:
    query, variables, status = CASES[case]
    values = variables(world) if callable(variables) else variables
    if case == "repeated externalId":
        _, first = send(api, world, query, values, user="bangong")
        assert first["data"]["issuePointRecord"]["userErrors"] == [], first
    code, body = send(api, world, query, values, user="bangong" if "externalId" in case
                      else "admin")
    assert code == status, body
    assert_typed_chinese(body)
    assert "Did you mean" not in json.dumps(body, ensure_ascii=False)


def test_milestone_done_without_done_on_clears_it(api: Api, world: dict[str, Any]) -> None:
    code, body = send(api, world, "mutation($m:ID!){ setMilestoneDone(id:$m) { milestone "
                      "{ doneOn } userErrors { code message } } }", {"m": _milestone(world)})
    assert code == 200
    assert body["data"]["setMilestoneDone"] == {"milestone": {"doneOn": None},
                                                "userErrors": []}, body


def test_sibling_field_keeps_its_data(api: Api, world: dict[str, Any]) -> None:
    code, body = send(api, world, '{ myDeclaration(periodId: "") { id } tenant { name } }')
    assert code == 200
    assert body["data"]["tenant"]["name"], body
    assert body["data"]["myDeclaration"] is None
    assert_typed_chinese(body)
