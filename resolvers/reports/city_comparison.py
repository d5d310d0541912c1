"""The city's cross-unit comparison (试点单位横向比较): every figure of ``rules.oversight`` by unit
and by kind of unit, with bar charts, and the definitions of the figures.

For the city organization department only (``oversight_report:export``). The worker renders it
in the city's own tenant (the overseer's jobs): ``load`` checks that the job's tenant is the
organization department, moves its transaction to the platform scope and reads the figures
through ``platform_figures`` (aggregates only; small groups suppressed), exactly as the
``oversightComparison`` query does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from sqlalchemy import select

from authz import Permission
from models import Tenant
from reports import Column, Document, Table
from reports.bars import grouped_hbar_chart
from reports.document import CellValue
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail
from resolvers.oversight.comparison import (
    Comparison,
    PeriodRef,
    Row,
    check_periods,
    read_comparison,
)
from resolvers.reports.registry import ExportParams, ReportKind, ReportSpec, register
from rules.oversight import FIGURE_BY_CODE, FIGURES, Figure
from tenants.db import Scope, set_tenant
from vocab.org import TenantKind

SUPPRESSED = "样本不足"
CHART_FIGURES = ("declaration_rate", "declaration_on_time_rate", "items_per_declaration",
                 "rater_coverage", "interview_completion", "top_grade_quota_use",
                 "commendations_per_100", "error_notices_per_100", "overdue_task_rate",
                 "rectification_days", "care_list_size", "mentoring_coverage",
                 "promotions_per_100", "bonus_grade_ratio", "bonus_between_departments")


def parse_period_key(key: str) -> PeriodRef:
    try:
        if "Q" in key:
            year, quarter = key.split("Q", 1)
            return PeriodRef(int(year), int(quarter))
        return PeriodRef(int(key), None)
    except ValueError:
        raise fail(ErrorCode.INVALID, f"期次无效：{key}", "periods") from None


def periods_of(params: ExportParams) -> tuple[PeriodRef, ...]:
    return check_periods([parse_period_key(k) for k in params.periods])


async def authorize(ctx: Context, params: ExportParams) -> None:
    ctx.require(Permission.oversight_report_export)
    periods_of(params)


def _cell(code: str) -> Callable[[Row], CellValue]:
    def value(row: Row) -> CellValue:
        found = row.value(code)
        return SUPPRESSED if found.suppressed else found.value

    return value


def _text(value: CellValue) -> str:
    if value is None:
        return "—"
    return str(value)


def _label(row: Row) -> str:
    return row.label if row.unit is not None else f"【{row.label}】合计"


LEAD_COLUMNS = (
    Column("单位", _label, width=18),
    Column("类别", lambda r: r.group.label if r.group else "", width=10),
    Column("期次", lambda r: r.period.label, width=12),
)


def _columns(figures: Sequence[Figure]) -> tuple[Column, ...]:
    return LEAD_COLUMNS + tuple(
        Column(f"{f.name}（{f.unit}）", _cell(f.code), text=_text, width=10, align="right",
               number_format="0" if f.places == 0 else "0." + "0" * f.places)
        for f in figures)


def _categories() -> list[tuple[str, list[Figure]]]:
    out: dict[str, list[Figure]] = {}
    for figure in FIGURES:
        out.setdefault(figure.category, []).append(figure)
    return list(out.items())


DEFINITION_COLUMNS = (
    Column("代码", lambda f: f.code, width=16),
    Column("指标", lambda f: f.name, width=14),
    Column("口径", lambda f: f.definition, width=46),
    Column("分子", lambda f: f.numerator_label, width=18),
    Column("分母", lambda f: f.denominator_label or "（无，取分子值）", width=18),
    Column("单位", lambda f: f.unit, width=7, align="center"),
)


def present_groups(comparison: Comparison) -> list[Row]:
    """The rows of the kinds of unit that have a released unit in some period."""
    present = {r.group for r in comparison.group_rows if r.units > 0}
    return [r for r in comparison.group_rows if r.group in present]


def _charts(comparison: Comparison) -> list[tuple[str, str, str]]:
    series = [p.label for p in comparison.periods]
    charts = []
    for code in CHART_FIGURES:
        figure = FIGURE_BY_CODE[code]

        def rows(source: Sequence[Row], key: Callable[[Row], str]
                 ) -> list[tuple[str, list[Decimal | str | None]]]:
            labels: dict[str, list[Decimal | str | None]] = {}
            for row in source:
                found = row.value(code)  # noqa: B023
                labels.setdefault(key(row), []).append(
                    SUPPRESSED if found.suppressed else found.value)
            return list(labels.items())

        unit = figure.unit if figure.unit in ("%", "天", "倍") else ""
        by_unit = grouped_hbar_chart(rows(comparison.unit_rows, lambda r: r.label), series,
                                     unit=unit, width=560)
        by_kind = grouped_hbar_chart(rows(present_groups(comparison), lambda r: r.label),
                                     series, unit=unit, width=380)
        charts.append((f"{figure.name}（{figure.unit}）", by_unit, by_kind))
    return charts


def document(comparison: Comparison) -> Document:
    periods = "、".join(p.label for p in comparison.periods)
    # A unit without the period (no data, nothing hidden) has no line in the tables.
    rows = [r for r in (*comparison.unit_rows, *present_groups(comparison))
            if r.units > 0 or r.suppressed]
    order = {p.key: i for i, p in enumerate(comparison.periods)}
    rows.sort(key=lambda r: (r.unit is None, r.unit.code if r.unit else r.label,
                             order[r.period.key]))
    tables = tuple(Table(category, _columns(figures), rows)
                   for category, figures in _categories())
    suppressed = sum(1 for r in comparison.unit_rows if r.suppressed)
    return Document(
        title="试点单位绩效管理和平时考核横向比较",
        subtitle=f"市委组织部（公务员局）· {periods}",
        template="city_comparison.html",
        context={"charts": _charts(comparison), "min_group": comparison.min_group_size,
                 "suppressed": suppressed},
        tables=(*tables, Table("指标口径", DEFINITION_COLUMNS, FIGURES)),
        summary=(("比较单位", f"{len(comparison.units)}个"), ("考核期次", periods),
                 ("最小统计人数", f"{comparison.min_group_size}人（不足的已隐去）")),
        landscape=True,
    )


async def load(ctx: Context, params: ExportParams) -> Document:
    session = ctx.session
    own = (await session.execute(select(Tenant.id, Tenant.kind))).one()
    if own.kind != TenantKind.organization_department:
        raise fail(ErrorCode.FORBIDDEN, "横向比较报表仅限市委组织部生成")
    await set_tenant(session, own.id, Scope.platform)
    comparison = await read_comparison(session, list(params.tenant_ids) or None,
                                       periods_of(params))
    return document(comparison)


SPEC = register(ReportSpec(ReportKind.city_comparison, "试点单位横向比较", authorize, load))
