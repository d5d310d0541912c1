"""The built portal (portal/dist) served at /: hashed assets cached for a year, index.html for
every other path (history-mode routing) and never cached, GraphiQL from local files outside
production. Gzipped here, so API responses and report downloads are left as they are."""

from __future__ import annotations

from pathlib import Path

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from jixiao.responses import error_json

IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"
# Paths the API owns: an unknown path below them is a 404, never the portal's index.html.
API_PREFIXES = ("/graphql", "/healthz", "/readyz", "/reports/", "/shared-reports/",
                "/one-time-files/")
GRAPHIQL_PATHS = ("/graphiql", "/graphiql.html")

NOT_BUILT = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>门户尚未构建</title>
<body style="font-family:sans-serif;margin:3em"><h1>门户尚未构建</h1>
<p>请先运行 <code>scripts/setup</code>（或在 portal/ 目录中运行
<code>npm ci &amp;&amp; npm run build</code>），然后刷新本页。
GraphQL 接口 <code>/graphql</code> 不受影响。</p></body></html>"""


class PortalFiles:
    def __init__(self, root: Path, graphiql: bool) -> None:
        self.root = root.resolve()
        self.graphiql = graphiql

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.respond(Request(scope, receive))
        await response(scope, receive, send)

    def respond(self, request: Request) -> Response:
        path = request.url.path
        if request.method not in ("GET", "HEAD") or path.startswith(API_PREFIXES):
            return error_json(404, "请求的地址不存在", "NOT_FOUND")
        index = self.root / "index.html"
        if not index.is_file():  # not built yet: say so, in Chinese, rather than fail
            return HTMLResponse(NOT_BUILT, status_code=503, headers={"cache-control": NO_CACHE})
        if path in GRAPHIQL_PATHS:
            if not self.graphiql:
                return error_json(404, "生产环境不提供 GraphiQL", "NOT_FOUND")
            return FileResponse(self.root / "graphiql.html", headers={"cache-control": NO_CACHE})
        file = self._file(path)
        if path.startswith("/assets/"):
            if file is None:
                return error_json(404, "请求的文件不存在", "NOT_FOUND")
            return FileResponse(file, headers={"cache-control": IMMUTABLE})
        if file is not None and file.name != "index.html":
            return FileResponse(file, headers={"cache-control": NO_CACHE})
        return FileResponse(index, headers={"cache-control": NO_CACHE})

    def _file(self, path: str) -> Path | None:
        """The file under the root that ``path`` names, or None (also for any way out of it)."""
        candidate = (self.root / path.lstrip("/")).resolve()
        if candidate == self.root or not candidate.is_relative_to(self.root):
            return None
        return candidate if candidate.is_file() else None


def portal_app(root: Path, graphiql: bool) -> ASGIApp:
    return GZipMiddleware(PortalFiles(root, graphiql), minimum_size=500)
