"""The tenant admin's screens in Chromium, on the demo's 邛崃市司法局 (issue 15, points 1 and 8):
花名册导入 (a 20-row file with one bad row: the row's error shown; fixed and imported again, the
people appear in 人员), 组织架构 (a unit added, renamed and moved, its head set), 账号与角色 (an
account created with a role, its initial password shown once; 三员分立 refused), 单位设置 (a
setting changed and read back through the API, an invalid one refused beside its field) and
审计日志 (filtered to that change).

Only qlsfj is changed here, and only with people, units and accounts this module names itself.
``import_roster`` is the roster step other flows compose.
"""

from __future__ import annotations

import csv
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import choose, log_in, off_loop, open_menu, settle
from tests.conftest import Api

TENANT = "qlsfj"
ADMIN = "admin"


def import_roster(page: Page, portal_url: str, rows: list[dict[str, str]]) -> None:
    """Opens 花名册导入 (the caller is signed in as a tenant admin), picks a CSV of ``rows``
    (keys are the roster's Chinese headers: 工号, 姓名, 部门, ...) and presses 导入. The caller
    checks the outcome: ``roster-result`` on success, ``roster-errors`` with the bad rows."""
    if page.url.startswith(portal_url):
        settle(page)
    page.goto(f"{portal_url}/admin/roster")
    expect(page.get_by_role("heading", name="花名册导入")).to_be_visible()
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8",
                                     newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    path = Path(out.name)
    try:
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="选择文件").first.click()
        chooser.value.set_files(str(path))
        expect(page.locator('[data-test="roster-file"]')).to_have_text(path.name)
        page.get_by_role("button", name="导入", exact=True).click()
        # The file is parsed in a separate process: allow for a busy machine.
        expect(page.locator('[data-test="roster-result"]').or_(
            page.locator('[data-test="roster-errors"]'))).to_be_visible(timeout=30_000)
    finally:
        path.unlink()


def sign_in(page: Page, portal_url: str) -> None:
    log_in(page, portal_url, TENANT, ADMIN)
    expect(page.locator("[data-test=side-menu] .el-menu-item").first).to_be_visible()


def _units(api: Api) -> list[dict[str, Any]]:
    units: list[dict[str, Any]] = api.as_(TENANT, ADMIN, "{ orgUnits { id code name kind "
                                          "parentId } }")["data"]["orgUnits"]
    return units


@pytest.fixture(scope="module")
def department(demo_year: None, api: Api) -> dict[str, Any]:
    """A department of qlsfj the roster rows go to."""
    units = off_loop(_units, api)
    return next(u for u in units if u["kind"] == "department" and u["parentId"] is not None)


def test_roster_import_shows_the_bad_row_then_imports(
        page: Page, portal_url: str, api: Api, department: dict[str, Any]) -> None:
    tag = uuid.uuid4().hex[:4].upper()
    rows = [{"工号": f"R{tag}{i:02d}", "姓名": f"导入{tag}{i:02d}", "性别": "女" if i % 2 else "男",
             "部门": department["code"], "岗位": "综合岗", "职级": "一级科员", "比较组": "干部",
             "参加考核": "是"} for i in range(1, 21)]
    rows[6]["部门"] = "不存在的科室"  # row 8 of the file (the header is row 1)
    sign_in(page, portal_url)
    import_roster(page, portal_url, rows)
    errors = page.locator('[data-test="roster-errors"]')
    expect(errors).to_contain_text("第8行“部门”列：部门“不存在的科室”不存在")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(page.get_by_text("未导入任何人员")).to_be_visible()
    found = off_loop(api.as_, TENANT, ADMIN, "query($s:String!){ people(filter:{search:$s}) "
                     "{ totalCount } }", {"s": f"导入{tag}"})
    assert found["data"]["people"]["totalCount"] == 0

    rows[6]["部门"] = department["name"]
    import_roster(page, portal_url, rows)
    expect(page.locator('[data-test="roster-result"]')).to_contain_text("新增 20 人")

    settle(page)
    page.goto(f"{portal_url}/admin/people")
    page.get_by_label("查找人员").fill(f"导入{tag}")
    page.get_by_role("button", name="查询").click()
    expect(page.locator('[data-test="people-count"]')).to_contain_text("共 20 人")
    table = page.locator('[data-test="people-table"]')
    expect(table).to_contain_text(f"导入{tag}07")
    expect(table).to_contain_text(department["name"])

    # Edit one: rank and post.
    table.locator("tr", has_text=f"导入{tag}07").get_by_role("button", name="编辑").click()
    dialog = page.get_by_role("dialog", name=f"编辑人员：导入{tag}07")
    dialog.get_by_label("职务职级").fill("四级主任科员")
    dialog.get_by_role("button", name="保存").click()
    expect(dialog).to_be_hidden()
    expect(table.locator("tr", has_text=f"导入{tag}07")).to_contain_text("四级主任科员")
    settle(page)
    page.screenshot(path="/tmp/adm/people.png")


def test_org_edit_adds_renames_and_sets_a_head(
        page: Page, portal_url: str, api: Api, department: dict[str, Any]) -> None:
    tag = uuid.uuid4().hex[:4]
    other = next(u for u in off_loop(_units, api)
                 if u["kind"] == "department" and u["parentId"] and u["id"] != department["id"])
    sign_in(page, portal_url)
    open_menu(page, "组织架构")
    tree = page.locator('[data-test="org-tree"]')
    tree.get_by_text(department["name"], exact=True).click()
    page.get_by_role("button", name="新增下级部门").click()
    dialog = page.get_by_role("dialog", name="新增部门")
    dialog.get_by_label("部门名称").fill(f"测试科{tag}")
    dialog.get_by_label("部门编码").fill(f"cs{tag}")
    dialog.get_by_role("button", name="保存").click()
    expect(tree.get_by_text(f"测试科{tag}", exact=True)).to_be_visible()

    # Rename it and move it under another department.
    panel = page.locator('[data-test="unit-panel"]')
    expect(panel).to_contain_text(f"测试科{tag}")
    panel.get_by_role("button", name="修改/移动").click()
    dialog = page.get_by_role("dialog", name="修改部门")
    dialog.get_by_label("部门名称").fill(f"改名科{tag}")
    dialog.get_by_role("combobox", name="上级部门").click()
    page.get_by_role("option", name=other["name"], exact=True).click()
    dialog.get_by_role("button", name="保存").click()
    expect(tree.get_by_text(f"改名科{tag}", exact=True)).to_be_visible()

    # Its head: someone of the department, found by name.
    person = off_loop(api.as_, TENANT, ADMIN, "query($u:ID!){ people(first:1, filter:{unitId:$u})"
                      " { nodes { id name } } }", {"u": department["id"]}
                      )["data"]["people"]["nodes"][0]
    page.locator('[data-test="unit-panel"]').get_by_role("button", name="设置负责人").click()
    dialog = page.get_by_role("dialog", name="设置部门主要负责人")
    dialog.get_by_role("combobox", name="人员").fill(person["name"])
    page.get_by_role("option", name=person["name"]).first.click()
    dialog.get_by_role("button", name="保存").click()
    expect(page.locator('[data-test="unit-panel"]')).to_contain_text(person["name"])
    settle(page)
    page.screenshot(path="/tmp/adm/org.png")

    units = {u["name"]: u for u in off_loop(_units, api)}
    moved = units[f"改名科{tag}"]
    assert moved["parentId"] == other["id"]
    relations = off_loop(api.as_, TENANT, ADMIN, "{ managementRelations { kind unitId manager "
                         "{ personId } } }")["data"]["managementRelations"]
    assert {"kind": "department_head", "unitId": moved["id"],
            "manager": {"personId": person["id"]}} in relations


def test_account_created_with_a_role_and_its_password_shown_once(
        page: Page, portal_url: str, api: Api) -> None:
    username = f"zh{uuid.uuid4().hex[:6]}"
    sign_in(page, portal_url)
    open_menu(page, "账号与角色")
    page.get_by_role("button", name="新建账号").click()
    dialog = page.get_by_role("dialog", name="新建账号")
    dialog.get_by_label("用户名").fill(username)
    dialog.get_by_label("显示名称").fill("测试办公室")
    dialog.get_by_text("干部", exact=True).click()  # unticks the default role
    dialog.get_by_text("办公室", exact=True).click()
    dialog.get_by_role("button", name="保存").click()
    shown = page.locator('[data-test="secret"]')
    expect(shown).to_be_visible()
    password = shown.inner_text().strip()
    assert len(password) == 12
    expect(page.get_by_text("初始密码只显示这一次")).to_be_visible()
    page.screenshot(path="/tmp/adm/account.png")
    page.get_by_role("button", name="我已记下，关闭").click()
    expect(shown).to_be_hidden()
    assert password not in page.content()

    row = page.locator('[data-test="accounts-table"]').locator("tr", has_text=username)
    expect(row).to_contain_text("办公室")
    expect(row).to_contain_text("待改密码")
    login = off_loop(api.call, "mutation($t:String!,$u:String!,$p:String!){ login(tenantCode:$t,"
                     "username:$u,password:$p) { token mustChangePassword } }",
                     {"t": TENANT, "u": username, "p": password})["data"]["login"]
    assert login["token"]
    assert login["mustChangePassword"] is True
    accounts = off_loop(api.as_, TENANT, ADMIN, "{ accounts { username roles } }")
    assert {"username": username, "roles": ["office"]} in accounts["data"]["accounts"]

    # 三员分立: two of the separated administrators on one account, refused in the API's words.
    row.get_by_role("button", name="角色").click()
    dialog = page.get_by_role("dialog", name=f"角色：{username}")
    dialog.get_by_text("系统管理员", exact=True).click()
    dialog.get_by_text("安全管理员", exact=True).click()
    dialog.get_by_role("button", name="保存").click()
    expect(dialog).to_contain_text("三员分立：同一账号不能同时担任系统管理员、安全管理员")
    settle(page)


def test_setting_changed_read_back_and_found_in_the_audit_log(
        page: Page, portal_url: str, api: Api) -> None:
    reason = f"试行6项{uuid.uuid4().hex[:4]}"
    sign_in(page, portal_url)
    open_menu(page, "单位设置")
    item = page.locator('[data-test="setting-declarations.max_items"]')
    expect(item).to_contain_text("默认：5项")
    item.get_by_label("申报项数上限").fill("6")
    # An invalid one beside it: the rater weights no longer sum to 100.
    weights = page.locator('[data-test="setting-rating.role_weights"]')
    weights.get_by_label("部门主要负责人权重").fill("50")
    weights.get_by_label("部门主要负责人权重").blur()
    page.get_by_label("修改理由").fill(reason)
    page.get_by_role("button", name="保存设置").click()
    expect(weights).to_contain_text("评价主体权重须为非负整数且合计为100%")
    page.screenshot(path="/tmp/adm/settings-error.png", full_page=True)
    weights.get_by_role("button", name="恢复默认").click()
    page.get_by_role("button", name="保存设置").click()
    expect(page.get_by_text("设置已保存")).to_be_visible()

    settings = off_loop(api.as_, TENANT, ADMIN, "{ tenantSettings }")["data"]["tenantSettings"]
    assert settings["declarations"]["max_items"] == 6
    assert settings["rating"]["role_weights"]["department_head"] == 40

    open_menu(page, "审计日志")
    choose(page, page.get_by_role("combobox", name="操作", exact=True), "修改单位设置")
    page.get_by_role("button", name="查询").click()
    table = page.locator('[data-test="audit-table"]')
    expect(table.locator("tbody tr").first).to_contain_text(reason)
    expect(table.locator("tbody tr").first).to_contain_text("修改单位设置")
    settle(page)
    page.screenshot(path="/tmp/adm/audit.png", full_page=True)
