"""The city's figures of a closed period, stored once when the period closes (migration 0028).

A closed period's data is frozen, so the city need not compute its figures again on every
comparison: when a period closes, ``store_period_figures`` runs the city's own computation
(``platform_figures``) for this tenant and period, in the tenant's transaction, and keeps the
answer with the minimum group size and the care rules it was computed with. Reopening the period
(any change of its state) deletes it in the database (trigger), and closing it again stores it
anew. The comparison (``comparison.read_comparison``) reads the stored figures that are still
valid in one statement and computes the rest live.

Called by every transition of a period (``resolvers.appraisal.periods``). A period closed
otherwise (loaded closed, or before 0028) has no stored figures and is computed live.
"""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import text

from models import Period, Tenant
from resolvers.context import Context
from tenants.config import ConfigError, TenantConfig, load_config
from vocab.periods import PeriodState

__all__ = ["care_policy_json", "store_on_close", "tenant_config_or_default"]


def tenant_config_or_default(settings: dict[str, object] | None) -> TenantConfig:
    """A unit's settings; broken ones read as the defaults (they never hide a unit from the
    city's comparison)."""
    try:
        return load_config(settings)
    except ConfigError:
        return TenantConfig()


def care_policy_json(config: TenantConfig) -> dict[str, object]:
    """The care rules of a tenant (rules.care, as the care list applies them), for the SQL."""
    care = config.care
    return {"bottom_share": str(Decimal(care.bottom_share)),
            "regression_steps": care.regression_steps, "rank_drop": care.rank_drop,
            "low_fit_threshold": care.low_fit_threshold, "poor_count": care.poor_count,
            "poor_window": care.poor_window,
            "separately": config.grading.compare_groups_separately}


async def store_on_close(ctx: Context, period: Period) -> None:
    """After a change of the period's state (flushed): a closed period gets its figures
    stored (the database already forgot those of a period that left the closed state)."""
    if period.state != PeriodState.closed:
        return
    tenant = await ctx.session.get(Tenant, ctx.me.tenant_id)
    care = care_policy_json(tenant_config_or_default(tenant.settings if tenant else None))
    await ctx.session.execute(text("SELECT store_period_figures(:p, CAST(:c AS jsonb))"),
                              {"p": period.id, "c": json.dumps(care)})

