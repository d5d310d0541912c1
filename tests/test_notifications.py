"""Notifications (issue 17, part 1), against real receivers on loopback: an SMTP server
(aiosmtpd) and an HTTP receiver in the WeCom/DingTalk robot format, with a real Dramatiq worker.

- opening the declaration stage delivers one message per person to each configured channel;
- a failing channel (HTTP 500) is retried and its failure recorded in Chinese;
- the reminder 3 days before the deadline is delivered exactly once with two workers running
  the reminder pass at the same moment;
- the inbox: list, unread count, mark read; the admin's delivery log; secrets never returned.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from jixiao.localservers import free_port
from jixiao.settings import Settings
from tests.conftest import Api
from tests.robots import Robots, robot_receiver
from tests.tenant_sql import tenant_connection
from tests.test_periods import advance_to, new_period

SETTINGS = ("mutation($s:JSON!){ updateTenantSettings(settings:$s) { userErrors { code message "
            "field } } }")
SECRET = ("mutation($c:NotificationChannel!,$s:String!){ setNotificationSecret(channel:$c,"
          "secret:$s) { ok userErrors { code message } } }")
DELIVERIES = ("query($a:String){ notificationDeliveries(first:100, after:$a) { totalCount "
              "pageInfo { hasNextPage endCursor } nodes { channel status statusLabel attempts "
              "lastError title recipient } } }")
INBOX = ("query($u:Boolean!){ unreadNotificationCount notifications(first:10, unreadOnly:$u) "
         "{ totalCount nodes { id event eventLabel title body link readAt } } }")
MARK = ("mutation($ids:[ID!],$all:Boolean!){ markNotificationsRead(ids:$ids, all:$all) "
        "{ marked unreadCount userErrors { code message } } }")
DING_SECRET = "SEC-test-signing-secret"


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []  # (recipients, subject)
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(parsed["Subject"])))
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), subject))
        return "250 OK"

    def with_subject(self, part: str) -> list[tuple[list[str], str]]:
        with self.lock:
            return [m for m in self.messages if part in m[1]]


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[int, Mailbox]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, box
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def robots() -> Iterator[tuple[int, Robots]]:
    with robot_receiver() as receiver:
        yield receiver


def configure(api: Api, code: str, smtp_port: int, robot_port: int,
              wecom_path: str = "/wecom") -> None:
    body = api.as_(code, "admin", SETTINGS, {"s": {"notifications": {
        "email": {"enabled": True, "host": "127.0.0.1", "port": smtp_port, "security": "none",
                  "from_address": "kaohe@example.test"},
        "wecom": {"enabled": True, "url": f"http://127.0.0.1:{robot_port}{wecom_path}?key=k1"},
        "dingtalk": {"enabled": True,
                     "url": f"http://127.0.0.1:{robot_port}/dingtalk?access_token=t1"}}}})
    assert body["data"]["updateTenantSettings"]["userErrors"] == [], body
    body = api.as_(code, "admin", SECRET, {"c": "dingtalk", "s": DING_SECRET})
    assert body["data"]["setNotificationSecret"]["ok"], body


def give_emails(settings: Settings, code: str) -> dict[str, str]:
    """Every account of the tenant gets <username>@<code>.test; returns username -> address."""
    with tenant_connection(settings, code) as conn:
        rows = conn.execute("UPDATE accounts SET email = username || '@' || %s || '.test' "
                            "RETURNING username, email", (code,)).fetchall()
        conn.commit()
    return {u: e for u, e in rows}


def recipients_of(settings: Settings, code: str, event: str, *, once: bool = True) -> list[str]:
    """The addresses the event's e-mail deliveries went to (one per person)."""
    with tenant_connection(settings, code) as conn:
        rows = conn.execute("SELECT a.email, a.person_id FROM notifications n JOIN accounts a "
                            "ON a.id = n.account_id JOIN notification_deliveries d ON "
                            "d.notification_id = n.id AND d.channel = 'email' "
                            "WHERE n.event = %s", (event,)).fetchall()
    if once:
        assert len({r[1] for r in rows}) == len(rows)  # one per person
    return sorted(r[0] for r in rows)


def deliveries(api: Api, code: str) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        body = api.as_(code, "admin", DELIVERIES, {"a": after})
        page = body["data"]["notificationDeliveries"]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def wait_until(check: Any, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.2)


def test_declaring_opens_one_message_per_person_per_channel(
        api: Api, make_tenant: Any, settings: Settings, worker: Any,
        smtp: tuple[int, Mailbox], robots: tuple[int, Robots]) -> None:
    smtp_port, box = smtp
    robot_port, seen = robots
    code = make_tenant(people=9)
    configure(api, code, smtp_port, robot_port)
    give_emails(settings, code)
    period = new_period(api, code, quarter=1)
    advance_to(api, code, period, "declaring")
    expected = recipients_of(settings, code, "stage_opened")
    assert len(expected) >= 6
    assert len(set(expected)) == len(expected)
    title = "2026年第一季度实绩申报已开始"

    def done() -> bool:
        return all(d["status"] != "pending" for d in deliveries(api, code))

    wait_until(done)
    mails = [m for m in box.with_subject(title) if m[0][0].endswith(f"@{code}.test")]
    assert sorted(m[0][0] for m in mails) == expected  # one mail per person, no more
    tag = f"{title}】"
    # one post per person on each robot; the DingTalk posts are signed
    wecom = [b for p, q, b in seen.posts if p == "/wecom" and tag in b["text"]["content"]
             and q.get("key") == "k1"]
    ding = [(q, b) for p, q, b in seen.posts if p == "/dingtalk" and tag in b["text"]["content"]]
    mine = {b["text"]["content"] for b in wecom}
    assert len(wecom) == len(expected) == len(mine)
    assert len(ding) == len(expected)
    for query, body in ding:
        assert body["msgtype"] == "text"
        digest = hmac.new(DING_SECRET.encode(), f"{query['timestamp']}\n{DING_SECRET}".encode(),
                          hashlib.sha256).digest()
        assert query["sign"] == base64.b64encode(digest).decode()
    log = deliveries(api, code)
    assert len(log) == 3 * len(expected)
    assert {(d["status"], d["attempts"]) for d in log} == {("sent", 1)}


def test_a_failing_channel_is_retried_and_its_failure_recorded(
        api: Api, make_tenant: Any, settings: Settings, worker: Any,
        smtp: tuple[int, Mailbox], robots: tuple[int, Robots]) -> None:
    smtp_port, _ = smtp
    robot_port, seen = robots
    code = make_tenant(people=9)
    configure(api, code, smtp_port, robot_port, wecom_path="/fail")
    give_emails(settings, code)
    period = new_period(api, code, quarter=1)
    advance_to(api, code, period, "declaring")
    people = len(recipients_of(settings, code, "stage_opened"))

    def done() -> bool:
        return all(d["status"] != "pending" for d in deliveries(api, code))

    wait_until(done)
    log = deliveries(api, code)
    failed = [d for d in log if d["channel"] == "wecom"]
    assert len(failed) == people
    retries = int(worker.broker.actors["deliver_notification"].options["max_retries"])
    for d in failed:  # the first try and every retry, then failed with the reason in words
        assert (d["status"], d["statusLabel"], d["attempts"]) == ("failed", "发送失败",
                                                                 retries + 1)
        assert d["lastError"] == f"群机器人地址（127.0.0.1:{robot_port}）返回 HTTP 500"
    assert {d["status"] for d in log if d["channel"] != "wecom"} == {"sent"}
    assert seen.count("/fail") >= people * (retries + 1)


def test_the_reminder_is_sent_once_with_two_workers(
        api: Api, make_tenant: Any, settings: Settings, worker: Any,
        smtp: tuple[int, Mailbox], robots: tuple[int, Robots]) -> None:
    from workers.scheduler import run_reminder_pass

    smtp_port, box = smtp
    robot_port, _ = robots
    code = make_tenant(people=9)
    configure(api, code, smtp_port, robot_port)
    give_emails(settings, code)
    closes = (datetime.now(UTC) + timedelta(days=2, hours=12)).replace(microsecond=0)
    period = new_period(api, code, quarter=1,
                        deadlines=[{"state": "declaring", "at": closes.isoformat()}])
    advance_to(api, code, period, "declaring")
    expected = recipients_of(settings, code, "stage_opened")
    worker_settings = settings.worker()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def one_worker() -> None:
        try:
            for _ in range(3):
                start.wait()
                run_reminder_pass(worker_settings)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one_worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert recipients_of(settings, code, "deadline_approaching") == expected

    def done() -> bool:
        return all(d["status"] != "pending" for d in deliveries(api, code))

    wait_until(done)
    subject = "2026年第一季度实绩申报将于3天后截止"
    mails = [m[0][0] for m in box.with_subject(subject) if m[0][0].endswith(f"@{code}.test")]
    assert sorted(mails) == expected
    # 12 hours on (2 days left): no other reminder is due
    run_reminder_pass(worker_settings, datetime.now(UTC) + timedelta(hours=12))
    assert recipients_of(settings, code, "deadline_approaching") == expected
    # 1 day before: the second reminder, once
    run_reminder_pass(worker_settings, closes - timedelta(hours=20))
    run_reminder_pass(worker_settings, closes - timedelta(hours=19))
    assert recipients_of(settings, code, "deadline_approaching", once=False) == sorted(
        expected * 2)


def test_inbox_unread_and_mark_read(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    period = new_period(api, code, quarter=1)
    advance_to(api, code, period, "declaring")
    body = api.as_(code, "ganbu", INBOX, {"u": True})["data"]
    assert body["unreadNotificationCount"] == 1
    [note] = body["notifications"]["nodes"]
    assert (note["event"], note["eventLabel"], note["link"]) == (
        "stage_opened", "考核阶段开始", "/declaration")
    assert note["title"] == "2026年第一季度实绩申报已开始"
    # someone else's id changes nothing
    other = api.as_(code, "ganbu2", MARK, {"ids": [note["id"]], "all": False})
    assert other["data"]["markNotificationsRead"]["marked"] == 0
    both = api.as_(code, "ganbu", MARK, {"ids": None, "all": False})
    assert both["data"]["markNotificationsRead"]["userErrors"][0]["code"] == "INVALID"
    mine = api.as_(code, "ganbu", MARK, {"ids": [note["id"]], "all": False})
    assert mine["data"]["markNotificationsRead"] == {"marked": 1, "unreadCount": 0,
                                                     "userErrors": []}
    body = api.as_(code, "ganbu", INBOX, {"u": False})["data"]
    assert body["notifications"]["nodes"][0]["readAt"] is not None
    assert api.as_(code, "ganbu", INBOX, {"u": True})["data"]["notifications"]["totalCount"] == 0
    # unauthenticated: refused; another tenant sees nothing of this one
    anonymous = api.call(INBOX, {"u": False})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    stranger = make_tenant(people=9)
    assert api.as_(stranger, "ganbu", INBOX, {"u": False})["data"]["notifications"][
        "totalCount"] == 0


def test_admin_only_and_secrets_never_returned(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    staff = api.as_(code, "ganbu", DELIVERIES, {"a": None})
    assert staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refused = api.as_(code, "ganbu", SECRET, {"c": "email", "s": "x"})
    assert refused["data"]["setNotificationSecret"]["userErrors"][0]["code"] == "FORBIDDEN"
    ok = api.as_(code, "admin", SECRET, {"c": "email", "s": "smtp-password-123"})
    assert ok["data"]["setNotificationSecret"]["ok"]
    document = api.as_(code, "admin", "{ tenantSettings }")
    assert "smtp-password-123" not in json.dumps(document)
    listed = api.as_(code, "admin", "{ notificationSecretsSet }")
    assert listed["data"]["notificationSecretsSet"] == ["email"]
    off = api.as_(code, "admin", "mutation{ sendTestNotification(channel:wecom) { ok "
                  "userErrors { code message } } }")
    assert off["data"]["sendTestNotification"]["userErrors"][0]["code"] == "CHANNEL_OFF"
    bad = api.as_(code, "admin", SETTINGS, {"s": {"notifications": {"wecom": {
        "enabled": True, "url": "ftp://x"}}}})
    assert bad["data"]["updateTenantSettings"]["userErrors"][0]["field"] == (
        "settings.notifications.wecom.url")


MY_EMAIL = "{ me { account { email } } }"
SET_EMAIL = ("mutation($e:String!){ setNotificationEmail(email:$e) { email "
             "userErrors { code field } } }")


def test_my_notification_email_is_set_read_and_removed(api: Api, make_tenant: Any) -> None:
    """The address the e-mail channel writes to: each person sets their own (the portal's 消息通知
    page) and reads it back on ``me``; a malformed one is refused; "" removes it."""
    code = make_tenant(people=9)
    assert api.as_(code, "ganbu", MY_EMAIL)["data"]["me"]["account"]["email"] is None
    bad = api.as_(code, "ganbu", SET_EMAIL, {"e": "不是邮箱"})["data"]["setNotificationEmail"]
    assert bad["userErrors"] == [{"code": "INVALID", "field": "email"}], bad
    ok = api.as_(code, "ganbu", SET_EMAIL, {"e": " li@example.gov.cn "})
    assert ok["data"]["setNotificationEmail"] == {"email": "li@example.gov.cn", "userErrors": []}
    assert api.as_(code, "ganbu", MY_EMAIL)["data"]["me"]["account"]["email"] == \
        "li@example.gov.cn"
    assert api.as_(code, "ganbu2", MY_EMAIL)["data"]["me"]["account"]["email"] is None
    api.as_(code, "ganbu", SET_EMAIL, {"e": ""})
    assert api.as_(code, "ganbu", MY_EMAIL)["data"]["me"]["account"]["email"] is None


WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DING_TOKEN = "1d2f3c4b5a6978e0d1c2b3a4f5e6d7c8b9a0"
AUDIT_SETTINGS = ("{ auditLog(entity:\"tenant\", first:50) { action before after } }")


def stored_settings(settings: Settings, code: str) -> dict[str, Any]:
    with tenant_connection(settings, code) as conn:
        row = conn.execute("SELECT settings FROM tenants WHERE id = "
                           "current_setting('app.tenant_id')::uuid").fetchone()
    assert row is not None
    document: dict[str, Any] = row[0]
    return document


def test_webhook_addresses_are_write_only(api: Api, make_tenant: Any,
                                          settings: Settings) -> None:
    """Issue 17: a robot's webhook address holds its key. No reading of the settings (admin or
    staff, the update's answer, the audit log) returns it: it reads "已设置（host/…，末4位）";
    saving other settings, or the document as read, keeps it; an edited mask is refused;
    "" clears it explicitly."""
    code = make_tenant(people=9)
    wecom = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={WECOM_KEY}"
    ding = f"https://oapi.dingtalk.com/robot/send?access_token={DING_TOKEN}"
    saved = api.as_(code, "admin", SETTINGS.replace("field }", "field } settings"), {"s": {
        "notifications": {"wecom": {"enabled": True, "url": wecom},
                          "dingtalk": {"enabled": True, "url": ding}}}})
    assert saved["data"]["updateTenantSettings"]["userErrors"] == []
    wecom_shown = "已设置（https://qyapi.weixin.qq.com/…，末4位：5aaa）"
    ding_shown = "已设置（https://oapi.dingtalk.com/…，末4位：b9a0）"
    answers = [saved] + [api.as_(code, user, "{ tenantSettings }")
                         for user in ("admin", "ganbu", "leader")]
    answers.append(api.as_(code, "admin", AUDIT_SETTINGS))
    for answer in answers:
        text = json.dumps(answer, ensure_ascii=False)
        for secret in (WECOM_KEY, DING_TOKEN):
            assert secret not in text, text
        for shown in (wecom_shown, ding_shown):
            assert shown in text, text
    document = api.as_(code, "admin", "{ tenantSettings }")["data"]["tenantSettings"]
    assert document["notifications"]["wecom"]["url"] == wecom_shown

    # saving another setting keeps them; so does sending back the whole document as read
    other = api.as_(code, "admin", SETTINGS, {"s": {"declarations": {"max_items": 4}}})
    assert other["data"]["updateTenantSettings"]["userErrors"] == []
    document["declarations"]["max_items"] = 3
    whole = api.as_(code, "admin", SETTINGS, {"s": document})
    assert whole["data"]["updateTenantSettings"]["userErrors"] == [], whole
    stored = stored_settings(settings, code)
    assert stored["declarations"]["max_items"] == 3
    assert (stored["notifications"]["wecom"]["url"],
            stored["notifications"]["dingtalk"]["url"]) == (wecom, ding)

    # an edited mask is not an address: refused, the stored one kept
    edited = api.as_(code, "admin", SETTINGS, {"s": {"notifications": {"wecom": {
        "url": wecom_shown.replace("5aaa", "5aab")}}}})
    [error] = edited["data"]["updateTenantSettings"]["userErrors"]
    assert (error["code"], error["field"]) == ("INVALID", "settings.notifications.wecom.url")
    assert "要更换请填写完整的新地址" in error["message"]
    assert stored_settings(settings, code)["notifications"]["wecom"]["url"] == wecom

    # a new address replaces it; clearing is explicit ("" with the channel off)
    new = wecom.replace(WECOM_KEY, "another-key-0001")
    api.as_(code, "admin", SETTINGS, {"s": {"notifications": {"wecom": {"url": new}}}})
    assert stored_settings(settings, code)["notifications"]["wecom"]["url"] == new
    cleared = api.as_(code, "admin", SETTINGS, {"s": {"notifications": {"wecom": {
        "enabled": False, "url": ""}}}})
    assert cleared["data"]["updateTenantSettings"]["userErrors"] == []
    assert stored_settings(settings, code)["notifications"]["wecom"]["url"] == ""
    assert api.as_(code, "admin", "{ tenantSettings }")["data"]["tenantSettings"][
        "notifications"]["wecom"]["url"] == ""
    assert stored_settings(settings, code)["notifications"]["dingtalk"]["url"] == ding
