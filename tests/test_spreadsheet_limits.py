"""Reading uploads stops at the limits, with Chinese messages, before reading everything."""

from __future__ import annotations

import io
import zipfile

import pytest

from bench.upload_files import long_roster, zip_bomb
from resolvers.spreadsheet import (
    MAX_ROWS,
    SpreadsheetError,
    check_xlsx_archive,
    map_rows,
    read_table,
)

HEADERS = {"code": ("工号",), "name": ("姓名",)}


def test_csv_stops_at_the_row_limit() -> None:
    text = "工号,姓名\n" + "".join(f"N{i},张三\n" for i in range(MAX_ROWS + 1))
    with pytest.raises(SpreadsheetError, match=f"一次最多导入{MAX_ROWS}行"):
        read_table("a.csv", text.encode())
    at_limit = "工号,姓名\n" + "".join(f"N{i},张三\n" for i in range(MAX_ROWS))
    assert len(map_rows(read_table("a.csv", at_limit.encode()), HEADERS, ("code",))) == MAX_ROWS


def test_blank_rows_keep_the_row_numbers_and_do_not_count() -> None:
    text = "工号,姓名\n\n,\nN1,张三\n\n\n"
    rows = map_rows(read_table("a.csv", text.encode()), HEADERS, ("code",))
    assert [(r.row, r.values) for r in rows] == [(4, {"code": "N1", "name": "张三"})]


def test_a_csv_field_over_128_kb_is_a_clear_error() -> None:
    text = "工号,姓名\nN1," + "长" * 200_000 + "\n"
    with pytest.raises(SpreadsheetError, match="CSV 文件第2行无法读取"):
        read_table("a.csv", text.encode())


def test_xlsx_stops_at_the_row_limit() -> None:
    with pytest.raises(SpreadsheetError, match=f"一次最多导入{MAX_ROWS}行"):
        read_table("a.xlsx", long_roster(MAX_ROWS + 1))
    assert len(read_table("a.xlsx", long_roster(20))) == 21


def test_zip_bomb_is_refused_from_the_directory() -> None:
    with pytest.raises(SpreadsheetError, match="解压后超过64 MB"):
        check_xlsx_archive(zip_bomb(inflated_mb=100))


def test_a_part_inflating_more_than_100_times_is_refused() -> None:
    # 20 MB of blanks: under the size cap, but a ratio no real sheet has.
    with pytest.raises(SpreadsheetError, match="压缩比异常"):
        read_table("a.xlsx", zip_bomb(inflated_mb=20))


def test_too_many_parts_are_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for index in range(1_001):
            archive.writestr(f"x/{index}.xml", b"")
    with pytest.raises(SpreadsheetError, match="部件过多"):
        read_table("a.xlsx", out.getvalue())


def test_not_a_zip_is_a_clear_error() -> None:
    with pytest.raises(SpreadsheetError, match="无法读取该 Excel 文件"):
        read_table("a.xlsx", b"not a zip")
