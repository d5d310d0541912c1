"""Demo rating settings of the pilot units (issue 5), as the seed describes them.

* 温江高新区: the department head's rating weighs 40%, above the supervising leader (20%) and the
  principal leader (15%); peers 15%, subordinates 10%.
* 双流区黄水镇: multi-source rating — section heads rate each other (peers) and the village and
  community secretaries (external raters, not appraised themselves) rate the section heads on
  cooperation (协同配合) only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from demo.catalog import DemoTenant
from models import Tenant
from tenants.config import load_config

WENJIANG_WEIGHTS = {"department_head": 40, "supervising_leader": 20, "principal_leader": 15,
                    "peer": 15, "subordinate": 10}
HUANGSHUI_WEIGHTS = {"department_head": 30, "supervising_leader": 15, "principal_leader": 15,
                     "peer": 15, "subordinate": 10, "external_rater": 15}

DEMO_RATING_SETTINGS: dict[str, dict[str, Any]] = {
    "wjgx": {"role_weights": WENJIANG_WEIGHTS},
    "hsz": {"role_weights": HUANGSHUI_WEIGHTS,
            "role_dimensions": {"external_rater": ["cooperation"]}},
}


async def load_demo_ratings(session: AsyncSession, tenant: Tenant, demo: DemoTenant) -> None:
    """The EXTRA_LOADERS hook: the pilot units' own rating settings."""
    rating = DEMO_RATING_SETTINGS.get(demo.code)
    if rating is None:
        return
    settings = dict(tenant.settings or {})
    settings["rating"] = {**dict(settings.get("rating") or {}), **rating}
    load_config(settings)  # refuses a demo that breaks the rules
    tenant.settings = settings
    await session.flush()
