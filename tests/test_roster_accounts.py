"""Accounts from a roster import: one-time initial passwords, handed out once as an XLSX."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import psycopg
from openpyxl import load_workbook

from tests.conftest import Api

IMPORT = ("mutation($f:String!,$c:String!,$a:Boolean!){ importRoster(input:{filename:$f,"
          "contentBase64:$c}, createAccounts:$a) { created updated createdAccounts "
          "accountsFile { url filename expiresAt } userErrors { code message row column } } }")
LOGIN = ("mutation($t:String!,$u:String!,$p:String!){ login(tenantCode:$t,username:$u,"
         "password:$p) { token userErrors { code message } } }")
ACCOUNTS = "{ accounts { username roles disabled person { employeeNo name } } }"


def roster(rows: list[str], header: str = "工号,姓名,部门") -> str:
    text = header + "\n" + "\n".join(rows) + "\n"
    return base64.b64encode(text.encode()).decode()


def new_people(count: int, prefix: str = "N") -> list[str]:
    return [f"{prefix}{i:03d},新人{i},{'d1' if i % 2 else 'd2'}" for i in range(1, count + 1)]


def run_import(api: Api, code: str, content: str, create: bool = True,
               username: str = "admin") -> dict[str, Any]:
    body = api.as_(code, username, IMPORT, {"f": "花名册.csv", "c": content, "a": create})
    payload: dict[str, Any] = body["data"]["importRoster"]
    return payload


def fetch(api: Api, url: str, token: str | None) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return api.client.get(url, headers=headers)


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def meets_rule(password: str) -> bool:
    classes = [any(c.isupper() for c in password), any(c.islower() for c in password),
               any(c.isdigit() for c in password), any(not c.isalnum() for c in password)]
    return len(password) >= 8 and sum(classes) >= 3


def tenant_rows(conn: psycopg.Connection[Any], code: str, sql: str) -> list[tuple[Any, ...]]:
    found = conn.execute("SELECT tenant_id_for_code(%s)", (code,)).fetchone()
    assert found
    conn.execute("SELECT set_config('app.tenant_id', %s, false)", (str(found[0]),))
    rows = conn.execute(sql).fetchall()  # type: ignore[arg-type]
    conn.rollback()
    return rows


def test_thirty_new_people_get_accounts_and_their_passwords_once(
        api: Api, make_tenant: Any, raw_app_connection: psycopg.Connection[Any]) -> None:
    code = make_tenant(people=9)
    payload = run_import(api, code, roster(new_people(30)))
    assert payload["userErrors"] == []
    assert (payload["created"], payload["createdAccounts"]) == (30, 30)
    url = payload["accountsFile"]["url"]
    assert payload["accountsFile"]["filename"].endswith(".xlsx")

    admin = api.login(code, "admin")
    first = fetch(api, url, admin)
    assert first.status_code == 200
    assert "no-store" in first.headers["cache-control"]
    rows = sheet_rows(first.content)
    assert rows[0] == ("账号", "姓名", "部门", "初始密码")
    issued = {r[0]: r for r in rows[1:]}
    assert set(issued) == {f"N{i:03d}" for i in range(1, 31)}
    assert issued["N001"][1:3] == ("新人1", "第一科")
    passwords = [r[3] for r in rows[1:]]
    assert len(set(passwords)) == 30
    assert all(isinstance(p, str) and meets_rule(p) for p in passwords)
    note = load_workbook(io.BytesIO(first.content), read_only=True).worksheets[-1]
    assert any("私下交付" in str(c) and "首次登录" in str(c)
               for row in note.iter_rows(values_only=True) for c in row)

    # Only once: the second download is refused in Chinese, and the stored copy is gone.
    second = fetch(api, url, admin)
    assert second.status_code == 410
    assert "只能下载一次" in second.json()["error"]["message"]
    assert tenant_rows(raw_app_connection, code,
                       "SELECT length(sealed), taken_at IS NOT NULL FROM one_time_files"
                       ) == [(0, True)]

    # Every initial password logs in, and each account must change it.
    for username, row in issued.items():
        login = api.call(LOGIN, {"t": code, "u": username, "p": row[3]})["data"]["login"]
        assert login["token"], (username, login)
    flags = tenant_rows(raw_app_connection, code,
                        "SELECT username, must_change_password FROM accounts")
    assert {u for u, must in flags if must} == set(issued)
    accounts = {a["username"]: a for a in api.as_(code, "admin", ACCOUNTS)["data"]["accounts"]}
    assert accounts["N007"]["roles"] == ["staff"]
    assert accounts["N007"]["person"] == {"employeeNo": "N007", "name": "新人7"}

    # Audited: the count and the usernames, never a password.
    audit = tenant_rows(raw_app_connection, code,
                        "SELECT action, after::text FROM audit_log")
    created = [json.loads(a) for action, a in audit if action == "account.create_from_roster"]
    assert len(created) == 1
    assert created[0]["count"] == 30
    assert sorted(created[0]["usernames"]) == sorted(issued)
    everything = " ".join(a or "" for _, a in audit)
    assert not any(p in everything for p in passwords)


def test_repeated_import_creates_no_duplicates_and_keeps_existing_accounts(
        api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    before = {a["username"] for a in api.as_(code, "admin", ACCOUNTS)["data"]["accounts"]}
    # P006 has the account "ganbu"; P010 has none; 账号 column names the new one's login.
    content = roster(["N001,新来的,d1,xinlai", "P006,王芳5,d1,", "P010,李伟9,d2,"],
                     header="工号,姓名,部门,账号")
    payload = run_import(api, code, content)
    assert payload["userErrors"] == []
    assert (payload["created"], payload["updated"], payload["createdAccounts"]) == (1, 2, 2)
    after = {a["username"]: a for a in api.as_(code, "admin", ACCOUNTS)["data"]["accounts"]}
    assert set(after) - before == {"xinlai", "P010"}
    assert after["ganbu"]["person"]["employeeNo"] == "P006"

    again = run_import(api, code, content)
    assert again["userErrors"] == []
    assert (again["createdAccounts"], again["accountsFile"]) == (0, None)
    assert len(api.as_(code, "admin", ACCOUNTS)["data"]["accounts"]) == len(after)

    # Without the argument, an import creates no account.
    plain = run_import(api, code, roster(["N002,不要账号,d1"]), create=False)
    assert (plain["created"], plain["createdAccounts"], plain["accountsFile"]) == (1, 0, None)


def test_taken_or_repeated_usernames_are_named_and_nothing_is_written(
        api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    content = roster(["N001,甲,d1,admin", "N002,乙,d1,same", "N003,丙,d2,same", "N004,丁,d2,"],
                     header="工号,姓名,部门,账号")
    payload = run_import(api, code, content)
    errors = {(e["row"], e["column"]): e["message"] for e in payload["userErrors"]}
    assert errors == {
        (2, "账号"): "第2行“账号”列：账号“admin”已被其他账号使用，请在“账号”列另填一个",
        (4, "账号"): "第4行“账号”列：账号“same”与第3行重复",
    }
    assert payload["created"] == payload["createdAccounts"] == 0
    people = api.as_(code, "admin", "{ people(filter:{search:\"N00\"}) { totalCount } }")
    assert people["data"]["people"]["totalCount"] == 0


def test_only_the_importing_admin_may_import_accounts_or_take_the_file(
        api: Api, make_tenant: Any) -> None:
    code, other = make_tenant(people=9), make_tenant(people=9)
    content = roster(new_people(2))
    anonymous = api.call(IMPORT, {"f": "r.csv", "c": content, "a": True})
    assert anonymous["data"] is None or anonymous["data"]["importRoster"]["createdAccounts"] == 0
    assert "errors" in anonymous or anonymous["data"]["importRoster"]["userErrors"]
    staff = run_import(api, code, content, username="ganbu")
    assert [e["code"] for e in staff["userErrors"]] == ["FORBIDDEN"]

    payload = run_import(api, code, content)
    url = payload["accountsFile"]["url"]
    assert fetch(api, url, None).status_code == 401
    assert fetch(api, url, api.login(code, "ganbu")).status_code == 404
    assert fetch(api, url, api.login(other, "admin")).status_code == 404
    assert fetch(api, url[:-3] + "xyz", api.login(code, "admin")).status_code == 404
    # None of the refusals used the file up: its maker still gets it, once.
    assert fetch(api, url, api.login(code, "admin")).status_code == 200


def test_an_expired_link_is_refused_and_the_file_destroyed(
        api: Api, make_tenant: Any, raw_app_connection: psycopg.Connection[Any]) -> None:
    code = make_tenant(people=9)
    url = run_import(api, code, roster(new_people(1)))["accountsFile"]["url"]
    conn = raw_app_connection
    found = conn.execute("SELECT tenant_id_for_code(%s)", (code,)).fetchone()
    assert found
    conn.execute("SELECT set_config('app.tenant_id', %s, false)", (str(found[0]),))
    conn.execute("UPDATE one_time_files SET expires_at = now() - interval '1 minute'")
    conn.commit()
    late = fetch(api, url, api.login(code, "admin"))
    assert late.status_code == 410
    assert "已过期" in late.json()["error"]["message"]
    assert tenant_rows(conn, code, "SELECT length(sealed) FROM one_time_files") == [(0,)]


def test_too_many_accounts_at_once_are_refused_before_any_work(
        api: Api, make_tenant: Any) -> None:
    from resolvers.org.roster_accounts import MAX_ACCOUNTS

    code = make_tenant(people=9)
    payload = run_import(api, code, roster(new_people(MAX_ACCOUNTS + 1)))
    assert [e["code"] for e in payload["userErrors"]] == ["LIMIT_EXCEEDED"]
    assert "请分批导入" in payload["userErrors"][0]["message"]
    assert payload["created"] == payload["createdAccounts"] == 0
