"""Sending one message on one channel: e-mail by SMTP, a WeCom or DingTalk group robot by its
webhook. Each failure is a ``ChannelError`` with its reason in Chinese (what the admin's
delivery log shows) and whether trying again may help.

Outbound HTTP goes to the configured address only: redirects are not followed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import ssl
import urllib.error
import urllib.parse
import urllib.request
from email.message import EmailMessage
from typing import Any

from tenants.notify_config import EmailChannelConfig

TIMEOUT_SECONDS = 10.0


class ChannelError(Exception):
    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def send_email(config: EmailChannelConfig, password: str | None, to: str, subject: str,
               text: str) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config.from_address, to, subject
    message.set_content(text)
    where = f"{config.host}:{config.port}"
    try:
        smtp: smtplib.SMTP
        if config.security == "ssl":
            smtp = smtplib.SMTP_SSL(config.host, config.port, timeout=TIMEOUT_SECONDS,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=TIMEOUT_SECONDS)
        with smtp:
            if config.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if config.username:
                smtp.login(config.username, password or "")
            smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise ChannelError(f"SMTP 登录失败（{where}）：用户名或密码错误") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise ChannelError(f"邮件服务器拒绝收件地址 {to}", permanent=True) from exc
    except smtplib.SMTPResponseException as exc:
        raise ChannelError(f"邮件服务器（{where}）拒绝发送：{exc.smtp_code}") from exc
    except TimeoutError as exc:
        raise ChannelError(f"连接邮件服务器（{where}）超时") from exc
    except ssl.SSLError as exc:
        raise ChannelError(f"与邮件服务器（{where}）建立加密连接失败") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise ChannelError(f"无法连接邮件服务器（{where}）：{exc.__class__.__name__}") from exc


def dingtalk_signed(url: str, secret: str, timestamp_ms: int) -> str:
    """DingTalk's signed address: ``timestamp`` and ``sign`` (HmacSHA256 of
    "timestamp\\nsecret" under the secret, base64, URL-encoded) added to the query."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def post_robot(url: str, content: str) -> None:
    """POSTs ``{"msgtype":"text","text":{"content":...}}`` (the WeCom and DingTalk robots'
    text message); their answer ``errcode`` must be 0 when they give one."""
    body = json.dumps({"msgtype": "text", "text": {"content": content}},
                      ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    host = urllib.parse.urlsplit(url).netloc
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            answer = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"群机器人地址（{host}）返回 HTTP {exc.code}",
                           permanent=300 <= exc.code < 400) from exc
    except TimeoutError as exc:
        raise ChannelError(f"连接群机器人地址（{host}）超时") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ChannelError(f"无法连接群机器人地址（{host}）") from exc
    try:
        parsed = json.loads(answer) if answer.strip() else {}
    except ValueError:
        parsed = {}
    if isinstance(parsed, dict) and parsed.get("errcode", 0) not in (0, "0"):
        raise ChannelError(f"群机器人拒绝消息（错误码 {parsed.get('errcode')}："
                           f"{str(parsed.get('errmsg', ''))[:200]}）")
