"""The review's settings (``review`` in the settings document): the sign-off chain (逐级审核,
resolvers/appraisal/signoff.py). Part of ``tenants.config.TenantConfig``."""

from __future__ import annotations

from dataclasses import dataclass, field

from tenants.config_error import ConfigError

# Who acts at a level of the sign-off chain (逐级审核, resolvers/appraisal/signoff.py): the
# department levels act per department (their own, or the ones they supervise), the unit
# levels once for the whole unit; department levels come first.
SIGNOFF_ROLES = ("department_head", "supervising_leader", "committee", "principal_leader")
SIGNOFF_DEPARTMENT_ROLES = ("department_head", "supervising_leader")


@dataclass(frozen=True)
class ReviewConfig:
    # The chain that confirms grades, first level first: each level {"name": 中文名称,
    # "role": one of SIGNOFF_ROLES}. Default: one level, the review (综合研判) by the committee
    # (the tenant admin or the principal leader) as before: confirmGrades confirms at once.
    # E.g. 科室负责人 (department_head) -> 分管领导 (supervising_leader) -> 考核委员会
    # (committee) -> 主要领导 (principal_leader).
    signoff_chain: list[dict[str, str]] = field(default_factory=lambda: [
        {"name": "综合研判", "role": "committee"}])


def check_review(review: ReviewConfig) -> None:
    path = "review.signoff_chain"
    chain = review.signoff_chain
    known = "、".join(SIGNOFF_ROLES)
    if not isinstance(chain, list) or not 1 <= len(chain) <= 6:
        raise ConfigError("逐级审核须为1到6级的列表，每级含名称（name）和审核角色（role）", path)
    names: list[str] = []
    for level in chain:
        if (not isinstance(level, dict) or set(level) != {"name", "role"}
                or not isinstance(level["name"], str) or not level["name"].strip()
                or len(level["name"]) > 20):
            raise ConfigError("逐级审核的每一级须含名称（name，1到20字）和审核角色（role）", path)
        if level["role"] not in SIGNOFF_ROLES:
            raise ConfigError(f"逐级审核的审核角色只能是：{known}", path)
        names.append(level["name"].strip())
    if len(set(names)) != len(names):
        raise ConfigError("逐级审核各级的名称不得重复", path)
    roles = [level["role"] for level in chain]
    firsts = [i for i, r in enumerate(roles) if r not in SIGNOFF_DEPARTMENT_ROLES]
    if firsts and any(r in SIGNOFF_DEPARTMENT_ROLES for r in roles[firsts[0]:]):
        raise ConfigError("逐级审核中按部门审核的级别（科室负责人、分管领导）须排在全单位级别之前",
                          path)
    if roles[-1] in SIGNOFF_DEPARTMENT_ROLES:
        raise ConfigError("逐级审核的最后一级须为全单位级别（考核委员会或主要领导），"
                          "等次在最后一级通过后确认", path)
