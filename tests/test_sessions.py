"""Sessions and passwords (issue 13, point 5): logout, a password change or reset and disabling
an account end old tokens for good; idle sessions time out (time driven through the app's
clock); an initial password must be changed before anything else works; weak passwords are
refused in Chinese; demo accounts and API tokens are not affected."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from starlette.testclient import TestClient

from jixiao.settings import Settings
from tests.conftest import Api

LOGIN = ("mutation($t:String!,$u:String!,$p:String!){login(tenantCode:$t,username:$u,"
         "password:$p){token expiresAt mustChangePassword passwordExpired "
         "userErrors{code message}}}")
ME = "{ me { account { username mustChangePassword } } }"
PEOPLE = "{ people(first:5) { edges { node { id } } } }"
LOGOUT = "mutation{ logout { ok userErrors { code message } } }"
REFRESH = "mutation{ refreshSession { token expiresAt userErrors { code message } } }"
CHANGE = ("mutation($c:String!,$n:String!){ changePassword(currentPassword:$c,newPassword:$n)"
          " { token expiresAt userErrors { code message field } } }")
RESET = ("mutation($a:ID!){ resetPassword(accountId:$a) { initialPassword account { username "
         "mustChangePassword } userErrors { code message } } }")
ACCOUNTS = "{ accounts { id username } }"
DISABLE = ("mutation($a:ID!,$d:Boolean!){ setAccountDisabled(accountId:$a, disabled:$d)"
           " { account { disabled } userErrors { code } } }")
CREATE = ("mutation($u:String!,$p:String!){ createAccount(input:{username:$u,password:$p,"
          "roles:[staff]}) { account { id mustChangePassword } userErrors { code message } } }")
SETTINGS = ("mutation($s:JSON!){ updateTenantSettings(settings:$s, reason:\"等保\") "
            "{ userErrors { code message } } }")
AUDIT = ("query($e:String){auditLog(entity:$e,first:500){actor action entityId before after}}")
GOOD = "Demo@2026"


class Clock:
    """The app's time: the real time moved on by ``offset`` (no sleeping in tests)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def timed(settings: Settings, clock: Clock) -> Iterator[Api]:
    from jixiao.app import create_app

    with TestClient(create_app(settings, clock=clock)) as c:
        yield Api(c)


def login(api: Api, tenant: str, user: str, password: str = GOOD) -> dict[str, Any]:
    result: dict[str, Any] = api.call(LOGIN, {"t": tenant, "u": user, "p": password})[
        "data"]["login"]
    return result


def token_of(api: Api, tenant: str, user: str, password: str = GOOD) -> str:
    token = login(api, tenant, user, password)["token"]
    assert token
    return str(token)


def works(api: Api, token: str) -> bool:
    body = api.call(ME, token=token)
    if body["_status"] == 401:
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        return False
    assert body["data"]["me"], body
    return True


def account_id(api: Api, tenant: str, username: str) -> str:
    rows = api.as_(tenant, "admin", ACCOUNTS)["data"]["accounts"]
    return str(next(r["id"] for r in rows if r["username"] == username))


def test_logout_ends_only_that_session(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    first, second = token_of(api, code, "ganbu"), token_of(api, code, "ganbu")
    assert api.call(LOGOUT, token=first)["data"]["logout"] == {"ok": True, "userErrors": []}
    assert not works(api, first)
    assert works(api, second)


def test_a_password_change_ends_every_old_token(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    first, second = token_of(api, code, "ganbu"), token_of(api, code, "ganbu")
    wrong = api.call(CHANGE, {"c": "not-it", "n": "Better#2027"}, token=first)
    assert wrong["data"]["changePassword"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    same = api.call(CHANGE, {"c": GOOD, "n": GOOD}, token=first)
    assert same["data"]["changePassword"]["userErrors"][0]["message"] == "新密码不能与当前密码相同"
    weak = api.call(CHANGE, {"c": GOOD, "n": "password"}, token=first)["data"]["changePassword"]
    assert weak["userErrors"][0]["code"] == "WEAK_PASSWORD"
    assert "缺少：大写字母、数字、特殊符号" in weak["userErrors"][0]["message"]
    assert works(api, first)
    assert works(api, second)
    changed = api.call(CHANGE, {"c": GOOD, "n": "Better#2027"}, token=first)
    fresh = changed["data"]["changePassword"]["token"]
    assert changed["data"]["changePassword"]["userErrors"] == []
    assert not works(api, first)
    assert not works(api, second)
    assert works(api, fresh)
    assert login(api, code, "ganbu")["token"] is None
    assert login(api, code, "ganbu", "Better#2027")["token"]
    entries = api.as_(code, "admin", AUDIT, {"e": "account"})["data"]["auditLog"]
    assert any(e["action"] == "account.password_change" for e in entries)
    assert "Better#2027" not in repr(entries)


def test_disabling_ends_tokens_and_enabling_does_not_revive_them(api: Api,
                                                                 make_tenant: Any) -> None:
    code = make_tenant(people=9)
    old = token_of(api, code, "ganbu")
    target = account_id(api, code, "ganbu")
    api.as_(code, "admin", DISABLE, {"a": target, "d": True})
    assert not works(api, old)
    assert login(api, code, "ganbu")["token"] is None
    api.as_(code, "admin", DISABLE, {"a": target, "d": False})
    assert not works(api, old)
    assert works(api, token_of(api, code, "ganbu"))


def test_api_tokens_are_not_sessions(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    admin = token_of(api, code, "admin")
    issued = api.call("mutation{ createApiToken(name:\"门户\", roles:[tenant_admin]) "
                      "{ token userErrors { code } } }", token=admin)["data"]["createApiToken"]
    api.call(LOGOUT, token=admin)
    assert not works(api, admin)
    assert works(api, issued["token"])
    refused = api.call(LOGOUT, token=issued["token"])["data"]["logout"]
    assert refused["userErrors"][0]["code"] == "FORBIDDEN"


def test_an_idle_session_times_out_and_use_keeps_it_alive(timed: Api, clock: Clock,
                                                            make_tenant: Any) -> None:
    code = make_tenant(people=9)
    clock.offset = timedelta()
    token = token_of(timed, code, "ganbu")
    for step in range(1, 4):  # used every 29 minutes: alive for 87 minutes
        clock.offset = timedelta(minutes=29 * step)
        assert works(timed, token)
    clock.offset += timedelta(minutes=31)
    assert not works(timed, token)
    # The timeout is the tenant's setting.
    assert timed.call(SETTINGS, {"s": {"account_security": {"idle_timeout_minutes": 5}}},
                      token=token_of(timed, code, "admin"))["data"]["updateTenantSettings"][
        "userErrors"] == []
    short = token_of(timed, code, "ganbu")
    clock.offset += timedelta(minutes=4)
    assert works(timed, short)
    clock.offset += timedelta(minutes=6)
    assert not works(timed, short)
    clock.offset = timedelta()


def test_refresh_gives_a_later_expiry_and_an_expired_token_fails(timed: Api, clock: Clock,
                                                                  make_tenant: Any) -> None:
    code = make_tenant(people=9)
    clock.offset = timedelta()
    timed.call(SETTINGS, {"s": {"account_security": {"idle_timeout_minutes": 1440}}},
               token=token_of(timed, code, "admin"))
    first = login(timed, code, "ganbu")
    clock.offset = timedelta(hours=7)
    refreshed = timed.call(REFRESH, token=first["token"])["data"]["refreshSession"]
    assert refreshed["userErrors"] == []
    assert refreshed["expiresAt"] > first["expiresAt"]
    clock.offset = timedelta(hours=9)  # past the first token's expiry (8 hours)
    assert not works(timed, first["token"])
    assert works(timed, refreshed["token"])
    clock.offset = timedelta()


def test_an_initial_password_must_be_changed_before_anything_else(api: Api,
                                                                   make_tenant: Any) -> None:
    code = make_tenant(people=9)
    created = api.as_(code, "admin", CREATE, {"u": "xinren", "p": "Chushi#2026"})
    assert created["data"]["createAccount"]["account"]["mustChangePassword"] is True
    first = login(api, code, "xinren", "Chushi#2026")
    assert first["mustChangePassword"] is True
    token = first["token"]
    assert works(api, token)  # me: what the password screen needs
    blocked = api.call(PEOPLE, token=token)
    assert blocked["data"] is None
    assert blocked["errors"][0]["extensions"]["code"] == "PASSWORD_CHANGE_REQUIRED"
    assert "修改初始密码" in blocked["errors"][0]["message"]
    mutation = api.call("mutation{ createApiToken(name:\"x\", roles:[staff]) { token "
                        "userErrors { code message } } }", token=token)
    assert mutation["data"]["createApiToken"]["token"] is None
    assert mutation["data"]["createApiToken"]["userErrors"][0]["code"] == (
        "PASSWORD_CHANGE_REQUIRED")
    download = api.client.get(f"/reports/{uuid.uuid4()}",
                              headers={"authorization": f"Bearer {token}"})
    assert download.status_code == 403
    assert download.json()["error"]["code"] == "PASSWORD_CHANGE_REQUIRED"
    changed = api.call(CHANGE, {"c": "Chushi#2026", "n": "Fresh#Start26"}, token=token)
    fresh = changed["data"]["changePassword"]["token"]
    assert fresh
    assert api.call(PEOPLE, token=fresh)["data"]["people"] is not None
    assert login(api, code, "xinren", "Fresh#Start26")["mustChangePassword"] is False


def test_an_admin_reset_gives_a_one_time_password_to_change(api: Api,
                                                             make_tenant: Any) -> None:
    code, other = make_tenant(people=9), make_tenant(people=9)
    old = token_of(api, code, "ganbu")
    target = account_id(api, code, "ganbu")
    refused = api.as_(code, "kezhang", RESET, {"a": target})["data"]["resetPassword"]
    assert refused["userErrors"][0]["code"] == "FORBIDDEN"
    elsewhere = api.as_(other, "admin", RESET, {"a": target})["data"]["resetPassword"]
    assert elsewhere["userErrors"][0]["code"] == "NOT_FOUND"
    assert works(api, old)
    reset = api.as_(code, "admin", RESET, {"a": target})["data"]["resetPassword"]
    assert reset["account"] == {"username": "ganbu", "mustChangePassword": True}
    initial = reset["initialPassword"]
    assert len(initial) >= 12
    assert not works(api, old)
    assert login(api, code, "ganbu")["token"] is None
    after = login(api, code, "ganbu", initial)
    assert after["mustChangePassword"] is True
    entries = api.as_(code, "admin", AUDIT, {"e": "account"})["data"]["auditLog"]
    assert any(e["action"] == "account.password_reset" for e in entries)
    assert initial not in repr(entries)


def test_an_expired_password_must_be_changed(timed: Api, clock: Clock,
                                             make_tenant: Any) -> None:
    code = make_tenant(people=9)
    clock.offset = timedelta()
    timed.call(SETTINGS, {"s": {"account_security": {"password_max_age_days": 90}}},
               token=token_of(timed, code, "admin"))
    assert login(timed, code, "ganbu")["passwordExpired"] is False
    clock.offset = timedelta(days=91)
    expired = login(timed, code, "ganbu")
    assert expired["passwordExpired"] is True
    assert expired["mustChangePassword"] is True
    blocked = timed.call(PEOPLE, token=expired["token"])
    assert blocked["errors"][0]["extensions"]["code"] == "PASSWORD_CHANGE_REQUIRED"
    changed = timed.call(CHANGE, {"c": GOOD, "n": "Renewed#2026"}, token=expired["token"])
    assert timed.call(PEOPLE, token=changed["data"]["changePassword"]["token"])["data"]["people"]
    clock.offset = timedelta()


def test_weak_passwords_are_refused_in_chinese_wherever_set(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    weak = api.as_(code, "admin", CREATE, {"u": "ruomima", "p": "abcdefgh"})
    error = weak["data"]["createAccount"]["userErrors"][0]
    assert error["code"] == "WEAK_PASSWORD"
    assert error["message"].startswith("密码不符合要求：")
    named = api.as_(code, "admin", CREATE, {"u": "zhangsan", "p": "Zhangsan@2026"})
    assert "用户名" in named["data"]["createAccount"]["userErrors"][0]["message"]
    provision = api.as_("cdzzb", "shiwei", "mutation{ provisionTenant(input:{code:\"weakpw\","
                        "name:\"弱密码\",kind:township,adminUsername:\"a\","
                        "adminPassword:\"longpassword\"}) { userErrors { code message } } }")
    assert provision["data"]["provisionTenant"]["userErrors"][0]["code"] == "WEAK_PASSWORD"


def test_demo_and_factory_accounts_are_not_forced(api: Api, make_tenant: Any) -> None:
    assert login(api, "cdjw", "admin")["mustChangePassword"] is False
    assert login(api, make_tenant(people=9), "ganbu")["mustChangePassword"] is False


def test_a_token_needs_its_own_live_session(api: Api, settings: Settings,
                                            make_tenant: Any) -> None:
    """Signed tokens without a session id (issued before sessions) or naming another account's
    session are refused."""
    code = make_tenant(people=9)
    mine = jwt.decode(token_of(api, code, "ganbu"), settings.secret_key, algorithms=["HS256"])
    theirs = jwt.decode(token_of(api, code, "ganbu2"), settings.secret_key,
                        algorithms=["HS256"])
    legacy = {k: v for k, v in mine.items() if k != "sid"}
    borrowed = {**mine, "sid": theirs["sid"]}
    for claims in (legacy, borrowed):
        assert not works(api, jwt.encode(claims, settings.secret_key, algorithm="HS256"))
    assert works(api, jwt.encode(mine, settings.secret_key, algorithm="HS256"))
