"""CSRF protection for /graphql: a request a browser may send cross-site without a preflight is
refused unless it carries a header that forces one.

A form on another site can post ``multipart/form-data``, ``text/plain`` or
``application/x-www-form-urlencoded`` with the victim's cookies and no CORS preflight. JSON
requests force a preflight by their content type; a multipart upload must name itself with a
header no plain form can set (the convention of Apollo's clients and servers).
"""

from __future__ import annotations

from starlette.datastructures import Headers

SIMPLE_TYPES = frozenset({"multipart/form-data", "text/plain",
                          "application/x-www-form-urlencoded"})
PREFLIGHT_HEADERS = ("apollo-require-preflight", "x-apollo-operation-name")
MESSAGE = ("请求缺少防跨站请求伪造（CSRF）所需的请求头：上传文件时请带上 "
           "Apollo-Require-Preflight: true")


def preflight_forced(headers: Headers) -> bool:
    """True when a browser must have sent a CORS preflight for this request."""
    content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type not in SIMPLE_TYPES:
        return True
    return any(headers.get(name, "").strip() for name in PREFLIGHT_HEADERS)
