"""Command line: migrate, load the demo, serve, run a worker, or do all of it locally."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
from collections.abc import Collection
from pathlib import Path

from jixiao.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def migrate(settings: Settings) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", settings.owner_database_url)
    config.cmd_opts = argparse.Namespace(x=[f"app_role={settings.app_role}"])
    command.upgrade(config, "heads")


def analyze(settings: Settings) -> None:
    """Fresh planner statistics (as the tables' owner) for what was just committed: the year's
    long transactions otherwise plan their joins on statistics of nearly empty tables."""
    from sqlalchemy import create_engine, make_url

    url = make_url(settings.owner_database_url).set(drivername="postgresql+psycopg")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()


def load_demo(settings: Settings, *, year: bool = False, only: Collection[str] | None = None,
              processes: int | None = None) -> list[str]:
    """Loads the demo tenants that are missing; with ``year``, also the year of history
    (demo.year) of every appraised tenant that has none (or of those in ``only``), the units
    side by side in ``processes`` worker processes (demo.load.load_demo_years). Returns the
    codes of the tenants loaded and of the units whose year was loaded."""
    from datetime import date

    from demo.load import load_demo as load
    from demo.load import load_demo_years
    from tenants.db import make_engine, make_sessionmaker

    async def tenants() -> list[str]:
        engine = make_engine(settings.database_url, pooled=False)
        try:
            return await load(make_sessionmaker(engine))
        finally:
            await engine.dispose()

    loaded = asyncio.run(tenants())
    if loaded:
        analyze(settings)
    if year:
        years = load_demo_years(settings.database_url, settings.use_cases(), date.today(), only,
                                processes)
        loaded += [f"{y.code}（年度数据）" for y in years]
    return loaded


def print_logins(url: str) -> None:
    from demo.catalog import DEMO_PASSWORD
    from demo.load import login_table

    print(f"\n绩效管理平台已启动：门户 {url}/ （浏览器打开，用下面的演示账号登录）")
    print(f"GraphQL 接口 {url}/graphql ，GraphiQL（非生产环境）{url}/graphiql")
    print(f"演示账号（密码均为 {DEMO_PASSWORD}）：单位代码 / 用户名 / 角色")
    for name, code, username, roles in login_table():
        print(f"  {name:<16} {code:<8} {username:<10} {roles}")
    print("  其余每位人员也有账号：用户名为人员编号的小写（如 xhjd 的 xh0012），密码相同")
    print("\n登录示例：")
    print(f"  curl -s {url}/graphql -H 'content-type: application/json' -d "
          "'{\"query\":\"mutation{login(tenantCode:\\\"cdjw\\\",username:\\\"admin\\\","
          f"password:\\\"{DEMO_PASSWORD}\\\"){{token userErrors{{message}}}}}}\"}}'")


def local(args: argparse.Namespace) -> None:
    """Starts local Postgres/Redis under the data folder unless URLs are configured."""
    from jixiao import localservers

    data = Path(os.environ.get("JIXIAO_DATA_DIR", ROOT / "data")).resolve()
    env = dict(os.environ)
    servers: list[localservers.LocalPostgres | localservers.LocalRedis] = []
    if "JIXIAO_DATABASE_URL" not in env:
        pg = localservers.LocalPostgres(
            data / "postgres", int(env.get("JIXIAO_LOCAL_PG_PORT", "54329"))).start()
        servers.append(pg)
        env["JIXIAO_DATABASE_URL"] = pg.app_url
        env["JIXIAO_OWNER_DATABASE_URL"] = pg.owner_url
    if "JIXIAO_REDIS_URL" not in env:
        redis = localservers.LocalRedis(
            data / "redis", int(env.get("JIXIAO_LOCAL_REDIS_PORT", "63799"))).start()
        servers.append(redis)
        env["JIXIAO_REDIS_URL"] = redis.url
    os.environ.update(env)
    settings = Settings.from_env(env)
    migrate(settings)
    from demo.load import DemoYearError

    try:
        loaded = load_demo(settings, year=not args.no_demo_year)
    except DemoYearError as exc:  # the other units are loaded: serve them, say what failed
        print(exc, file=sys.stderr)
        loaded = []
    if loaded:
        print(f"已载入演示单位：{'、'.join(loaded)}")
    url = f"http://127.0.0.1:{args.port}"
    from jixiao.supervisor import Child, supervise

    children = [
        Child("接口进程", [sys.executable, "-m", "uvicorn", "jixiao.asgi:app", "--host", args.host,
                       "--port", str(args.port)], env, ROOT),
        Child("后台任务进程", [sys.executable, "-m", "dramatiq", "jixiao.worker", "--processes",
                         "1", "--threads", "2"], env, ROOT),
    ]
    stopped = [False]

    def on_signal(signum: int, frame: object) -> None:
        stopped[0] = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        for child in children:
            child.start()
        deadline = time.monotonic() + 60
        while not localservers.port_open(args.port) and time.monotonic() < deadline:
            time.sleep(0.2)
        print_logins(url)
        sys.stdout.flush()
        # A crashed API or worker is started again; the rest keeps serving.
        supervise(children, stopped)
    finally:
        for child in children:
            child.stop()
        for server in servers:
            server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="jixiao", description="绩效管理平台")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations (owner role)")
    demo = sub.add_parser("load-demo", help="load the pilot's demo tenants")
    sub.add_parser("export-sdl", help="write schema/schema.graphql")
    check_schema = sub.add_parser("check-schema", help="fail on a breaking change of the SDL "
                                  "against main that schema/CHANGELOG.md does not list")
    check_schema.add_argument("--base", help="git revision to compare with (default: main)")
    serve = sub.add_parser("local", help="run everything locally")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=int(os.environ.get("JIXIAO_PORT", "8000")))
    for command in (demo, serve):
        command.add_argument("--no-demo-year", action="store_true",
                             help="load the demo tenants without their year (by default every "
                                  "appraised unit gets the past year's quarters closed, the "
                                  "annual results and the current quarter open)")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        migrate(Settings.from_env())
    elif args.command == "load-demo":
        print(load_demo(Settings.from_env(), year=not args.no_demo_year))
    elif args.command == "export-sdl":
        from schema import SDL_PATH, export_sdl

        SDL_PATH.write_text(export_sdl(), encoding="utf-8")
        print(f"wrote {SDL_PATH}")
    elif args.command == "check-schema":
        check_schema_changes(args.base)
    elif args.command == "local":
        local(args)


def check_schema_changes(base: str | None) -> None:
    from schema.changes import check

    verdict = check(base)
    if verdict.base is None:
        print("check-schema: no earlier version to compare with (no history); skipped")
        return
    print(f"check-schema: {len(verdict.breaking)} breaking change(s) against {verdict.base[:12]}"
          f", {len(verdict.unlisted)} not in schema/CHANGELOG.md")
    for change in verdict.unlisted:
        print(f"  not listed: {change}")
    if verdict.unlisted:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
