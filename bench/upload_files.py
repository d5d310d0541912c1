"""Hostile spreadsheets built on the fly: a very long sheet and a zip bomb (tests and bench)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def long_roster(rows: int) -> bytes:
    """A roster with ``rows`` people (write-only mode keeps building it fast)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["工号", "姓名", "部门"])
    for number in range(rows):
        sheet.append([f"N{number:06d}", "新来的人", "d1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb(inflated_mb: int) -> bytes:
    """A valid small XLSX whose sheet XML inflates to ``inflated_mb`` MB (mostly blanks)."""
    normal = long_roster(1)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(normal)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for member in source.infolist():
            if member.filename != SHEET:
                bomb.writestr(member, source.read(member.filename))
                continue
            head, tail = source.read(SHEET).split(b"</sheetData>")
            info = zipfile.ZipInfo(SHEET)
            info.compress_type = zipfile.ZIP_DEFLATED
            with bomb.open(info, "w", force_zip64=True) as sheet:
                sheet.write(head)
                blank = b" " * (1024 * 1024)
                for _ in range(inflated_mb):
                    sheet.write(blank)
                sheet.write(b"</sheetData>" + tail)
    return out.getvalue()
