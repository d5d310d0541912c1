"""Isolation cases of notifications (issue 17 part 1) and calibration (part 3), used by
test_isolation.py.

Tenant B's quarter entering 实绩申报 wrote inbox rows for B's people; ``notification_ids`` reads
one of them as B's staff member. Every case runs as tenant A's admin: B's notices, deliveries and
channels stay out of sight and out of reach, and B's period gives A no calibration.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Api
from tests.isolation_checks import Check, none_of_b, refused

NOTIFICATION_TABLES = ["notifications", "notification_deliveries", "reminder_ledger",
                       "notification_secrets"]


def notification_ids(api: Api, b: str) -> dict[str, str]:
    body = api.as_(b, "ganbu", "{ notifications(first:5) { nodes { id } } }")
    nodes = body["data"]["notifications"]["nodes"]
    assert nodes, body  # B's quarter opened its declaration stage: ganbu was told
    return {"notification": nodes[0]["id"]}


def _b_notification(t: Any) -> dict[str, Any]:
    return {"ids": [t.ids["notification"]]}


def _none_marked(body: dict[str, Any], t: Any) -> None:
    assert body["data"]["markNotificationsRead"]["marked"] == 0, body


def _no_calibration(body: dict[str, Any], t: Any) -> None:
    assert body["data"] is None or body["data"].get("calibration") is None, body
    assert "未找到" in body["errors"][0]["message"], body


def _no_secrets(body: dict[str, Any], t: Any) -> None:
    assert body["data"]["notificationSecretsSet"] == [], body


def _own_count(body: dict[str, Any], t: Any) -> None:
    assert body["data"]["unreadNotificationCount"] == 0, body  # A's admin was told nothing


NOTIFICATION_CASES: dict[str, tuple[str, Callable[[Any], dict[str, Any]], Check]] = {
    "notifications": ("{ notifications(first:50) { nodes { id } } }", lambda t: {},
                      none_of_b("notifications.nodes")),
    "unreadNotificationCount": ("{ unreadNotificationCount }", lambda t: {}, _own_count),
    "notificationDeliveries": ("{ notificationDeliveries(first:50) { nodes { id } } }",
                               lambda t: {}, none_of_b("notificationDeliveries.nodes")),
    "notificationSecretsSet": ("{ notificationSecretsSet }", lambda t: {}, _no_secrets),
    "markNotificationsRead": ("mutation($ids:[ID!]){ markNotificationsRead(ids:$ids) { marked "
                              "unreadCount } }", _b_notification, _none_marked),
    # A's own channels, off: B's channel settings are not A's to use
    "sendTestNotification": ("mutation{ sendTestNotification(channel:email) { ok deliveryId "
                             "userErrors { code } } }", lambda t: {},
                             refused("sendTestNotification", "CHANNEL_OFF",
                                     result="deliveryId")),
    # Both change only the caller's own tenant (A's account, A's channel secret).
    "setNotificationEmail": ("mutation{ setNotificationEmail(email:\"a@example.gov.cn\") "
                             "{ email userErrors { code } } }", lambda t: {},
                             lambda body, t: None),
    "setNotificationSecret": ("mutation{ setNotificationSecret(channel:email, secret:\"s3cret\") "
                              "{ ok userErrors { code } } }", lambda t: {},
                              lambda body, t: None),
    "calibration": ("query($p:ID!){ calibration(periodId:$p) { periodId } }",
                    lambda t: {"p": t.ids["period"]}, _no_calibration),
}
