"""Schemes to and from XLSX, in the layout offices use: one row per category or indicator.

Sheet “指标体系”: 编码, 名称, 上级编码, 类型, 权重, 分值上限, 单项分值, 适用范围, 需确认, 确认说明,
严重问题, 说明, 生效日期, 动态指标原因. Sheet “评价维度” (optional on import): 编码, 名称, 权重,
评价主体. An import replaces the content of a draft version, all or nothing: every bad cell and
every rule the whole tree breaks is named with its row and column, and nothing changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import delete

from authz import Permission
from models import SchemeDimension, SchemeNode
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail
from resolvers.plans.schemes import (
    get_scheme,
    get_version,
    require_draft,
    version_dimensions,
    version_nodes,
)
from resolvers.spreadsheet import (
    Check,
    Sheet,
    SheetRow,
    SpreadsheetError,
    UploadedFile,
    encode,
    in_process,
    map_rows,
    read_sheets,
    row_problem,
    write_xlsx,
)
from rules.scheme_validation import DimensionSpec, NodeSpec, check_scheme
from rules.scoring import DEFAULT_ROLE_LABELS
from vocab.plans import INDICATOR_KIND_LABELS, AppliesTo, IndicatorKind

NODE_SHEET = "指标体系"
DIMENSION_SHEET = "评价维度"

NODE_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("编码", "指标编码", "code"),
    "name": ("名称", "指标名称", "name"),
    "parent": ("上级编码", "上级指标编码", "parent"),
    "kind": ("类型", "指标类型", "kind"),
    "weight": ("权重", "权重(%)", "weight"),
    "cap": ("分值上限", "上限", "cap"),
    "points": ("单项分值", "分值", "points"),
    "applies_to": ("适用范围", "applies_to"),
    "needs_confirmation": ("需确认", "是否需确认", "needs_confirmation"),
    "confirmation_note": ("确认说明", "confirmation_note"),
    "serious": ("严重问题", "是否严重问题", "serious"),
    "description": ("说明", "指标说明", "description"),
    "effective_from": ("生效日期", "effective_from"),
    "dynamic_reason": ("动态指标原因", "增设原因", "dynamic_reason"),
}
NODE_LABELS = {f: names[0] for f, names in NODE_HEADERS.items()}
DIMENSION_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("编码", "维度编码", "code"),
    "name": ("名称", "维度名称", "name"),
    "weight": ("权重", "权重(%)", "weight"),
    "rater_roles": ("评价主体", "rater_roles"),
}
DIMENSION_LABELS = {f: names[0] for f, names in DIMENSION_HEADERS.items()}

KINDS = {**{label: kind.value for kind, label in INDICATOR_KIND_LABELS.items()},
         **{kind.value: kind.value for kind in IndicatorKind}, "负面清单": "conduct_standard"}
APPLIES = {**{a.label: a.value for a in AppliesTo}, **{a.value: a.value for a in AppliesTo},
           "": AppliesTo.everyone.value}
YES_NO = {"是": True, "否": False, "": False, "true": True, "false": False, "1": True, "0": False}
ROLES = {**{label: role for role, label in DEFAULT_ROLE_LABELS.items()},
         **{role: role for role in DEFAULT_ROLE_LABELS}}


YES_NO_CHOICES = ("是", "否")
NODE_CHECKS = {
    NODE_LABELS["kind"]: Check(choices=tuple(INDICATOR_KIND_LABELS.values())),
    NODE_LABELS["weight"]: Check(number="whole", minimum=0, maximum=100,
                                 hint="同一上级下各项权重合计为100"),
    NODE_LABELS["cap"]: Check(number="decimal", minimum=0),
    NODE_LABELS["points"]: Check(number="decimal"),
    NODE_LABELS["applies_to"]: Check(choices=tuple(a.label for a in AppliesTo)),
    NODE_LABELS["needs_confirmation"]: Check(choices=YES_NO_CHOICES),
    NODE_LABELS["serious"]: Check(choices=YES_NO_CHOICES),
    NODE_LABELS["effective_from"]: Check(date=True, hint="动态指标的生效日期，如 2026-05-15"),
}
DIMENSION_CHECKS = {
    DIMENSION_LABELS["weight"]: Check(number="whole", minimum=0, maximum=100),
    DIMENSION_LABELS["rater_roles"]: Check(
        hint="可填多个，用“、”分隔：" + "、".join(DEFAULT_ROLE_LABELS.values())),
}


@dataclass(frozen=True)
class FileOut:
    filename: str
    content_base64: str


def _number(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _split(text: str) -> list[str]:
    for sep in ("，", ",", "；", ";", " ", "\n"):
        text = text.replace(sep, "、")
    return [p for p in (s.strip() for s in text.split("、")) if p]


@dataclass
class _Node:
    row: int
    spec: NodeSpec
    applies_to: str
    needs_confirmation: bool
    confirmation_note: str
    serious: bool
    description: str
    effective_from: date | None
    dynamic_reason: str


def _parse_nodes(rows: Sequence[SheetRow]) -> tuple[list[_Node], list[Problem]]:
    problems: list[Problem] = []
    out: list[_Node] = []

    def bad(row: SheetRow, field: str, message: str) -> None:
        problems.append(row_problem(row.row, field, NODE_LABELS[field], message, NODE_SHEET))

    by_code = {r.values.get("code", ""): r.row for r in rows}
    for row in rows:
        v = row.values
        for field in ("code", "name", "kind"):
            if not v.get(field):
                bad(row, field, "不能为空")
        kind = KINDS.get(v.get("kind", ""))
        if v.get("kind") and kind is None:
            bad(row, "kind", "只能填写" + "、".join(INDICATOR_KIND_LABELS.values()))
        weight = None
        if v.get("weight"):
            number = _number(v["weight"])
            if number is None or number != number.to_integral_value():
                bad(row, "weight", "须为整数（百分比）")
            else:
                weight = int(number)
        numbers: dict[str, Decimal | None] = {}
        for field in ("cap", "points"):
            numbers[field] = _number(v.get(field, ""))
            if v.get(field) and numbers[field] is None:
                bad(row, field, "须为数字")
        for field in ("needs_confirmation", "serious"):
            if v.get(field, "") not in YES_NO:
                bad(row, field, "只能填写“是”或“否”")
        if v.get("applies_to", "") not in APPLIES:
            bad(row, "applies_to", "只能填写“全员”或“岗位责任书”")
        start = None
        if v.get("effective_from"):
            try:
                start = date.fromisoformat(v["effective_from"][:10])
            except ValueError:
                bad(row, "effective_from", "日期格式应为 2026-05-15")
            if not v.get("dynamic_reason"):
                bad(row, "dynamic_reason", "动态指标须填写增设原因")
        parent = v.get("parent", "")
        if parent and parent not in by_code:
            bad(row, "parent", f"上级编码“{parent}”不在本表中")
        out.append(_Node(
            row=row.row,
            spec=NodeSpec(key=row.row, code=v.get("code", ""), name=v.get("name", ""),
                          kind=kind or v.get("kind", ""),
                          parent_key=by_code.get(parent) if parent else None, weight=weight,
                          cap=numbers["cap"], points=numbers["points"]),
            applies_to=APPLIES.get(v.get("applies_to", ""), "everyone"),
            needs_confirmation=YES_NO.get(v.get("needs_confirmation", ""), False),
            confirmation_note=v.get("confirmation_note", ""),
            serious=YES_NO.get(v.get("serious", ""), False),
            description=v.get("description", ""), effective_from=start,
            dynamic_reason=v.get("dynamic_reason", "")))
    return out, problems


def _parse_dimensions(rows: Sequence[SheetRow]) -> tuple[list[DimensionSpec],
                                                         dict[int, list[str]], list[Problem]]:
    problems: list[Problem] = []
    specs: list[DimensionSpec] = []
    roles: dict[int, list[str]] = {}
    for row in rows:
        v = row.values
        number = _number(v.get("weight", ""))
        if number is None or number != number.to_integral_value():
            problems.append(row_problem(row.row, "weight", DIMENSION_LABELS["weight"],
                                        "须为整数（百分比）", DIMENSION_SHEET))
        roles[row.row] = []
        for name in _split(v.get("rater_roles", "")):
            if name not in ROLES:
                problems.append(row_problem(row.row, "rater_roles",
                                            DIMENSION_LABELS["rater_roles"],
                                            f"评价主体“{name}”无效", DIMENSION_SHEET))
            else:
                roles[row.row].append(ROLES[name])
        specs.append(DimensionSpec(("dim", row.row), v.get("code", ""), v.get("name", ""),
                                   int(number) if number is not None else 0))
    return specs, roles, problems


def _tree_problems(nodes: list[_Node], dims: list[DimensionSpec] | None) -> list[Problem]:
    """Rules of the whole tree (and dimensions), placed on the row and column they concern.

    Node keys are row numbers of the node sheet; dimension keys are ("dim", row).
    """
    node_fields = {"code", "name", "kind", "weight", "cap", "points", "parent"}
    out = []
    for p in check_scheme([n.spec for n in nodes], dims):
        if isinstance(p.key, tuple):
            field = p.field if p.field in DIMENSION_LABELS else "weight"
            out.append(row_problem(int(p.key[1]), field, DIMENSION_LABELS[field], p.message,
                                   DIMENSION_SHEET))
        elif isinstance(p.key, int):
            field = p.field if p.field in node_fields else "code"
            out.append(row_problem(p.key, field, NODE_LABELS[field], p.message, NODE_SHEET))
        else:
            sheet = DIMENSION_SHEET if p.field == "dimensions" else NODE_SHEET
            out.append(Problem(ErrorCode.IMPORT_ROW_INVALID, f"“{sheet}”表：{p.message}",
                               p.field))
    return out


def _read_file(upload: UploadedFile) -> tuple[list[SheetRow], list[SheetRow] | None]:
    """The node rows and, when the file has that sheet, the dimension rows (blocking)."""
    sheets = read_sheets(upload.filename, upload.content(), (NODE_SHEET, DIMENSION_SHEET))
    node_table = sheets.get(NODE_SHEET) or next(iter(sheets.values()), [])
    node_rows = map_rows(node_table, NODE_HEADERS, ("code", "name", "kind"), NODE_SHEET)
    dim_rows = (map_rows(sheets[DIMENSION_SHEET], DIMENSION_HEADERS,
                         ("code", "name", "weight"), DIMENSION_SHEET)
                if DIMENSION_SHEET in sheets else None)
    return node_rows, dim_rows


@dataclass(frozen=True)
class SchemeImportResult:
    nodes: int
    dimensions: int


async def import_scheme(ctx: Context, version_id: uuid.UUID,
                        upload: UploadedFile) -> SchemeImportResult:
    ctx.require(Permission.scheme_write)
    version = await get_version(ctx, version_id, lock=True)
    require_draft(version)
    try:
        node_rows, dim_rows = await in_process(_read_file, upload)
    except SpreadsheetError as exc:
        raise fail(ErrorCode.INVALID, str(exc), upload.field) from exc
    nodes, problems = _parse_nodes(node_rows)
    dims, roles, dim_problems = _parse_dimensions(dim_rows) if dim_rows is not None else (
        None, {}, [])
    problems += dim_problems
    if not problems:
        problems = _tree_problems(nodes, dims)
    if problems:
        raise UserFacingError(*problems)

    before = {"nodes": len(await version_nodes(ctx, version_id))}
    await ctx.session.execute(delete(SchemeNode).where(SchemeNode.version_id == version_id))
    ids = {n.row: uuid.uuid4() for n in nodes}
    for order, node in enumerate(_parents_first(nodes)):
        s = node.spec
        ctx.session.add(SchemeNode(
            tenant_id=ctx.me.tenant_id, id=ids[node.row], version_id=version_id,
            parent_id=ids[s.parent_key] if isinstance(s.parent_key, int) else None,
            code=s.code.strip(), name=s.name.strip(), kind=s.kind, weight=s.weight, cap=s.cap,
            points=s.points, applies_to=node.applies_to,
            needs_confirmation=node.needs_confirmation,
            confirmation_note=node.confirmation_note, serious=node.serious,
            description=node.description, dynamic=node.effective_from is not None,
            effective_from=node.effective_from, dynamic_reason=node.dynamic_reason,
            sort_order=order))
        await ctx.session.flush()
    if dims is not None:
        await ctx.session.execute(delete(SchemeDimension).where(
            SchemeDimension.version_id == version_id))
        ctx.session.add_all([SchemeDimension(
            tenant_id=ctx.me.tenant_id, version_id=version_id, code=d.code.strip(),
            name=d.name.strip(), weight=d.weight, rater_roles=roles.get(_row_of(d), []),
            sort_order=i) for i, d in enumerate(dims)])
        await ctx.session.flush()
    audit.record(ctx, "scheme.import", "scheme_version", version_id, before,
                 {"nodes": len(nodes), "dimensions": len(dims) if dims is not None else None,
                  "file": upload.filename})
    return SchemeImportResult(len(nodes), len(dims) if dims is not None else 0)


def _row_of(dim: DimensionSpec) -> int:
    key = dim.key
    assert isinstance(key, tuple)
    return int(key[1])


def _parents_first(nodes: list[_Node]) -> list[_Node]:
    placed: set[int] = set()
    out: list[_Node] = []
    pending = list(nodes)
    while pending:
        rest = []
        for node in pending:
            parent = node.spec.parent_key
            if parent is None or parent in placed:
                out.append(node)
                placed.add(node.row)
            else:
                rest.append(node)
        if len(rest) == len(pending):  # cannot happen after validation (no cycles)
            raise fail(ErrorCode.INVALID, "指标上级关系无效")
        pending = rest
    return out


async def export_scheme(ctx: Context, version_id: uuid.UUID) -> FileOut:
    """The version as the import reads it, with dropdowns and typed cells: it doubles as the
    template (fill or change it, import it into a draft)."""
    version = await get_version(ctx, version_id)
    scheme = await get_scheme(ctx, version.scheme_id)
    nodes = await version_nodes(ctx, version_id)
    codes = {n.id: n.code for n in nodes}
    node_rows = [
        (n.code, n.name, codes.get(n.parent_id, "") if n.parent_id else "",
         IndicatorKind(n.kind).label, n.weight, n.cap, n.points, AppliesTo(n.applies_to).label,
         "是" if n.needs_confirmation else "否",
         n.confirmation_note, "是" if n.serious else "否", n.description,
         n.effective_from, n.dynamic_reason)
        for n in nodes]
    dim_rows = [(d.code, d.name, d.weight,
                 "、".join(DEFAULT_ROLE_LABELS.get(r, r) for r in d.rater_roles))
                for d in await version_dimensions(ctx, version_id)]
    content = write_xlsx([
        Sheet(NODE_SHEET, tuple(NODE_LABELS.values()), node_rows,
              (10, 36, 10, 16, 8, 10, 10, 12, 8, 30, 10, 30, 12, 20), NODE_CHECKS),
        Sheet(DIMENSION_SHEET, tuple(DIMENSION_LABELS.values()), dim_rows, (18, 16, 8, 30),
              DIMENSION_CHECKS),
    ])
    return FileOut(f"{scheme.year}年度指标体系（第{version.number}版）.xlsx", encode(content))


__all__ = ["FileOut", "SchemeImportResult", "export_scheme", "import_scheme"]
