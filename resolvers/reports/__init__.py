"""Reports: the registry and one module per report (importing them registers them)."""

import resolvers.reports.audit_log as audit_log
import resolvers.reports.bonus_distribution as bonus_distribution

# After the reports: the cache registers its reaction to the period's transitions.
import resolvers.reports.cache as cache
import resolvers.reports.city_comparison as city_comparison
import resolvers.reports.person_profile as person_profile
import resolvers.reports.publicity_list as publicity_list
import resolvers.reports.supervision_summary as supervision_summary
import resolvers.reports.unit_quarterly as unit_quarterly
from resolvers.reports.registry import REGISTRY, ExportParams, ReportKind, ReportSpec, spec_of

__all__ = ["REGISTRY", "ExportParams", "ReportKind", "ReportSpec", "audit_log",
           "bonus_distribution", "cache",
           "city_comparison",
           "person_profile", "publicity_list", "spec_of", "supervision_summary",
           "unit_quarterly"]
