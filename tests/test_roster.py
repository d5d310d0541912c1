"""Roster import from CSV and XLSX: all or nothing, every bad row named with row and column."""

from __future__ import annotations

import base64
import io
from typing import Any

from openpyxl import Workbook

from tests.conftest import Api

IMPORT = ("mutation($f:String!,$c:String!){ importRoster(input:{filename:$f,contentBase64:$c})"
          " { created updated createdPosts userErrors { code message row column field } } }")
COUNT = "{ people(first:1, filter:{status:null}) { totalCount } }"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def total(api: Api, code: str) -> int:
    return int(api.as_(code, "admin", COUNT)["data"]["people"]["totalCount"])


def test_csv_import_creates_and_updates(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    csv = ("工号,姓名,性别,部门,岗位,职级,比较组,参加考核\n"
           "N001,李新来,男,第一科,科员,四级主任科员,干部,是\n"
           "N002,王新到,女,d2,法律援助岗,一级科员,干部,是\n"
           "P006,改了名字,男,d1,,,,\n")
    result = api.as_(code, "admin", IMPORT, {"f": "花名册.csv", "c": b64(csv.encode())})
    payload = result["data"]["importRoster"]
    assert payload["userErrors"] == []
    assert (payload["created"], payload["updated"], payload["createdPosts"]) == (2, 1, 1)
    assert total(api, code) == 11
    found = api.as_(code, "admin", "{ people(filter:{search:\"王新到\"}) { edges { node { name "
                    "unit { code } post { name } } } } }")["data"]["people"]["edges"]
    assert found[0]["node"]["unit"]["code"] == "d2"
    assert found[0]["node"]["post"]["name"] == "法律援助岗"


def test_bad_rows_change_nothing_and_are_named(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    before = total(api, code)
    csv = ("工号,姓名,部门,性别\n"
           "N001,李新来,d1,男\n"
           "N002,,d1,女\n"
           "N003,赵不存在,不存在的科室,男\n"
           "N001,重复工号,d2,未知\n")
    result = api.as_(code, "admin", IMPORT, {"f": "r.csv", "c": b64(csv.encode())})
    payload = result["data"]["importRoster"]
    assert payload["created"] == 0
    errors = {(e["row"], e["column"]): e for e in payload["userErrors"]}
    assert set(errors) == {(3, "姓名"), (4, "部门"), (5, "工号"), (5, "性别")}
    assert errors[(4, "部门")]["message"] == "第4行“部门”列：部门“不存在的科室”不存在"
    assert errors[(5, "工号")]["message"] == "第5行“工号”列：工号“N001”与第2行重复"
    assert all(e["code"] == "IMPORT_ROW_INVALID" for e in payload["userErrors"])
    assert total(api, code) == before


def test_xlsx_import_and_gbk_csv(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["工号", "姓名", "部门", "比较组"])
    sheet.append(["X001", "表格导入", "d1", "领导"])
    sheet.append([1002, "数字工号", "d2", "干部"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = api.as_(code, "admin", IMPORT, {"f": "roster.xlsx", "c": b64(buffer.getvalue())})
    assert result["data"]["importRoster"]["created"] == 2
    found = api.as_(code, "admin", "{ people(filter:{search:\"1002\"}) { totalCount } }")
    assert found["data"]["people"]["totalCount"] == 1
    gbk = "工号,姓名,部门\nG001,国标编码,d1\n".encode("gb18030")
    result = api.as_(code, "admin", IMPORT, {"f": "gbk.csv", "c": b64(gbk)})
    assert result["data"]["importRoster"]["created"] == 1


def test_unreadable_files_are_refused(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    cases = [("r.txt", b"x", "只支持 .xlsx 或 .csv 文件"),
             ("r.xlsx", b"not a zip", "无法读取该 Excel 文件，请确认是 .xlsx 格式"),
             ("r.csv", "姓名\n张三\n".encode(), "缺少必需的列：工号、部门")]
    for name, data, message in cases:
        payload = api.as_(code, "admin", IMPORT, {"f": name, "c": b64(data)})["data"][
            "importRoster"]
        assert payload["userErrors"][0]["message"] == message


def test_only_the_tenant_admin_imports(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    csv = b64("工号,姓名,部门\nN1,张三,d1\n".encode())
    for user in ("ganbu", "kezhang", "leader", "bangong"):
        payload = api.as_(code, user, IMPORT, {"f": "r.csv", "c": csv})["data"]["importRoster"]
        assert payload["userErrors"][0]["code"] == "FORBIDDEN", user
    assert api.call(IMPORT, {"f": "r.csv", "c": csv})["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED")
