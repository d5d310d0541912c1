"""Where one request's CPU goes: the app driven in this process, profiled.

    python -m bench.profile_request [--people 2000] [--requests 300] [--query people]
                                    [--top 40] [--sort tottime]

Loads ``bench.api_load``'s unit (``--people``), then calls the ASGI app directly in one event
loop (no HTTP server, no client threads: what is measured is the app's own work plus the
database driver's), ``--requests`` times back to back with ``bench.api_load``'s query
(``people``: the portal's page of 50; ``dashboard``; ``typename``), first without the profiler
(CPU ms per request of this process, which includes nothing else), then under cProfile, and
prints the profile's top functions. The database's own CPU is not counted. The garbage
collector is tuned as the served process tunes it (``--untuned-gc``: as Python leaves it), and
its collections per request and their CPU are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import pstats
import time
from typing import Any

from bench.api_load import DASHBOARD, PASSWORD, PEOPLE_PAGE, USERNAME, seed
from bench.support import throwaway_database

LOGIN = ("mutation($t:String!,$u:String!,$p:String!){login(tenantCode:$t,username:$u,"
         "password:$p){token}}")


async def call(app: Any, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    """One POST /graphql through the ASGI app; the decoded answer."""
    raw = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"host", b"localhost"),
               (b"content-length", str(len(raw)).encode())]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": "/graphql", "raw_path": b"/graphql",
             "query_string": b"", "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000), "state": {},
             "app": app}
    sent = False
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": raw, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    answer: dict[str, Any] = json.loads(b"".join(chunks))
    assert not answer.get("errors"), answer
    return answer


async def drive(settings: Any, code: str, body: dict[str, Any], requests: int, top: int,
                sort: str, dump: str | None = None, tuned: bool = True) -> None:
    from jixiao.app import create_app
    from jixiao.collector import tune_garbage_collector

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        answer = await call(app, {"query": LOGIN, "variables": {
            "t": code, "u": USERNAME, "p": PASSWORD}})
        token = answer["data"]["login"]["token"]
        for _ in range(20):
            await call(app, body, token)
        if tuned:
            tune_garbage_collector()
        pauses: list[float] = []
        started = [0.0]

        def timing(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                started[0] = time.process_time()
            else:
                pauses.append(time.process_time() - started[0])

        gc.callbacks.append(timing)
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(requests):
            await call(app, body, token)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(f"without the profiler: {1000 * cpu / requests:.2f} ms CPU, "
              f"{1000 * wall / requests:.2f} ms wall per request (database included in wall)")
        print(f"garbage collector: {len(pauses) / requests:.1f} collections, "
              f"{1000 * sum(pauses) / requests:.2f} ms CPU per request")
        gc.callbacks.remove(timing)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(requests):
            await call(app, body, token)
        profile.disable()
    if dump:
        profile.dump_stats(dump)
    stats = pstats.Stats(profile)
    stats.sort_stats(sort).print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--query", choices=("people", "dashboard", "typename"),
                        default="people")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--dump", help="also write the profile's stats to this file")
    parser.add_argument("--untuned-gc", action="store_true",
                        help="leave the garbage collector as Python sets it (jixiao/asgi.py "
                             "tunes it in the served process)")
    args = parser.parse_args()
    with throwaway_database() as settings:
        seeded = seed(settings, args.people)
        body = {"people": {"query": PEOPLE_PAGE, "variables": {"first": 50}},
                "dashboard": {"query": DASHBOARD, "variables": {"periodId": str(seeded.period)}},
                "typename": {"query": "{ __typename }", "variables": {}}}[args.query]
        asyncio.run(drive(settings, seeded.code, body, args.requests, args.top, args.sort,
                          args.dump, not args.untuned_gc))


if __name__ == "__main__":
    main()
