"""The portal's first-load transfer size: what a browser downloads to show the login page.

    python -m bench.portal_size [--dist portal/dist]

Reads the built index.html, follows its entry script, stylesheets and module preloads, and
prints each file's size as served (gzip at the server's level, jixiao/portal.py) and the total.
Lazily loaded pages (首页, GraphiQL, ECharts) are not part of the first load.
"""

from __future__ import annotations

import argparse
import gzip
import re
from pathlib import Path

from jixiao.settings import DEFAULT_PORTAL_DIR

# What index.html makes the browser fetch before the login page can show.
FIRST_LOAD = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="(/assets/[^"]+)"')


def first_load(dist: Path) -> list[tuple[str, int, int]]:
    """(path, raw bytes, gzip bytes) for index.html and every file it loads up front."""
    index = (dist / "index.html").read_bytes()
    names = ["/index.html", *dict.fromkeys(FIRST_LOAD.findall(index.decode("utf-8")))]
    rows = []
    for name in names:
        data = (dist / name.lstrip("/")).read_bytes()
        rows.append((name, len(data), len(gzip.compress(data, compresslevel=9))))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=Path(DEFAULT_PORTAL_DIR))
    args = parser.parse_args()
    rows = first_load(args.dist)
    for name, raw, packed in rows:
        print(f"  {name:<48} {raw / 1024:8.1f} KiB  gzip {packed / 1024:7.1f} KiB")
    raw = sum(r[1] for r in rows)
    packed = sum(r[2] for r in rows)
    print(f"门户首次加载（登录页）：{len(rows)} 个文件，{raw / 1024:.1f} KiB，gzip 后 "
          f"{packed / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
