"""The optional TOTP second factor for administrators (pyotp makes the codes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pyotp

from authz.credentials import open_text
from jixiao.settings import Settings
from tests.conftest import Api
from tests.test_roster_accounts import tenant_rows

LOGIN = """mutation($t:String!,$u:String!,$p:String!,$c:String){ login(tenantCode:$t,
  username:$u, password:$p, totpCode:$c) { token totpEnrollmentRequired
  userErrors { code message field } } }"""
SETTINGS = ("mutation($s:JSON!){ updateTenantSettings(settings:$s) { userErrors { code } } }")
BEGIN = "mutation{ beginTotpEnrollment { secret otpauthUri userErrors { code message } } }"
CONFIRM = ("mutation($c:String!){ confirmTotpEnrollment(code:$c) { account { totpEnabled } "
           "userErrors { code message field } } }")
RESET = ("mutation($a:ID!){ resetTotp(accountId:$a) { account { totpEnabled } "
         "userErrors { code } } }")


def _login(api: Api, code: str, user: str, totp: str | None = None) -> dict[str, Any]:
    body = api.call(LOGIN, {"t": code, "u": user, "p": "Demo@2026", "c": totp})
    return body["data"]["login"]  # type: ignore[no-any-return]


def _enrolled(api: Api, code: str, user: str) -> str:
    """An administrator enrolls, then logs in with a code: the token they work with."""
    token = _login(api, code, user)["token"]
    secret = api.call(BEGIN, token=token)["data"]["beginTotpEnrollment"]["secret"]
    api.call(CONFIRM, {"c": pyotp.TOTP(secret).now()}, token)
    token = _login(api, code, user, pyotp.TOTP(secret).now())["token"]
    assert token
    return token  # type: ignore[no-any-return]


def _wrong(right: str) -> str:
    return f"{(int(right) + 500_000) % 1_000_000:06d}"


def test_off_by_default_nobody_needs_a_code(api: Api, make_tenant: Any) -> None:
    code = make_tenant()
    for user in ("admin", "anquan", "ganbu"):
        answer = _login(api, code, user)
        assert answer["token"]
        assert answer["totpEnrollmentRequired"] is False


def test_admins_enroll_then_need_a_code(api: Api, make_tenant: Any) -> None:
    code = make_tenant()
    on = api.as_(code, "xitong", SETTINGS, {"s": {"admin_security": {"totp_for_admins": True}}})
    assert on["data"]["updateTenantSettings"]["userErrors"] == []
    # before enrolling: the password logs in and the payload asks to enroll (admins only)
    first = _login(api, code, "anquan")
    assert first["token"]
    assert first["totpEnrollmentRequired"] is True
    assert _login(api, code, "ganbu")["totpEnrollmentRequired"] is False
    token = first["token"]
    # until enrolled, an administrator can do nothing else (not even read)
    gated = api.call("{ accounts { username } }", token=token)
    assert gated["errors"][0]["extensions"]["code"] == "TOTP_ENROLLMENT_REQUIRED"
    assert "双因素认证" in gated["errors"][0]["message"]
    blocked = api.call(SETTINGS, {"s": {}}, token)["data"]["updateTenantSettings"]
    assert blocked["userErrors"][0]["code"] == "TOTP_ENROLLMENT_REQUIRED"
    begun = api.call(BEGIN, token=token)["data"]["beginTotpEnrollment"]
    assert begun["userErrors"] == []
    secret = begun["secret"]
    assert begun["otpauthUri"].startswith("otpauth://totp/")
    assert secret in begun["otpauthUri"]
    now = pyotp.TOTP(secret).now()
    wrong = api.call(CONFIRM, {"c": _wrong(now)}, token)["data"]["confirmTotpEnrollment"]
    assert wrong["userErrors"][0]["code"] == "TOTP_INVALID"
    assert wrong["userErrors"][0]["message"] == "动态验证码不正确"
    confirmed = api.call(CONFIRM, {"c": now}, token)["data"]["confirmTotpEnrollment"]
    assert confirmed["userErrors"] == []
    assert confirmed["account"]["totpEnabled"] is True
    # the secret is shown once: never again, not in the schema, not in the audit log
    again = api.call(BEGIN, token=token)["data"]["beginTotpEnrollment"]
    assert again["secret"] is None
    assert again["userErrors"][0]["code"] == "CONFLICT"
    sdl = (Path(__file__).parent.parent / "schema" / "schema.graphql").read_text()
    assert "totpSecret" not in sdl
    auditor = _enrolled(api, code, "shenji")
    log = api.call("{ auditLog(first:500) { action before after } }", token=auditor)
    assert secret not in str(log)
    assert {"totp.begin", "totp.enable"} <= {e["action"] for e in log["data"]["auditLog"]}
    # login now needs the code
    missing = _login(api, code, "anquan")
    assert missing["token"] is None
    assert missing["userErrors"][0]["code"] == "TOTP_REQUIRED"
    assert missing["userErrors"][0]["message"] == "请输入动态验证码"
    bad = _login(api, code, "anquan", _wrong(pyotp.TOTP(secret).now()))
    assert bad["token"] is None
    assert bad["userErrors"][0]["code"] == "TOTP_INVALID"
    good = _login(api, code, "anquan", pyotp.TOTP(secret).now())
    assert good["userErrors"] == []
    assert good["token"]
    assert good["totpEnrollmentRequired"] is False
    # a wrong password with a right code is still a wrong password
    body = api.call(LOGIN, {"t": code, "u": "anquan", "p": "Wrong@2026",
                            "c": pyotp.TOTP(secret).now()})
    assert body["data"]["login"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    failures = api.call("{ auditLog(first:500, action:\"login.failure\") { after } }",
                        token=auditor)["data"]["auditLog"]
    assert "wrong_totp" in {e["after"]["reason"] for e in failures}


def test_a_lost_factor_is_reset_by_an_administrator(api: Api, make_tenant: Any) -> None:
    code = make_tenant()
    api.as_(code, "xitong", SETTINGS, {"s": {"admin_security": {"totp_for_admins": True}}})
    token = _login(api, code, "anquan")["token"]
    secret = api.call(BEGIN, token=token)["data"]["beginTotpEnrollment"]["secret"]
    api.call(CONFIRM, {"c": pyotp.TOTP(secret).now()}, token)
    admin = _enrolled(api, code, "admin")
    accounts = {a["username"]: a for a in api.call(
        "{ accounts { id username totpEnabled } }", token=admin)["data"]["accounts"]}
    assert accounts["anquan"]["totpEnabled"] is True
    refused = api.call(RESET, {"a": accounts["anquan"]["id"]}, _enrolled(api, code, "shenji"))
    assert refused["data"]["resetTotp"]["userErrors"][0]["code"] == "FORBIDDEN"
    reset = api.call(RESET, {"a": accounts["anquan"]["id"]}, admin)["data"]["resetTotp"]
    assert reset["userErrors"] == []
    assert reset["account"]["totpEnabled"] is False
    after = _login(api, code, "anquan")
    assert after["token"]
    assert after["totpEnrollmentRequired"] is True


def test_anonymous_tokens_and_other_tenants(api: Api, make_tenant: Any) -> None:
    code, other = make_tenant(), make_tenant()
    anonymous = api.call(BEGIN)
    assert anonymous["data"] is None or anonymous["data"]["beginTotpEnrollment"][
        "userErrors"][0]["code"] == "UNAUTHENTICATED", anonymous
    made = api.as_(code, "xitong", "mutation{ createApiToken(name:\"oa\", roles:[staff]) "
                   "{ token userErrors { code } } }")["data"]["createApiToken"]
    by_token = api.call(BEGIN, token=made["token"])["data"]["beginTotpEnrollment"]
    assert by_token["userErrors"][0]["code"] == "FORBIDDEN"
    theirs = {a["username"]: a["id"] for a in api.as_(
        other, "admin", "{ accounts { id username } }")["data"]["accounts"]}
    reset = api.as_(code, "anquan", RESET, {"a": theirs["anquan"]})["data"]["resetTotp"]
    assert reset["userErrors"][0]["code"] == "NOT_FOUND"


def test_the_secret_is_stored_sealed(api: Api, make_tenant: Any, settings: Settings,
                                    raw_app_connection: psycopg.Connection[Any]) -> None:
    code = make_tenant()
    api.as_(code, "xitong", SETTINGS, {"s": {"admin_security": {"totp_for_admins": True}}})
    token = _login(api, code, "anquan")["token"]
    secret = api.call(BEGIN, token=token)["data"]["beginTotpEnrollment"]["secret"]
    rows = tenant_rows(raw_app_connection, code,
                       "SELECT totp_secret FROM accounts WHERE username = 'anquan'")
    stored = rows[0][0]
    assert secret not in stored
    assert stored.startswith("v1:")
    # sealed under the server's key: another key cannot open it
    assert open_text(settings.secret_key, "totp", stored) == secret
    assert open_text(settings.secret_key + "x", "totp", stored) is None
