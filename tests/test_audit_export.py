"""The audit administrator filters the audit log and exports it as XLSX (an export job); every
login, failure, lock, unlock and role grant is in it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

from openpyxl import load_workbook

from resolvers.audit import LOCAL_TIME
from tests.appraisal_data import wait_job
from tests.conftest import Api

EXPORT = """mutation($i:StartExportInput!){ startExport(input:$i){ job { id status }
  userErrors { code message field } } }"""
LOG = """query($f:Date,$t:Date,$a:String,$x:String){ auditLog(first:500, dateFrom:$f, dateTo:$t,
  actor:$a, action:$x) { action actor actorName } }"""
LOGIN = """mutation($t:String!,$u:String!,$p:String!){ login(tenantCode:$t, username:$u,
  password:$p) { token userErrors { code } } }"""
GRANT = ("mutation($a:ID!){ grantRole(accountId:$a, role:office) { userErrors { code } } }")
UNLOCK = ("mutation($a:ID!){ unlockAccount(accountId:$a) { userErrors { code } } }")


def _history(api: Api, code: str) -> dict[str, str]:
    """Failures up to a lock, a grant and an unlock; returns account ids by username."""
    accounts = {a["username"]: a["id"] for a in api.as_(
        code, "admin", "{ accounts { id username } }")["data"]["accounts"]}
    for _ in range(12):
        answer = api.call(LOGIN, {"t": code, "u": "ganbu2", "p": "wrong-password"})
        if answer["data"]["login"]["userErrors"][0]["code"] == "TOO_MANY_ATTEMPTS":
            break
    assert api.as_(code, "anquan", GRANT, {"a": accounts["ganbu"]})[
        "data"]["grantRole"]["userErrors"] == []
    assert api.as_(code, "anquan", UNLOCK, {"a": accounts["ganbu2"]})[
        "data"]["unlockAccount"]["userErrors"] == []
    return accounts


def test_the_audit_admin_filters_the_log(api: Api, make_tenant: Any) -> None:
    code = make_tenant()
    accounts = _history(api, code)
    everything = api.as_(code, "shenji", LOG)["data"]["auditLog"]
    assert {"login.success", "login.failure", "login.locked", "role.grant",
            "account.unlock"} <= {e["action"] for e in everything}
    logins = api.as_(code, "shenji", LOG, {"x": "login."})["data"]["auditLog"]
    assert logins
    assert {e["action"] for e in logins} <= {"login.success", "login.failure", "login.locked",
                                            "login.refused"}
    security = f"account:{accounts['anquan']}"
    by_actor = api.as_(code, "shenji", LOG, {"a": security})["data"]["auditLog"]
    assert [e["action"] for e in by_actor] == ["account.unlock", "role.grant", "login.success"]
    assert {e["actorName"] for e in by_actor} == {"anquan"}
    today = datetime.now(UTC).date()
    around = api.as_(code, "shenji", LOG, {"f": str(today - timedelta(days=1)),
                                           "t": str(today + timedelta(days=1))})
    assert len(around["data"]["auditLog"]) == len(everything)
    later = api.as_(code, "shenji", LOG, {"f": str(today + timedelta(days=2))})
    assert later["data"]["auditLog"] == []
    backwards = api.as_(code, "shenji", LOG, {"f": str(today), "t": str(today - timedelta(1))})
    assert backwards["errors"][0]["message"] == "开始日期不能晚于结束日期"
    # people with no audit permission read nothing
    for who in ("ganbu", "xitong", "anquan"):
        assert api.as_(code, who, LOG).get("data") is None


def test_the_audit_admin_exports_the_log_as_xlsx(api: Api, worker: Any,
                                                 make_tenant: Any) -> None:
    code = make_tenant()
    accounts = _history(api, code)
    pdf = api.as_(code, "shenji", EXPORT, {"i": {"report": "audit_log"}})["data"]["startExport"]
    assert pdf["userErrors"][0]["message"] == "审计日志只能导出为XLSX文件"
    for who in ("ganbu", "xitong", "anquan"):
        refused = api.as_(code, who, EXPORT, {"i": {"report": "audit_log", "formats": ["xlsx"]}})
        assert refused["data"]["startExport"]["userErrors"][0]["code"] == "FORBIDDEN", who
    today = str(datetime.now(LOCAL_TIME).date())  # the filter's days are Beijing days
    started = api.as_(code, "shenji", EXPORT, {"i": {
        "report": "audit_log", "formats": ["xlsx"], "dateFrom": today, "dateTo": today,
        "actor": f"account:{accounts['anquan']}"}})["data"]["startExport"]
    assert started["userErrors"] == []
    job = wait_job(api, code, "shenji", started["job"]["id"])
    assert job["status"] == "done", job
    (file,) = job["files"]
    assert file["format"] == "xlsx"
    headers = {"authorization": f"Bearer {api.login(code, 'shenji')}"}
    content = api.client.get(file["url"], headers=headers).content
    sheet = load_workbook(io.BytesIO(content), read_only=True)["审计日志"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:7] == ["时间", "操作人", "操作人标识", "操作", "操作代码", "对象", "对象编号"]
    assert [r[3] for r in rows[1:]] == ["解除登录限制", "授予角色", "登录成功"]
    assert [r[4] for r in rows[1:]] == ["account.unlock", "role.grant", "login.success"]
    assert {r[5] for r in rows[1:]} == {"账号", "登录"}
    assert {r[1] for r in rows[1:]} == {"anquan"}
    # a staff member cannot download it, even with the link
    staff = {"authorization": f"Bearer {api.login(code, 'ganbu')}"}
    assert api.client.get(file["url"], headers=staff).status_code == 404


def test_anonymous_and_other_tenants_read_nothing(api: Api, make_tenant: Any) -> None:
    code, other = make_tenant(), make_tenant()
    accounts = _history(api, code)
    anonymous = api.call(LOG)
    assert anonymous["data"] is None
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    theirs = api.as_(other, "shenji", LOG)["data"]["auditLog"]
    mine = {f"account:{i}" for i in accounts.values()}
    assert not mine & {e["actor"] for e in theirs}
    assert api.as_(other, "shenji", LOG, {"a": f"account:{accounts['anquan']}"})[
        "data"]["auditLog"] == []
