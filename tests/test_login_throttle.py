"""Login throttling cannot be turned against users: it slows the address that guesses, not the
account; spraying one password over many usernames is slowed; every attempt is audited; a
tenant administrator can clear an account's waits.

A dedicated app with short delays (2-4 s) sits behind a trusted proxy (the test client's peer,
127.0.0.1), so each request can come from the address its X-Forwarded-For names. Its clock
stands still unless a test moves it: waits never run out because the machine was slow.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.requests import HTTPConnection
from starlette.testclient import TestClient

from jixiao.auth import client_address
from jixiao.settings import Settings, SettingsError
from tests.conftest import Api

LOGIN = ("mutation($t:String!,$u:String!,$p:String!){login(tenantCode:$t,username:$u,"
         "password:$p){token userErrors{code message retryAfterSeconds}}}")
GOOD = "Demo@2026"
UNLOCK = ("mutation($a:ID!){unlockAccount(accountId:$a){account{username} "
          "userErrors{code message}}}")
AUDIT = ("query($e:String,$i:String){auditLog(entity:$e,entityId:$i,first:500)"
         "{actor action entityId before after}}")


class StillClock:
    """The time the app sees: moved only by ``advance``."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


CLOCK = StillClock()


@pytest.fixture(scope="module")
def fast(settings: Settings) -> Iterator[TestClient]:
    quick = settings.replace(
        login_max_failures=3, login_base_delay_seconds=2, login_max_delay_seconds=4,
        login_failure_window_seconds=600, login_address_max_failures=6,
        trusted_proxies=("127.0.0.1/32",))
    from jixiao.app import create_app

    with TestClient(create_app(quick, clock=CLOCK), client=("127.0.0.1", 40000)) as c:
        yield c


def attempt(client: TestClient, tenant: str, user: str, password: str,
            address: str) -> dict[str, Any]:
    body = client.post("/graphql", json={"query": LOGIN, "variables": {
        "t": tenant, "u": user, "p": password}}, headers={"x-forwarded-for": address}).json()
    result: dict[str, Any] = body["data"]["login"]
    return result


def code_of(result: dict[str, Any]) -> str | None:
    return result["userErrors"][0]["code"] if result["userErrors"] else None


def test_guessing_from_one_address_never_locks_the_right_password_out_elsewhere(
        fast: TestClient, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    attacker, owner = "198.51.100.7", "203.0.113.20"
    codes = [code_of(attempt(fast, code, "ganbu", f"guess{i}", attacker)) for i in range(6)]
    assert codes[:3] == ["INVALID_CREDENTIALS"] * 3
    assert codes[3:] == ["TOO_MANY_ATTEMPTS"] * 3  # refused without checking the password
    # The owner, elsewhere, is not locked out by the attacker's guesses.
    assert attempt(fast, code, "ganbu", GOOD, owner)["token"]
    # The attacker's address is still slowed, the right password included.
    slowed = attempt(fast, code, "ganbu", GOOD, attacker)
    assert slowed["token"] is None
    assert code_of(slowed) == "TOO_MANY_ATTEMPTS"
    assert 1 <= slowed["userErrors"][0]["retryAfterSeconds"] <= 2  # the first wait: 2 s
    assert "秒后再试" in slowed["userErrors"][0]["message"]


def test_the_same_address_waits_longer_after_each_failure_and_then_may_try_again(
        fast: TestClient, api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    address = "198.51.100.8"
    for _ in range(3):
        assert code_of(attempt(fast, code, "ganbu", "bad", address)) == "INVALID_CREDENTIALS"
    assert code_of(attempt(fast, code, "ganbu", GOOD, address)) == "TOO_MANY_ATTEMPTS"
    CLOCK.advance(2.1)  # the first wait (2 s) has passed: one more try is checked ...
    assert code_of(attempt(fast, code, "ganbu", "bad", address)) == "INVALID_CREDENTIALS"
    # ... and fails again: the wait doubles (4 s, the cap of this app).
    assert code_of(attempt(fast, code, "ganbu", GOOD, address)) == "TOO_MANY_ATTEMPTS"
    locks = [r["after"]["account"] for r in reversed(_audit(api, code, "login", "ganbu"))
             if r["action"] == "login.locked"]
    assert [(w["failures"], w["waitSeconds"]) for w in locks] == [(3, 2), (4, 4)]


def test_spraying_one_password_over_many_usernames_is_slowed(
        fast: TestClient, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    sprayer = "198.51.100.9"
    users = ["leader", "fenguan", "fenguan2", "kezhang", "kezhang2", "ganbu2", "nobody1"]
    codes = [code_of(attempt(fast, code, u, "Spring2026!", sprayer)) for u in users]
    # One failure per username: no (username, address) limit is reached, the address one is.
    assert codes[:6] == ["INVALID_CREDENTIALS"] * 6
    assert codes[6] == "TOO_MANY_ATTEMPTS"
    # Even a user's own right password waits at that address; from another it works.
    assert code_of(attempt(fast, code, "ganbu3", GOOD, sprayer)) == "TOO_MANY_ATTEMPTS"
    assert attempt(fast, code, "ganbu3", GOOD, "203.0.113.21")["token"]


def test_an_ipv6_client_cannot_escape_by_changing_its_address_within_its_64(
        fast: TestClient, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    codes = [code_of(attempt(fast, code, "ganbu", "bad", f"2001:db8:5:6::{i + 1:x}"))
             for i in range(5)]
    assert codes == ["INVALID_CREDENTIALS"] * 3 + ["TOO_MANY_ATTEMPTS"] * 2


def _audit(api: Api, code: str, entity: str, entity_id: str) -> list[dict[str, Any]]:
    body = api.as_(code, "admin", AUDIT, {"e": entity, "i": entity_id})
    rows: list[dict[str, Any]] = body["data"]["auditLog"]
    return rows


def test_every_login_failure_and_wait_is_audited_without_the_password(
        fast: TestClient, api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    address = "198.51.100.10"
    secret_guess = "Guess-Secret-4711"
    for _ in range(4):
        attempt(fast, code, "ganbu", secret_guess, address)
    assert attempt(fast, code, "ganbu", GOOD, "203.0.113.22")["token"]
    rows = _audit(api, code, "login", "ganbu")
    actions = [r["action"] for r in reversed(rows)]
    assert actions == ["login.failure"] * 3 + ["login.locked", "login.refused", "login.success"]
    failures = [r for r in rows if r["action"] == "login.failure"]
    assert {r["after"]["clientAddress"] for r in failures} == {address}
    assert {r["after"]["reason"] for r in failures} == {"wrong_password"}
    assert sorted(r["after"]["failures"] for r in failures) == [1, 2, 3]
    locked = next(r for r in rows if r["action"] == "login.locked")
    assert locked["after"]["account"]["failures"] == 3
    success = next(r for r in rows if r["action"] == "login.success")
    assert success["actor"].startswith("account:")
    assert success["after"]["clientAddress"] == "203.0.113.22"
    assert {r["actor"] for r in rows if r["action"] != "login.success"} == {"anonymous"}
    text = repr(rows)
    assert secret_guess not in text
    assert GOOD not in text
    # Unknown usernames are audited too (they cannot point at an account).
    attempt(fast, code, "nobody", secret_guess, address)
    unknown = _audit(api, code, "login", "nobody")
    assert unknown[0]["after"]["reason"] == "unknown_user"
    assert secret_guess not in repr(unknown)


def _account_id(api: Api, code: str, username: str) -> str:
    accounts = api.as_(code, "admin", "{ accounts { id username } }")["data"]["accounts"]
    return str(next(a["id"] for a in accounts if a["username"] == username))


def test_an_admin_unlock_clears_the_waits_and_is_audited(
        fast: TestClient, api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    address = "198.51.100.11"
    for _ in range(3):
        attempt(fast, code, "ganbu", "bad", address)
    assert code_of(attempt(fast, code, "ganbu", GOOD, address)) == "TOO_MANY_ATTEMPTS"
    target = _account_id(api, code, "ganbu")
    result = api.as_(code, "admin", UNLOCK, {"a": target})["data"]["unlockAccount"]
    assert result == {"account": {"username": "ganbu"}, "userErrors": []}
    assert attempt(fast, code, "ganbu", GOOD, address)["token"]
    (entry,) = _audit(api, code, "account", target)
    assert entry["action"] == "account.unlock"
    assert entry["before"]["throttles"][0]["clientAddress"] == address
    assert entry["before"]["throttles"][0]["failures"] == 3
    assert entry["after"]["throttles"] == []


def test_staff_cannot_unlock_and_another_tenants_account_is_not_found(
        fast: TestClient, api: Api, make_tenant: Any) -> None:
    code, other = make_tenant(people=9), make_tenant(people=9)
    address = "198.51.100.12"
    target = _account_id(api, code, "ganbu")
    # Logged in before the 2 s wait starts, so the last check runs well within it.
    api.login(code, "ganbu2")
    api.login(other, "admin")
    for _ in range(3):
        attempt(fast, code, "ganbu", "bad", address)
    staff = api.as_(code, "ganbu2", UNLOCK, {"a": target})["data"]["unlockAccount"]
    assert staff["account"] is None
    assert staff["userErrors"][0]["code"] == "FORBIDDEN"
    foreign = api.as_(other, "admin", UNLOCK, {"a": target})["data"]["unlockAccount"]
    assert foreign["account"] is None
    assert foreign["userErrors"][0] == {"code": "NOT_FOUND", "message": "未找到该账号"}
    assert code_of(attempt(fast, code, "ganbu", GOOD, address)) == "TOO_MANY_ATTEMPTS"
    assert _audit(api, code, "account", target) == []


def _connection(peer: str, forwarded: list[str]) -> HTTPConnection:
    headers = [(b"x-forwarded-for", h.encode()) for h in forwarded]
    return HTTPConnection({"type": "http", "client": (peer, 1234), "headers": headers})


def test_the_client_address_comes_from_the_peer_unless_a_trusted_proxy_forwards_it() -> None:
    proxies = Settings(trusted_proxies=("10.0.0.0/8",)).trusted_networks()
    # No trusted proxy: the header is ignored, whoever sent it.
    assert client_address(_connection("198.51.100.1", ["1.2.3.4"]), ()) == "198.51.100.1"
    # An untrusted peer cannot pick its own address.
    assert client_address(_connection("198.51.100.1", ["1.2.3.4"]), proxies) == "198.51.100.1"
    # Behind trusted proxies: the rightmost hop that is not a proxy; forged hops left of it
    # are ignored.
    assert client_address(_connection("10.0.0.2", ["6.6.6.6, 203.0.113.5, 10.0.0.9"]),
                          proxies) == "203.0.113.5"
    assert client_address(_connection("10.0.0.2", ["6.6.6.6", "203.0.113.5"]),
                          proxies) == "203.0.113.5"
    assert client_address(_connection("10.0.0.2", ["junk, 203.0.113.5"]),
                          proxies) == "203.0.113.5"
    assert client_address(_connection("10.0.0.2", []), proxies) == "10.0.0.2"
    assert client_address(_connection("10.0.0.2", ["junk"]), proxies) == "10.0.0.2"
    assert client_address(_connection("::1", []), proxies) == "::1"


def test_login_throttle_settings_come_from_the_environment_and_are_checked() -> None:
    s = Settings.from_env({"JIXIAO_LOGIN_MAX_FAILURES": "4", "JIXIAO_LOGIN_BASE_DELAY_SECONDS": "2",
                           "JIXIAO_LOGIN_MAX_DELAY_SECONDS": "60",
                           "JIXIAO_LOGIN_FAILURE_WINDOW_SECONDS": "120",
                           "JIXIAO_LOGIN_ADDRESS_MAX_FAILURES": "9",
                           "JIXIAO_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.1"})
    use = s.use_cases()
    assert (use.account_throttle.max_failures, use.address_throttle.max_failures) == (4, 9)
    assert (use.account_throttle.base_delay_seconds, use.account_throttle.max_delay_seconds,
            use.account_throttle.window_seconds) == (2, 60, 120)
    assert s.trusted_proxies == ("10.0.0.0/8", "192.168.1.1")
    defaults = Settings.from_env({}).use_cases()
    assert (defaults.login_max_failures, defaults.login_base_delay_seconds,
            defaults.login_max_delay_seconds, defaults.login_address_max_failures) == (
        5, 30, 3600, 30)
    for bad in ({"JIXIAO_TRUSTED_PROXIES": "not-a-network"},
                {"JIXIAO_LOGIN_MAX_FAILURES": "0"},
                {"JIXIAO_LOGIN_MAX_DELAY_SECONDS": "1"}):
        with pytest.raises(SettingsError):
            Settings.from_env(bad)
