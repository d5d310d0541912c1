"""Imports take a file as a GraphQL multipart upload (``file``) beside Base64 (``contentBase64``).

Real multipart requests (the GraphQL multipart request spec: ``operations``, ``map`` and the
file parts) through the ASGI app, and over real HTTP for the body limit. A multipart POST is
refused without a header that forces a CORS preflight (CSRF).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from schema.uploads import ONE_OF
from tests.conftest import Api
from tests.live_server import live_url
from tests.plans_helpers import YEAR, scheme

__all__ = ["live_url"]

PREFLIGHT = {"apollo-require-preflight": "true"}
ROSTER = ("mutation($f:String!,$c:String,$file:Upload){ importRoster(input:{filename:$f,"
          "contentBase64:$c,file:$file}) { created updated userErrors { code message field } } }")
TASKS = ("mutation($y:Int!,$file:Upload!){ importTasks(year:$y, input:{filename:\"t.csv\","
         "file:$file}) { created userErrors { code message field row column } } }")
SCHEME = ("mutation($v:ID!,$file:Upload!){ importScheme(versionId:$v, input:{filename:"
          "\"s.xlsx\",file:$file}) { indicators dimensions userErrors { code message field } } }")
EXPORT = "query($v:ID!){ exportScheme(versionId:$v) { contentBase64 } }"
CSV = ("工号,姓名,性别,部门,岗位,职级,比较组,参加考核\n"
       "N001,李上传,男,d1,科员,四级主任科员,干部,是\n"
       "N002,王上传,女,d2,科员,一级科员,干部,是\n").encode()
COUNT = "{ people(first:1, filter:{status:null}) { totalCount } }"


def upload(api: Api, tenant: str, query: str, variables: dict[str, Any], content: bytes,
           filename: str = "r.csv", headers: dict[str, str] | None = None) -> tuple[int, Any]:
    """One multipart request as the spec shapes it; the file travels as the ``file`` part."""
    token = api.login(tenant, "admin")
    response = api.client.post(
        "/graphql",
        data={"operations": json.dumps({"query": query, "variables": {**variables,
                                                                       "file": None}}),
              "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (filename, content, "application/octet-stream")},
        headers={"authorization": f"Bearer {token}", **(PREFLIGHT if headers is None
                                                         else headers)})
    assert response.headers["content-type"].startswith("application/json"), response.text
    return response.status_code, response.json()


def total(api: Api, tenant: str) -> int:
    return int(api.as_(tenant, "admin", COUNT)["data"]["people"]["totalCount"])


@pytest.fixture
def tenant(make_tenant: Any) -> str:
    code: str = make_tenant(people=6)
    return code


def test_roster_import_takes_a_multipart_file(api: Api, tenant: str) -> None:
    before = total(api, tenant)
    status, body = upload(api, tenant, ROSTER, {"f": "花名册.csv"}, CSV)
    assert status == 200, body
    assert body["data"]["importRoster"] == {"created": 2, "updated": 0, "userErrors": []}
    assert total(api, tenant) == before + 2


def test_base64_still_works(api: Api, tenant: str) -> None:
    body = api.as_(tenant, "admin", ROSTER, {"f": "r.csv", "c": base64.b64encode(CSV).decode()})
    assert body["data"]["importRoster"]["created"] == 2, body


@pytest.mark.parametrize("sent", ["both", "neither"])
def test_exactly_one_of_file_and_base64(api: Api, tenant: str, sent: str) -> None:
    before = total(api, tenant)
    if sent == "both":
        _, body = upload(api, tenant, ROSTER, {"f": "r.csv", "c": base64.b64encode(CSV).decode()},
                         CSV)
    else:
        body = api.as_(tenant, "admin", ROSTER, {"f": "r.csv"})
    payload = body["data"]["importRoster"]
    assert payload["created"] == 0
    assert payload["userErrors"] == [{"code": "INVALID", "field": "file", "message": ONE_OF}]
    assert total(api, tenant) == before


def test_file_as_a_json_value_is_a_user_error(api: Api, tenant: str) -> None:
    body = api.as_(tenant, "admin", ROSTER, {"f": "r.csv", "file": "not a file"})
    assert body["data"]["importRoster"]["userErrors"][0]["field"] == "file", body


def test_spreadsheet_caps_apply_to_an_uploaded_file(api: Api, tenant: str) -> None:
    """A file that is not a spreadsheet is refused by the spreadsheet reader, naming ``file``."""
    _, body = upload(api, tenant, ROSTER, {"f": "r.xlsx"}, b"PK\x03\x04 not a zip", "r.xlsx")
    errors = body["data"]["importRoster"]["userErrors"]
    assert [(e["code"], e["field"]) for e in errors] == [("INVALID", "file")], body
    assert "Excel" in errors[0]["message"]


def test_task_import_takes_a_multipart_file(api: Api, tenant: str) -> None:
    csv = ("任务编号,任务名称,任务来源,责任部门,完成时限\n"
           f"RW-01,上传的任务,临时交办,d1,{YEAR}-12-31\n").encode()
    _, body = upload(api, tenant, TASKS, {"y": YEAR}, csv, "t.csv")
    assert body["data"]["importTasks"] == {"created": 1, "userErrors": []}, body


def test_scheme_import_takes_a_multipart_file(api: Api, tenant: str) -> None:
    draft = scheme(api, tenant)["draft"]["id"]
    exported = api.as_(tenant, "admin", EXPORT, {"v": draft})["data"]["exportScheme"]
    _, body = upload(api, tenant, SCHEME, {"v": draft},
                     base64.b64decode(exported["contentBase64"]), "s.xlsx")
    payload = body["data"]["importScheme"]
    assert payload["userErrors"] == [], body
    assert payload["indicators"] > 0


@pytest.mark.parametrize("headers", [{}, {"apollo-require-preflight": ""}],
                         ids=["no header", "empty header"])
def test_multipart_without_a_preflight_header_is_refused(api: Api, tenant: str,
                                                         headers: dict[str, str]) -> None:
    before = total(api, tenant)
    status, body = upload(api, tenant, ROSTER, {"f": "r.csv"}, CSV, headers=headers)
    assert status == 400
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "CSRF_PREVENTED"
    assert "CSRF" in body["errors"][0]["message"]
    assert total(api, tenant) == before


def test_operation_name_header_also_forces_a_preflight(api: Api, tenant: str) -> None:
    status, body = upload(api, tenant, ROSTER, {"f": "r.csv"}, CSV,
                          headers={"x-apollo-operation-name": "ImportRoster"})
    assert status == 200
    assert body["data"]["importRoster"]["created"] == 2, body


def test_form_posts_and_plain_text_are_refused(api: Api) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        response = api.client.post("/graphql", content=b'{"query":"{ __typename }"}',
                                   headers={"content-type": content_type})
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_PREVENTED"


def _multipart_chunks(total: int) -> Iterator[bytes]:
    boundary = b"--x"
    yield (boundary + b'\r\ncontent-disposition: form-data; name="operations"\r\n\r\n'
           + json.dumps({"query": ROSTER, "variables": {"f": "r.csv", "file": None}}).encode()
           + b"\r\n" + boundary + b'\r\ncontent-disposition: form-data; name="map"\r\n\r\n'
           + b'{"0": ["variables.file"]}\r\n' + boundary
           + b'\r\ncontent-disposition: form-data; name="0"; filename="r.csv"\r\n\r\n')
    sent = 0
    while sent < total:
        chunk = b"a" * min(256 * 1024, total - sent)
        sent += len(chunk)
        yield chunk
    yield b"\r\n" + boundary + b"--\r\n"


def test_multipart_body_over_the_limit_gets_413_json(live_url: str) -> None:
    response = httpx2.post(f"{live_url}/graphql", content=_multipart_chunks(25 * 1024 * 1024),
                           headers={"content-type": "multipart/form-data; boundary=x",
                                    **PREFLIGHT}, timeout=60)
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize(("form", "message"), [
    ({"operations": json.dumps({"query": "{ __typename }", "variables": {"a": "x" * 2 ** 21}}),
      "map": "{}"}, "过大"),
    ({"operations": "{not json", "map": "{}"}, "JSON"),
    ({"operations": json.dumps({"query": "{ __typename }"}), "map": "[1]"}, "multipart"),
    ({"operations": json.dumps({"query": "{ __typename }"}),
      "map": json.dumps({"q": ["variables.file"]})}, "缺少"),
], ids=["operations over 1 MB", "operations not JSON", "map not an object", "file missing"])
def test_malformed_multipart_answers_400_chinese_json(api: Api, tenant: str,
                                                      form: dict[str, str], message: str) -> None:
    response = api.client.post("/graphql", data=form, files={"z": ("a.csv", b"1")}, headers={
        "authorization": f"Bearer {api.login(tenant, 'admin')}", **PREFLIGHT})
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert message in error["message"]
