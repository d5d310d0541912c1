"""GraphQL over HTTP: ``application/graphql-response+json`` when asked for, JSON always.

A request error (fails before execution) answers 4xx with no ``data`` under the new media type;
``application/json`` keeps 200 with ``data: null``. With introspection off, no message suggests
field names ("Did you mean").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from jixiao.graphql_response import MEDIA_TYPE, wants_graphql_response
from jixiao.settings import Settings
from tests.conftest import Api

NEW = {"accept": MEDIA_TYPE}
OLD = {"accept": "application/json"}


def post(api: Api, query: str, headers: dict[str, str], token: bool = True,
         variables: dict[str, Any] | None = None) -> tuple[int, str, dict[str, Any]]:
    auth = {"authorization": f"Bearer {api.login('cdjw', 'admin')}"} if token else {}
    response = api.client.post("/graphql", json={"query": query, "variables": variables or {}},
                               headers={**auth, **headers})
    return response.status_code, response.headers["content-type"], response.json()


@pytest.mark.parametrize(("query", "variables"), [
    ("{ tenant { name ", None),  # syntax
    ("{ tenant { nmae } }", None),  # validation
    ("query($y:Int!){ commendationBoard(year:$y) { reason } }", {"y": "abc"}),  # variables
], ids=["syntax", "validation", "variables"])
def test_request_errors_are_4xx_without_data(api: Api, query: str,
                                             variables: dict[str, Any] | None) -> None:
    status, content_type, body = post(api, query, NEW, variables=variables)
    assert status == 400, body
    assert content_type.startswith(MEDIA_TYPE)
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"]
    # application/json keeps today's answer: 200 with data null
    status, content_type, body = post(api, query, OLD, variables=variables)
    assert status == 200
    assert content_type.startswith("application/json")
    assert body["data"] is None


def test_executed_requests_answer_200_under_the_new_media_type(api: Api) -> None:
    status, content_type, body = post(api, "{ tenant { name } }", NEW)
    assert (status, content_type.split(";")[0]) == (200, MEDIA_TYPE)
    assert body["data"]["tenant"]["name"]
    # a field error is not a request error: the request executed
    status, _, body = post(api, '{ myDeclaration(periodId: "") { id } tenant { name } }', NEW)
    assert status == 200
    assert body["data"]["tenant"]["name"]


def test_anonymous_request_is_401_under_the_new_media_type(api: Api) -> None:
    status, content_type, body = post(api, "{ tenant { name } }", NEW, token=False)
    assert (status, content_type.split(";")[0]) == (401, MEDIA_TYPE)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(("content", "content_type"), [
    (b"{not json", "application/json"), (b"{}", "application/json"),
    (b"<q/>", "application/xml")], ids=["bad JSON", "no query", "unsupported type"])
def test_malformed_http_requests_answer_chinese_json(api: Api, content: bytes,
                                                     content_type: str) -> None:
    response = api.client.post("/graphql", content=content,
                               headers={"content-type": content_type})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]), error


@pytest.mark.parametrize(("accept", "wanted"), [
    (MEDIA_TYPE, True), (f"{MEDIA_TYPE}, application/json;q=0.9", True),
    (f"application/json, {MEDIA_TYPE};q=0.5", False), ("application/json", False),
    ("*/*", False), (None, False), (f"{MEDIA_TYPE};q=0", False), (f"{MEDIA_TYPE};q=x", False)])
def test_accept_negotiation(accept: str | None, wanted: bool) -> None:
    assert wants_graphql_response(accept) is wanted


@pytest.fixture(scope="module")
def closed(settings: Settings) -> Iterator[TestClient]:
    """The app as production runs it: introspection off."""
    from jixiao.app import create_app

    with TestClient(create_app(settings.replace(introspection=False))) as client:
        yield client


@pytest.mark.parametrize(("query", "suggestion"), [
    ("{ tenant { nam } }", "name"), ("{ tenan { name } }", "tenant"),
    ("{ people(frist: 1) { totalCount } }", "first"),
    ("{ __schema { types { name } } }", "__schema")])
def test_no_suggestions_when_introspection_is_off(api: Api, closed: TestClient, query: str,
                                                  suggestion: str) -> None:
    token = api.login("cdjw", "admin")
    response = closed.post("/graphql", json={"query": query},
                           headers={"authorization": f"Bearer {token}", **NEW})
    assert response.status_code == 400
    errors = response.json()["errors"]
    text = json.dumps(errors, ensure_ascii=False)
    assert "Did you mean" not in text
    if suggestion != "__schema":
        assert suggestion not in text, text
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e["message"]) for e in errors), text
