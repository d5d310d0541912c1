"""Tenant isolation: every query and mutation, aimed at another tenant's ids, finds nothing and
changes nothing; and below the application, row-level security alone confines each tenant.

Adding a field to the schema without a case here fails ``test_every_field_has_a_case``.
"""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from jixiao.settings import Settings
from schema import schema_shape
from tenants.db import make_engine, make_sessionmaker, tenant_transaction
from tests.conftest import Api
from tests.factories import seed_plan
from tests.isolation_annual import ANNUAL_CASES, ANNUAL_TABLES, annual_ids
from tests.isolation_checks import Check, nothing, refused, value_at
from tests.isolation_checks import none_of_b as only_own
from tests.isolation_feedback import (
    FEEDBACK_CASES,
    FEEDBACK_SNAPSHOT,
    FEEDBACK_TABLES,
    feedback_ids,
)
from tests.isolation_jobs import JOB_CASES, JOB_SNAPSHOT, JOB_TABLES, job_ids
from tests.isolation_notifications import (
    NOTIFICATION_CASES,
    NOTIFICATION_TABLES,
    notification_ids,
)
from tests.isolation_oversight import (
    OVERSIGHT_CASES,
    OVERSIGHT_SNAPSHOT,
    OVERSIGHT_TABLES,
    oversight_ids,
)
from tests.isolation_pages import PAGE_CASES
from tests.isolation_plans import PLAN_CASES, PLAN_TABLES, plan_ids
from tests.isolation_push_rules import (
    PUSH_RULE_CASES,
    PUSH_RULE_SNAPSHOT,
    PUSH_RULE_TABLES,
    push_rule_ids,
)
from tests.isolation_ratings import RATING_CASES, RATING_TABLES, rating_ids

TENANT_TABLES = ["org_units", "posts", "people", "accounts", "account_sessions", "role_grants",
                 "management_relations", "api_tokens", "login_throttle", "login_address_throttle",
                 "audit_log", "periods",
                 "person_results", "unit_results"]
TENANT_TABLES += PLAN_TABLES
TENANT_TABLES += FEEDBACK_TABLES
TENANT_TABLES += JOB_TABLES
TENANT_TABLES += RATING_TABLES
TENANT_TABLES += OVERSIGHT_TABLES
TENANT_TABLES += PUSH_RULE_TABLES
TENANT_TABLES += ANNUAL_TABLES
TENANT_TABLES += NOTIFICATION_TABLES


@dataclass
class Tenants:
    a: str
    b: str
    ids: dict[str, str]  # ids of B's rows
    a_unit: str


SNAPSHOT = """{
  people(first: 200, filter: {status: null}) { edges { node { id name unitId postId status
    comparisonGroup appraised } } }
  orgUnits { id name code parentId kind } posts { id name code unitId }
  managementRelations { id kind unitId manager { personId } }
  accounts { id username disabled roles personId } apiTokens { id name revokedAt }
  periods { id state deadlines { state at } } tenantSettings
  """ + FEEDBACK_SNAPSHOT + """
  """ + JOB_SNAPSHOT + """
  """ + OVERSIGHT_SNAPSHOT + """
  """ + PUSH_RULE_SNAPSHOT + """
  overdueItems(asOf: "2026-12-31") { taskId milestoneId }
  auditLog(first: 500) { id action entityId }
}"""


def snapshot(api: Api, code: str) -> dict[str, Any]:
    body = api.as_(code, "admin", SNAPSHOT)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    # The login case knocks at B's own door with a wrong password: B's audit log rightly keeps
    # the attempt (resolvers/org/login.py); that is no change made through A.
    data["auditLog"] = [e for e in data["auditLog"] if not e["action"].startswith("login.")]
    return data


@pytest.fixture(scope="module")
def tenants(api: Api, make_tenant: Any, settings: Settings) -> Tenants:
    a, b = make_tenant(people=12), make_tenant(people=12)
    plan = asyncio.run(seed_plan(settings, b, 2026))
    data = snapshot(api, b)
    token = api.as_(b, "admin",
                    "mutation{createApiToken(name:\"OA\",roles:[office]){apiToken{id}}}")
    person = data["people"]["edges"][0]["node"]
    unit = next(u for u in data["orgUnits"] if u["code"] == "d1")
    ids = {"person": person["id"], "unit": unit["id"], "post": data["posts"][0]["id"],
           "account": data["accounts"][0]["id"],
           "relation": data["managementRelations"][0]["id"],
           "token": token["data"]["createApiToken"]["apiToken"]["id"]}
    period = api.as_(b, "admin", "mutation{createPeriod(input:{kind:quarter,year:2026,quarter:1})"
                     "{period{id}}}")["data"]["createPeriod"]["period"]["id"]
    ids["period"] = period
    for step in ("executing", "declaring"):
        api.as_(b, "admin", "mutation($id:ID!,$s:PeriodState!){advancePeriod(id:$id,toState:$s)"
                "{userErrors{code}}}", {"id": period, "s": step})
    saved = api.as_(b, "ganbu", "mutation($p:ID!,$t:ID!){saveDeclaration(periodId:$p,items:"
                    "[{title:\"实绩\",content:\"内容\",taskId:$t}]){declaration{id}}}",
                    {"p": period, "t": plan["mine"]})
    ids["declaration"] = saved["data"]["saveDeclaration"]["declaration"]["id"]
    ids["task"] = plan["mine"]
    ids["node"] = plan["credit"]
    issued = api.as_(b, "bangong", "mutation($n:ID!,$p:ID!){issuePointRecord(input:{indicatorId:"
                     "$n,personId:$p,occurredOn:\"2026-05-01\",reason:\"点赞\"}){record{id}}}",
                     {"n": plan["credit"], "p": person["id"]})
    ids["record"] = issued["data"]["issuePointRecord"]["record"]["id"]
    ids.update(plan_ids(api, b))
    ids.update(feedback_ids(api, settings, b))
    ids.update(job_ids(api, settings, b))
    ids.update(rating_ids(api, settings, b))
    ids.update(oversight_ids(api, settings, b))
    ids.update(push_rule_ids(api, b, plan, person["id"]))
    ids.update(annual_ids(api, b))
    ids.update(notification_ids(api, b))
    a_unit = next(u["id"] for u in snapshot(api, a)["orgUnits"] if u["code"] == "d1")
    return Tenants(a, b, ids, a_unit)


def in_tenant_a(path: str) -> Check:
    def check(body: dict[str, Any], t: Tenants) -> None:
        assert value_at(body, path) == t.a, body

    return check


ROSTER = base64.b64encode("工号,姓名,部门\nP001,改名测试,d1\n".encode()).decode()

# field -> (operation, variables from B's ids, check)
CASES: dict[str, tuple[str, Callable[[Tenants], dict[str, Any]], Check]] = {
    "me": ("{ me { tenant { code } } }", lambda t: {}, in_tenant_a("me.tenant.code")),
    "tenant": ("{ tenant { code } }", lambda t: {}, in_tenant_a("tenant.code")),
    "orgTree": ("{ orgTree { id children { id children { id } } } }", lambda t: {},
                only_own("orgTree")),
    "orgUnits": ("{ orgUnits { id } }", lambda t: {}, only_own("orgUnits")),
    "orgUnit": ("query($id:ID!){ orgUnit(id:$id) { id } }", lambda t: {"id": t.ids["unit"]},
                nothing("orgUnit")),
    "people": ("query($u:ID!){ people(filter:{unitId:$u}) { totalCount } }",
               lambda t: {"u": t.ids["unit"]}, nothing("people.totalCount")),
    "person": ("query($id:ID!){ person(id:$id) { id } }", lambda t: {"id": t.ids["person"]},
               nothing("person")),
    "posts": ("{ posts { id } }", lambda t: {}, only_own("posts")),
    "managementRelations": ("{ managementRelations { id } }", lambda t: {},
                            only_own("managementRelations")),
    "accounts": ("{ accounts { id } }", lambda t: {}, only_own("accounts")),
    "apiTokens": ("{ apiTokens { id } }", lambda t: {}, only_own("apiTokens")),
    "auditLog": ("query($e:String!){ auditLog(entityId:$e) { id } }",
                 lambda t: {"e": t.ids["token"]}, nothing("auditLog")),
    "platformTenants": ("{ platformTenants { code } }", lambda t: {}, nothing("platformTenants")),
    "periods": ("{ periods { id } }", lambda t: {}, only_own("periods")),
    # The portal's API (issue 15): B's period finds nothing; the lists carry no tenant's ids.
    "leaderDashboard": ("query($p:ID!){ leaderDashboard(periodId:$p) { results } }",
                        lambda t: {"p": t.ids["period"]}, nothing("leaderDashboard")),
    "reviewQuotas": ("query($p:ID!){ reviewQuotas(periodId:$p) { appraised } }",
                     lambda t: {"p": t.ids["period"]}, nothing("reviewQuotas")),
    "resultsBoard": ("query($p:ID!){ resultsBoard(periodId:$p) }",
                     lambda t: {"p": t.ids["period"]}, nothing("resultsBoard")),
    "periodStages": ("{ periodStages { state label } }", lambda t: {}, lambda body, t: None),
    "auditVocabulary": ("{ auditVocabulary { actions { code } } }", lambda t: {},
                        lambda body, t: None),
    "tenantKinds": ("{ tenantKinds { kind } }", lambda t: {}, lambda body, t: None),
    "tenantSettingsDefaults": ("{ tenantSettingsDefaults }", lambda t: {},
                               lambda body, t: None),
    "rosterTemplate": ("{ rosterTemplate { filename } }", lambda t: {}, lambda body, t: None),
    "taskTemplate": ("{ taskTemplate { filename } }", lambda t: {}, lambda body, t: None),
    "resetTenantAdminPassword": (
        "mutation($t:ID!){ resetTenantAdminPassword(tenantId:$t) { initialPassword "
        "userErrors { code } } }", lambda t: {"t": t.ids["period"]},
        refused("resetTenantAdminPassword", "FORBIDDEN", "NOT_FOUND", result="initialPassword")),
    "period": ("query($id:ID!){ period(id:$id) { id } }", lambda t: {"id": t.ids["period"]},
               nothing("period")),
    "tenantSettings": ("{ tenantSettings }", lambda t: {}, lambda body, t: None),
    "myDeclaration": ("query($p:ID!){ myDeclaration(periodId:$p) { id } }",
                      lambda t: {"p": t.ids["period"]}, nothing("myDeclaration")),
    "declarationSources": ("query($p:ID!){ declarationSources(periodId:$p) { tasks { id } } }",
                           lambda t: {"p": t.ids["period"]}, nothing("declarationSources")),
    "declarations": ("query($p:ID!){ declarations(periodId:$p) { totalCount } }",
                     lambda t: {"p": t.ids["period"]}, nothing("declarations.totalCount")),
    "declaration": ("query($id:ID!){ declaration(id:$id) { id } }",
                    lambda t: {"id": t.ids["declaration"]}, nothing("declaration")),
    "undeclaredPeople": ("query($p:ID!){ undeclaredPeople(periodId:$p) { id } }",
                         lambda t: {"p": t.ids["period"]}, nothing("undeclaredPeople")),
    "supervisionSummary": ("{ supervisionSummary(asOf:\"2026-12-31\") { overdueItems "
                           "{ taskId } } }", lambda t: {},
                           lambda body, t: None if all(
                               i["taskId"] not in t.ids.values()
                               for s in body["data"]["supervisionSummary"]
                               for i in s["overdueItems"]) else pytest.fail(str(body))),
    "overdueItems": ("{ overdueItems(asOf:\"2026-12-31\") { id: taskId } }", lambda t: {},
                     only_own("overdueItems")),
    "overdueItemsPage": ("{ overdueItemsPage(asOf:\"2026-12-31\") { nodes { id: taskId } } }",
                         lambda t: {}, only_own("overdueItemsPage.nodes")),
    "pendingCreditClaims": ("{ pendingCreditClaims { nodes { id personId } } }", lambda t: {},
                            only_own("pendingCreditClaims.nodes")),
    "commendationBoard": ("{ commendationBoard(year:2026) { id } }", lambda t: {},
                          only_own("commendationBoard")),
    "personPointTotals": ("query($p:ID!){ personPointTotals(personId:$p, year:2026) "
                          "{ indicatorCode } }", lambda t: {"p": t.ids["person"]},
                          nothing("personPointTotals")),
    "personPointSummary": ("query($p:ID!){ personPointSummary(personId:$p, year:2026) "
                           "{ creditRawTotal } }", lambda t: {"p": t.ids["person"]},
                           nothing("personPointSummary")),
    "personPointRecords": ("query($p:ID!){ personPointRecords(personId:$p, year:2026) { id } }",
                           lambda t: {"p": t.ids["person"]}, nothing("personPointRecords")),
    # --- mutations
    "issuePointRecord": ("mutation($n:ID!){ issuePointRecord(input:{indicatorId:$n, occurredOn:"
                         "\"2026-05-01\", reason:\"x\"}) { userErrors { code } } }",
                         lambda t: {"n": t.ids["node"]}, refused("issuePointRecord")),
    "claimCredit": ("mutation($n:ID!){ claimCredit(input:{indicatorId:$n, occurredOn:"
                    "\"2026-05-01\", reason:\"x\"}) { userErrors { code } } }",
                    lambda t: {"n": t.ids["node"]}, refused("claimCredit")),
    "confirmPointRecord": ("mutation($id:ID!){ confirmPointRecord(id:$id, confirmed:true) "
                           "{ userErrors { code } } }", lambda t: {"id": t.ids["record"]},
                           refused("confirmPointRecord")),
    "saveDeclaration": ("mutation($p:ID!){ saveDeclaration(periodId:$p, items:[]) "
                        "{ userErrors { code } } }", lambda t: {"p": t.ids["period"]},
                        refused("saveDeclaration")),
    "submitDeclaration": ("mutation($p:ID!){ submitDeclaration(periodId:$p) "
                          "{ userErrors { code } } }", lambda t: {"p": t.ids["period"]},
                          refused("submitDeclaration")),
    "recordTaskProgress": ("mutation($t:ID!){ recordTaskProgress(input:{taskId:$t, recordedOn:"
                           "\"2026-06-01\", note:\"x\"}) { userErrors { code } } }",
                           lambda t: {"t": t.ids["task"]}, refused("recordTaskProgress")),
    "rectifyOverdueItem": ("mutation($t:ID!){ rectifyOverdueItem(taskId:$t, note:\"整改说明\","
                           " rectifiedOn:\"2026-06-30\") { userErrors { code } } }",
                           lambda t: {"t": t.ids["task"]}, refused("rectifyOverdueItem")),
    "pushTaskCompletion": ("mutation($t:ID!){ pushTaskCompletion(externalId:\"x1\", taskId:$t,"
                           " completedOn:\"2026-06-01\") { userErrors { code } } }",
                           lambda t: {"t": t.ids["task"]},
                           refused("pushTaskCompletion", "FORBIDDEN", "NOT_FOUND")),
    "pushSupervisionResult": ("mutation($t:ID!){ pushSupervisionResult(externalId:\"x2\", "
                              "input:{taskId:$t, recordedOn:\"2026-06-01\", note:\"x\"}) "
                              "{ userErrors { code } } }", lambda t: {"t": t.ids["task"]},
                              refused("pushSupervisionResult", "FORBIDDEN", "NOT_FOUND")),
    "createPeriod": ("mutation{ createPeriod(input:{kind:year,year:2026}) { userErrors { code }"
                     " } }", lambda t: {}, lambda body, t: None),  # lands in A
    "setPeriodDeadlines": ("mutation($id:ID!){ setPeriodDeadlines(id:$id, deadlines:[]) "
                           "{ userErrors { code } } }", lambda t: {"id": t.ids["period"]},
                           refused("setPeriodDeadlines")),
    "advancePeriod": ("mutation($id:ID!){ advancePeriod(id:$id, toState:executing) "
                      "{ userErrors { code } } }", lambda t: {"id": t.ids["period"]},
                      refused("advancePeriod")),
    "reopenPeriod": ("mutation($id:ID!){ reopenPeriod(id:$id, reason:\"理由充分\") "
                     "{ userErrors { code } } }", lambda t: {"id": t.ids["period"]},
                     refused("reopenPeriod")),
    "updateTenantSettings": ("mutation{ updateTenantSettings(settings:{declarations:"
                             "{max_items:3}}) { userErrors { code } } }", lambda t: {},
                             lambda body, t: None),  # changes A only; B's snapshot compared
    "login": ("mutation($c:String!){ login(tenantCode:$c, username:\"ganbu\", "
              "password:\"wrong-password\") { token userErrors { code } } }",
              lambda t: {"c": t.b}, refused("login", "INVALID_CREDENTIALS")),
    "createOrgUnit": ("mutation($p:ID!){ createOrgUnit(input:{name:\"x\",code:\"x1\","
                      "parentId:$p}) { unit { id } userErrors { code } } }",
                      lambda t: {"p": t.ids["unit"]}, refused("createOrgUnit")),
    "updateOrgUnit": ("mutation($id:ID!){ updateOrgUnit(id:$id, input:{name:\"x\",code:\"x2\"})"
                      " { unit { id } userErrors { code } } }",
                      lambda t: {"id": t.ids["unit"]}, refused("updateOrgUnit")),
    "deleteOrgUnit": ("mutation($id:ID!){ deleteOrgUnit(id:$id) { deletedId userErrors { code }"
                      " } }", lambda t: {"id": t.ids["unit"]}, refused("deleteOrgUnit")),
    "createPost": ("mutation($u:ID!){ createPost(input:{name:\"x\",code:\"x3\",unitId:$u})"
                   " { post { id } userErrors { code } } }",
                   lambda t: {"u": t.ids["unit"]}, refused("createPost")),
    "updatePost": ("mutation($id:ID!){ updatePost(id:$id, input:{name:\"x\",code:\"x4\"})"
                   " { post { id } userErrors { code } } }",
                   lambda t: {"id": t.ids["post"]}, refused("updatePost")),
    "createPerson": ("mutation($u:ID!){ createPerson(input:{employeeNo:\"X9\",name:\"某某\","
                     "unitId:$u}) { person { id } userErrors { code } } }",
                     lambda t: {"u": t.ids["unit"]}, refused("createPerson")),
    "updatePerson": ("mutation($id:ID!,$u:ID!){ updatePerson(id:$id, input:{employeeNo:\"X8\","
                     "name:\"某某\",unitId:$u}) { person { id } userErrors { code } } }",
                     lambda t: {"id": t.ids["person"], "u": t.a_unit}, refused("updatePerson")),
    "addManagementRelation": ("mutation($m:ID!,$u:ID!){ addManagementRelation(managerId:$m,"
                              "kind:department_head,unitId:$u) { relation { id }"
                              " userErrors { code } } }",
                              lambda t: {"m": t.ids["person"], "u": t.a_unit},
                              refused("addManagementRelation")),
    "removeManagementRelation": ("mutation($id:ID!){ removeManagementRelation(id:$id)"
                                 " { deletedId userErrors { code } } }",
                                 lambda t: {"id": t.ids["relation"]},
                                 refused("removeManagementRelation")),
    "importRoster": ("mutation($c:String!){ importRoster(input:{filename:\"r.csv\","
                     "contentBase64:$c}) { created updated userErrors { code } } }",
                     lambda t: {"c": ROSTER}, lambda body, t: None),  # lands in A; B unchanged
    "createAccount": ("mutation($p:ID!){ createAccount(input:{username:\"zz\",password:"
                      "\"Long#Password1\",personId:$p}) { account { id } userErrors { code } } }",
                      lambda t: {"p": t.ids["person"]}, refused("createAccount")),
    "grantRole": ("mutation($a:ID!){ grantRole(accountId:$a, role:tenant_admin) { account { id }"
                  " userErrors { code } } }", lambda t: {"a": t.ids["account"]},
                  refused("grantRole")),
    "revokeRole": ("mutation($a:ID!){ revokeRole(accountId:$a, role:tenant_admin) { account"
                   " { id } userErrors { code } } }", lambda t: {"a": t.ids["account"]},
                   refused("revokeRole")),
    "setAccountDisabled": ("mutation($a:ID!){ setAccountDisabled(accountId:$a, disabled:true)"
                           " { account { id } userErrors { code } } }",
                           lambda t: {"a": t.ids["account"]}, refused("setAccountDisabled")),
    "unlockAccount": ("mutation($a:ID!){ unlockAccount(accountId:$a) { account { id }"
                      " userErrors { code } } }", lambda t: {"a": t.ids["account"]},
                      refused("unlockAccount")),
    "createApiToken": ("mutation{ createApiToken(name:\"t\",roles:[office]) { token"
                       " userErrors { code } } }", lambda t: {}, lambda body, t: None),
    "revokeApiToken": ("mutation($id:ID!){ revokeApiToken(id:$id) { apiToken { id }"
                       " userErrors { code } } }", lambda t: {"id": t.ids["token"]},
                       refused("revokeApiToken")),
    "resetPassword": ("mutation($a:ID!){ resetPassword(accountId:$a) { initialPassword"
                      " userErrors { code } } }", lambda t: {"a": t.ids["account"]},
                      refused("resetPassword", result="initialPassword")),
    # No ids: they act on the caller's own account and session only.
    "changePassword": ("mutation{ changePassword(currentPassword:\"not-mine\", newPassword:"
                       "\"Other#Tenant1\") { token userErrors { code } } }", lambda t: {},
                       refused("changePassword", "INVALID_CREDENTIALS")),
    "refreshSession": ("mutation{ refreshSession { token userErrors { code } } }",
                       lambda t: {}, lambda body, t: None),
    "beginTotpEnrollment": ("mutation{ beginTotpEnrollment { secret userErrors { code } } }",
                            lambda t: {}, lambda body, t: None),
    "confirmTotpEnrollment": ("mutation{ confirmTotpEnrollment(code:\"000000\") { account"
                              " { id } userErrors { code } } }", lambda t: {},
                              lambda body, t: None),
    "resetTotp": ("mutation($a:ID!){ resetTotp(accountId:$a) { account { id }"
                  " userErrors { code } } }", lambda t: {"a": t.ids["account"]},
                  refused("resetTotp")),
    "provisionTenant": ("mutation{ provisionTenant(input:{code:\"zzx\",name:\"x\","
                        "kind:township,adminUsername:\"a\",adminPassword:\"longpassword\"})"
                        " { tenant { id } userErrors { code } } }", lambda t: {},
                        refused("provisionTenant", "FORBIDDEN")),
}
CASES.update(PLAN_CASES)
CASES.update(PAGE_CASES)
CASES.update(FEEDBACK_CASES)
CASES.update(JOB_CASES)
CASES.update(RATING_CASES)
CASES.update(OVERSIGHT_CASES)
CASES.update(PUSH_RULE_CASES)
CASES.update(ANNUAL_CASES)
CASES.update(NOTIFICATION_CASES)
# Last: it ends the caller's session (the loop below then forgets that token).
CASES["logout"] = ("mutation{ logout { ok userErrors { code } } }", lambda t: {},
                   lambda body, t: None)


def schema_fields() -> set[str]:
    schema = schema_shape()._schema
    fields = set(schema.query_type.fields)  # type: ignore[union-attr]
    fields |= set(schema.mutation_type.fields)  # type: ignore[union-attr]
    return fields


def test_every_field_has_a_case() -> None:
    missing = schema_fields() - set(CASES)
    assert not missing, f"add isolation cases in tests/test_isolation.py for: {sorted(missing)}"


def test_cross_tenant_ids_find_nothing_and_change_nothing(api: Api, tenants: Tenants) -> None:
    before = snapshot(api, tenants.b)
    for field, (query, variables, check) in CASES.items():
        body = api.as_(tenants.a, "admin", query, variables(tenants))
        if "errors" in body:
            # A refusal as a GraphQL error is also "nothing", never another tenant's data.
            assert body["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "NOT_FOUND"), field
            continue
        check(body, tenants)
    api.tokens.pop((tenants.a, "admin"))  # logged out by the last case
    assert snapshot(api, tenants.b) == before


def test_rls_alone_confines_raw_sql(settings: Settings, tenants: Tenants,
                                    raw_app_connection: psycopg.Connection[Any]) -> None:
    conn = raw_app_connection
    tid_a = conn.execute("SELECT tenant_id_for_code(%s)", (tenants.a,)).fetchone()
    tid_b = conn.execute("SELECT tenant_id_for_code(%s)", (tenants.b,)).fetchone()
    assert tid_a
    assert tid_b
    conn.rollback()
    with conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tid_a[0]),))
        for table in TENANT_TABLES:
            seen = {r[0] for r in conn.execute(f"SELECT DISTINCT tenant_id FROM {table}")}
            assert seen <= {tid_a[0]}, table
            leaked = conn.execute(f"SELECT count(*) FROM {table} WHERE tenant_id = %s",
                                  (tid_b[0],)).fetchone()
            assert leaked == (0,), table
    with conn.transaction():  # no tenant set: nothing at all
        for table in TENANT_TABLES:
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
    with conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tid_a[0]),))
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute("INSERT INTO posts (tenant_id, id, code, name) "
                         "VALUES (%s, %s, 'x', 'x')", (tid_b[0], uuid.uuid4()))


def test_rls_through_the_tenant_session(settings: Settings, tenants: Tenants) -> None:
    """The application's own session, with its filters bypassed by raw SQL."""

    async def run() -> set[Any]:
        engine = make_engine(settings.database_url, pooled=False)
        try:
            async with make_sessionmaker(engine)() as probe:
                tid = (await probe.execute(text("SELECT tenant_id_for_code(:c)"),
                                           {"c": tenants.a})).scalar_one()
            async with tenant_transaction(make_sessionmaker(engine), tid) as session:
                rows = await session.execute(text("SELECT DISTINCT tenant_id FROM people"))
                return {tid} ^ {r[0] for r in rows}
        finally:
            await engine.dispose()

    assert asyncio.run(run()) == set()


def test_app_role_owns_nothing_and_cannot_bypass_rls(
        raw_app_connection: psycopg.Connection[Any]) -> None:
    conn = raw_app_connection
    role = conn.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = "
                        "current_user").fetchone()
    assert role == (False, False)
    owned = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND "
                         "tableowner = current_user").fetchone()
    assert owned == (0,)
    forced = conn.execute("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                          " AND relkind = 'r' AND relname <> 'alembic_version' AND NOT "
                          "(relrowsecurity AND relforcerowsecurity)").fetchall()
    assert forced == []


def test_audit_log_is_append_only(tenants: Tenants,
                                  raw_app_connection: psycopg.Connection[Any]) -> None:
    conn = raw_app_connection
    tid = conn.execute("SELECT tenant_id_for_code(%s)", (tenants.b,)).fetchone()
    assert tid
    conn.rollback()
    for statement in ("UPDATE audit_log SET reason = 'x'", "DELETE FROM audit_log"):
        with conn.transaction():
            conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tid[0]),))
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(statement)
