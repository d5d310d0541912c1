"""The notifications' settings (issue 17, part 1), a section of ``TenantConfig``: the channels
besides the portal's inbox and the reminders' days. Secrets are not settings: the SMTP password
and the DingTalk signing secret are sealed apart (``setNotificationSecret``) and never
returned."""

from __future__ import annotations

from dataclasses import dataclass, field
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
