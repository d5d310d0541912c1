"""What the tenant admin's screens need of the API: the roster template (it imports as it is),
the settings' defaults, and a settings error that names the setting it is about."""

from __future__ import annotations

import base64
import io
from typing import Any

from openpyxl import load_workbook

from tests.conftest import Api

TEMPLATE = "{ rosterTemplate { filename mimeType contentBase64 } }"
IMPORT = ("mutation($f:String!,$c:String!){ importRoster(input:{filename:$f,contentBase64:$c})"
          " { created userErrors { code message row column } } }")


def test_roster_template_has_the_headers_and_imports_as_is(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    out = api.as_(code, "admin", TEMPLATE)["data"]["rosterTemplate"]
    assert out["filename"] == "花名册导入模板.xlsx"
    assert out["mimeType"].endswith("spreadsheetml.sheet")
    content = base64.b64decode(out["contentBase64"])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["工号", "姓名", "性别", "部门"]
    assert len(rows) == 2
    assert rows[1][1] == "张三"
    imported = api.as_(code, "admin", IMPORT, {"f": out["filename"], "c": out["contentBase64"]})
    assert imported["data"]["importRoster"] == {"created": 1, "userErrors": []}


def test_roster_template_is_for_whoever_imports(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    refused = api.as_(code, "ganbu", TEMPLATE)
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert api.call(TEMPLATE)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_settings_defaults_and_errors_per_setting(api: Api, make_tenant: Any) -> None:
    code, other = make_tenant(people=9), make_tenant(people=9)
    changed = api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{grading:"
                      "{good_quota_share:\"0.35\"}}) { userErrors { code } } }")
    assert changed["data"]["updateTenantSettings"]["userErrors"] == []
    both = api.as_(code, "admin", "{ tenantSettings tenantSettingsDefaults }")["data"]
    assert both["tenantSettings"]["grading"]["good_quota_share"] == "0.35"
    assert both["tenantSettingsDefaults"]["grading"]["good_quota_share"] == "0.40"
    # Another unit's change is not a default of this one.
    theirs = api.as_(other, "admin", "{ tenantSettings }")["data"]["tenantSettings"]
    assert theirs["grading"]["good_quota_share"] == "0.40"
    assert api.call("{ tenantSettingsDefaults }")["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED")

    bad = api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{grading:"
                  "{good_quota_share:\"1.5\"}}) { userErrors { code message field } } }")
    assert bad["data"]["updateTenantSettings"]["userErrors"] == [{
        "code": "INVALID", "message": "好等次比例须为0到1之间的小数",
        "field": "settings.grading.good_quota_share"}]
    unknown = api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{care:"
                      "{nonsense:1}}) { userErrors { field } } }")
    assert unknown["data"]["updateTenantSettings"]["userErrors"][0]["field"] == (
        "settings.care.nonsense")
