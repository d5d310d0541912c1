"""The notifications' settings (issue 17, part 1), a section of ``TenantConfig``: the channels
besides the portal's inbox and the reminders' days. Secrets are not settings: the SMTP password
and the DingTalk signing secret are sealed apart (``setNotificationSecret``) and never
returned.

A robot's webhook address is a setting but holds its key (WeCom ``?key=``, DingTalk
``?access_token=``), so it is write-only: every reading of the settings document (the API, the
audit log) shows it masked (``mask_webhook``: "已设置（https://host/…，末4位：ab12）"); a change
that sends the masked text back, or leaves the field out, keeps the stored address
(``keep_webhooks``); "" clears it; a new address replaces it."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tenants.config_error import ConfigError


@dataclass(frozen=True)
class EmailChannelConfig:
    """E-mail by SMTP (issue 17). The password is not a setting: it is sealed apart
    (``setNotificationSecret``) and never returned."""

    enabled: bool = False
    host: str = ""
    port: int = 465
    # vocab.notifications.SmtpSecurity: "ssl" (implicit TLS), "starttls" or "none".
    security: str = "ssl"
    username: str = ""
    from_address: str = ""


@dataclass(frozen=True)
class WebhookChannelConfig:
    """A WeCom (企业微信) or DingTalk (钉钉) group robot: messages are POSTed to this address
    only. DingTalk's optional signing secret is sealed apart, like the SMTP password."""

    enabled: bool = False
    url: str = ""


@dataclass(frozen=True)
class NotificationConfig:
    """Channels besides the portal's inbox (always on) and the reminders (issue 17, part 1).
    Every channel is off by default: a unit that configures nothing is told nothing outside
    the portal, as before."""

    email: EmailChannelConfig = field(default_factory=EmailChannelConfig)
    wecom: WebhookChannelConfig = field(default_factory=WebhookChannelConfig)
    dingtalk: WebhookChannelConfig = field(default_factory=WebhookChannelConfig)
    # Days before a stage's deadline when its people are reminded (default 3 and 1).
    reminder_days_before: list[int] = field(default_factory=lambda: [3, 1])


def webhook_problem(url: object) -> str | None:
    """Why a text is not a robot's webhook address (http(s)://host[:port]/path?query), or None."""
    if not isinstance(url, str) or not url:
        return "不能为空"
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return "端口无效"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "须以 http:// 或 https:// 开头并写明主机"
    if parts.username is not None or parts.password is not None:
        return "不能包含用户名或密码"
    return None


def check_notifications(config: NotificationConfig) -> None:
    email = config.email
    if not all(isinstance(c.enabled, bool) for c in (email, config.wecom, config.dingtalk)):
        raise ConfigError("通知渠道的开关须为 true 或 false", "notifications")
    if not isinstance(email.port, int) or isinstance(email.port, bool) or not (
            1 <= email.port <= 65535):
        raise ConfigError("SMTP 端口须在1到65535之间", "notifications.email.port")
    if email.security not in ("none", "starttls", "ssl"):
        raise ConfigError("SMTP 加密方式只能是 ssl、starttls 或 none",
                          "notifications.email.security")
    if email.enabled and not (isinstance(email.host, str) and email.host.strip()):
        raise ConfigError("启用电子邮件须填写 SMTP 服务器", "notifications.email.host")
    if email.enabled and not (isinstance(email.from_address, str)
                              and "@" in email.from_address):
        raise ConfigError("启用电子邮件须填写有效的发件地址", "notifications.email.from_address")
    for name, path, robot in (("企业微信", "wecom", config.wecom),
                              ("钉钉", "dingtalk", config.dingtalk)):
        if robot.enabled or robot.url:
            problem = webhook_problem(robot.url)
            if problem is not None:
                raise ConfigError(f"{name}群机器人地址无效：{problem}",
                                  f"notifications.{path}.url")
    days = config.reminder_days_before
    if (not isinstance(days, list) or len(days) > 5 or len(set(days)) != len(days)
            or not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 30
                       for d in days)):
        raise ConfigError("截止提醒须为至多5个不重复的天数（1到30天）",
                          "notifications.reminder_days_before")


# The settings that hold a secret: (section, channel, key) in the settings document.
WEBHOOK_PATHS = (("notifications", "wecom", "url"), ("notifications", "dingtalk", "url"))
MASK_MARK = "已设置（"


def mask_webhook(url: str) -> str:
    """What a reader sees of a stored webhook address: where it goes and its last 4
    characters, never its key ("" stays "")."""
    if not url:
        return ""
    parts = urlsplit(url)
    where = f"{parts.scheme}://{parts.netloc}/…" if parts.scheme and parts.netloc else "…"
    return f"{MASK_MARK}{where}，末4位：{url[-4:]}）"


def _at(document: dict[str, Any], path: tuple[str, ...]) -> tuple[dict[str, Any], str] | None:
    """The dict holding ``path``'s last key, and that key, or None when absent."""
    node: Any = document
    for key in path[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
    return (node, path[-1]) if isinstance(node, dict) and path[-1] in node else None


def masked(document: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of a settings document with every webhook address masked."""
    if document is None:
        return None
    out = copy.deepcopy(document)
    for path in WEBHOOK_PATHS:
        found = _at(out, path)
        if found is not None and isinstance(found[0][found[1]], str):
            found[0][found[1]] = mask_webhook(found[0][found[1]])
    return out


def keep_webhooks(stored: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` without the webhook addresses sent back as they were read (masked): those
    keep the stored address. A masked text that is not the stored one's (edited, or another
    unit's) is refused rather than stored as an address."""
    out = copy.deepcopy(changes)
    for path in WEBHOOK_PATHS:
        found = _at(out, path)
        if found is None or not isinstance(found[0][found[1]], str):
            continue
        holder, key = found
        now = _at(stored, path)
        current = now[0][now[1]] if now is not None else ""
        if holder[key] == mask_webhook(current if isinstance(current, str) else ""):
            if holder[key]:
                del holder[key]
        elif MASK_MARK in holder[key]:
            raise ConfigError("Webhook 地址已设置，不再显示：要更换请填写完整的新地址，"
                              "清空则删除，不修改请保持原样", ".".join(path))
    return out
