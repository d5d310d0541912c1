"""三员分立: the system, security and audit administrators, one per account; the audit
administrator reads the audit log and changes nothing."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    build_schema,
)
from graphql.pyutils import Undefined

from tests.conftest import Api

SDL = build_schema((Path(__file__).parent.parent / "schema" / "schema.graphql").read_text())

# What any signed-in person does for their own account; the audit administrator may too.
OWN_ACCOUNT = {"login", "logout", "refreshSession", "changePassword", "markNotificationsRead",
               "setNotificationEmail",
               "beginTotpEnrollment", "confirmTotpEnrollment", "startAuditLogExport"}

# Permissions that depend on the target (self, managed, assigned): the target is looked up
# first, and one the caller may not see answers "not found", like another tenant's would.
TARGET_FIRST = {"claimCredit", "confirmPointRecord", "createTask", "decomposeTask",
                "endCareAction", "recordCareAction", "recordTaskProgress", "rectifyOverdueItem",
                "setMilestoneDone", "setTaskStatus", "updateTask"}

ACCOUNTS = "{ accounts { id username roles } }"
GRANT = ("mutation($a:ID!,$r:Role!){ grantRole(accountId:$a, role:$r) { account { roles } "
         "userErrors { code message field } } }")
CREATE = ("mutation($r:[Role!]!){ createAccount(input:{username:\"dual\",password:\"Abcd@1234\","
          "roles:$r}) { account { id } userErrors { code message field } } }")


def _accounts(api: Api, code: str, who: str = "admin") -> dict[str, dict[str, Any]]:
    rows = api.as_(code, who, ACCOUNTS)["data"]["accounts"]
    return {r["username"]: r for r in rows}


def test_one_account_cannot_hold_two_of_the_three(api: Api, make_tenant: Any) -> None:
    code = make_tenant()
    accounts = _accounts(api, code, "anquan")
    for granter in ("anquan", "admin"):
        for username, role in (("xitong", "audit_admin"), ("xitong", "security_admin"),
                               ("shenji", "system_admin")):
            refused = api.as_(code, granter, GRANT, {"a": accounts[username]["id"], "r": role})
            (error,) = refused["data"]["grantRole"]["userErrors"]
            assert error["code"] == "ROLES_INCOMPATIBLE", error
            assert "三员分立" in error["message"]
    created = api.as_(code, "anquan", CREATE, {"r": ["system_admin", "audit_admin"]})
    assert created["data"]["createAccount"]["account"] is None
    assert created["data"]["createAccount"]["userErrors"][0]["code"] == "ROLES_INCOMPATIBLE"
    token = api.as_(code, "xitong", "mutation{ createApiToken(name:\"oa\", roles:[security_admin,"
                    " audit_admin]) { token userErrors { code } } }")["data"]["createApiToken"]
    assert token["token"] is None
    assert token["userErrors"][0]["code"] == "ROLES_INCOMPATIBLE"
    # nothing was granted, and one of the three beside business roles is fine
    after = _accounts(api, code, "anquan")
    assert after["xitong"]["roles"] == ["system_admin"]
    assert after["shenji"]["roles"] == ["audit_admin"]
    ok = api.as_(code, "anquan", GRANT, {"a": accounts["ganbu"]["id"], "r": "audit_admin"})
    assert ok["data"]["grantRole"]["userErrors"] == []
    assert sorted(ok["data"]["grantRole"]["account"]["roles"]) == ["audit_admin", "staff"]
    single = api.as_(code, "anquan", CREATE, {"r": ["security_admin", "staff"]})
    assert single["data"]["createAccount"]["userErrors"] == []


def test_nobody_grants_a_role_to_themselves(api: Api, make_tenant: Any) -> None:
    code = make_tenant()
    accounts = _accounts(api, code)
    for username, role in (("anquan", "tenant_admin"), ("admin", "security_admin")):
        refused = api.as_(code, username, GRANT, {"a": accounts[username]["id"], "r": role})
        (error,) = refused["data"]["grantRole"]["userErrors"]
        assert error["code"] == "SELF_GRANT"
        assert error["message"] == "不能给自己授予角色"
    assert _accounts(api, code)["anquan"]["roles"] == ["security_admin"]


def test_each_administrator_does_only_their_part(api: Api, make_tenant: Any) -> None:
    code = make_tenant()
    accounts = _accounts(api, code)
    # the security administrator manages accounts, not settings or tokens
    assert api.as_(code, "anquan", GRANT, {"a": accounts["ganbu"]["id"], "r": "office"})[
        "data"]["grantRole"]["userErrors"] == []
    token = "mutation{ createApiToken(name:\"oa\", roles:[staff]) { token userErrors { code } } }"
    assert api.as_(code, "anquan", token)["data"]["createApiToken"]["userErrors"][0][
        "code"] == "FORBIDDEN"
    # the system administrator manages tokens, not accounts
    assert api.as_(code, "xitong", token)["data"]["createApiToken"]["userErrors"] == []
    assert api.as_(code, "xitong", GRANT, {"a": accounts["ganbu"]["id"], "r": "staff"})[
        "data"]["grantRole"]["userErrors"][0]["code"] == "FORBIDDEN"
    # neither reads the audit log nor anyone's appraisal data
    for who in ("xitong", "anquan"):
        body = api.as_(code, who, "{ auditLog { action } }")
        assert body["data"] is None or body["data"].get("auditLog") is None, body
    for who in ("xitong", "anquan", "shenji"):
        people = api.as_(code, who, "{ people { totalCount } }")
        assert people.get("data") is None or people["data"]["people"]["totalCount"] == 0, people


def _dummy(kind: GraphQLInputType) -> Any:
    if isinstance(kind, GraphQLNonNull):
        return _dummy(kind.of_type)
    if isinstance(kind, GraphQLList):
        return [_dummy(kind.of_type)]
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLInputObjectType):
        return {name: _dummy(f.type) for name, f in kind.fields.items()
                if (isinstance(f.type, GraphQLNonNull) and f.default_value is Undefined)
                or name in ("id", "personId", "periodId")}
    assert isinstance(kind, GraphQLScalarType)
    return {"ID": str(uuid.uuid4()), "Int": 2026, "Float": 1.0, "Boolean": False,
            "Date": "2026-03-01", "DateTime": "2026-03-01T09:00:00+08:00", "Decimal": "1",
            "Cents": 100, "JSON": {}, "Upload": None}.get(kind.name, "x")


def _call(name: str) -> tuple[str, dict[str, Any]]:
    field = SDL.mutation_type.fields[name]  # type: ignore[union-attr]
    args = {a: arg for a, arg in field.args.items()
            if isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined}
    declared = ",".join(f"${a}:{arg.type}" for a, arg in args.items())
    passed = ",".join(f"{a}:${a}" for a in args)
    result = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    selection = ("{ __typename userErrors { code message } }"
                 if isinstance(result, GraphQLObjectType) and "userErrors" in result.fields
                 else "{ __typename }" if isinstance(result, GraphQLObjectType) else "")
    query = (f"mutation{f'({declared})' if declared else ''}"
             f"{{ {name}{f'({passed})' if passed else ''} {selection} }}")
    return query, {a: _dummy(arg.type) for a, arg in args.items()}


def _code(body: dict[str, Any], name: str) -> str | None:
    if body.get("errors"):
        return str(body["errors"][0].get("extensions", {}).get("code"))
    errors = (body["data"][name] or {}).get("userErrors") or [{}]
    return errors[0].get("code")


def test_the_audit_admin_reads_the_log_and_changes_nothing(api: Api, make_tenant: Any) -> None:
    code = make_tenant()
    accounts = _accounts(api, code)
    # what there is to read: a failed login, a role grant, an unlock
    api.call(f"mutation{{ login(tenantCode:\"{code}\", username:\"ganbu\", password:\"wrong-1\")"
             " { token } }")
    api.as_(code, "anquan", GRANT, {"a": accounts["ganbu"]["id"], "r": "office"})
    api.as_(code, "anquan", "mutation($a:ID!){ unlockAccount(accountId:$a) { userErrors "
            "{ code } } }", {"a": accounts["ganbu"]["id"]})
    log = api.as_(code, "shenji", "{ auditLog(first:500) { action actor } }")["data"]["auditLog"]
    actions = {e["action"] for e in log}
    assert {"login.success", "login.failure", "role.grant", "account.unlock"} <= actions
    tried = []
    for name in sorted(SDL.mutation_type.fields):  # type: ignore[union-attr]
        if name in OWN_ACCOUNT:
            continue
        query, variables = _call(name)
        if None in variables.values():  # an upload the loop cannot make up
            continue
        body = api.as_(code, "shenji", query, variables)
        expected = {"FORBIDDEN", "NOT_FOUND"} if name in TARGET_FIRST else {"FORBIDDEN"}
        assert _code(body, name) in expected, (name, body)
        tried.append(name)
    assert len(tried) > 60
    # the log shows no change by the audit administrator
    mine = f"account:{accounts['shenji']['id']}"
    after = api.as_(code, "admin", "{ auditLog(first:500) { action actor } }")["data"]["auditLog"]
    assert [e["action"] for e in after if e["actor"] == mine] == ["login.success"]
