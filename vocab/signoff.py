"""The sign-off chain (逐级审核): who acts at a level, and what a step did."""

from __future__ import annotations

from vocab.labelled import LabelledEnum, labels


class SignoffRole(LabelledEnum):
    """Who acts at a level. Department levels act per department; unit levels once for all."""

    department_head = "department_head", "科室负责人"
    supervising_leader = "supervising_leader", "分管领导"
    committee = "committee", "考核委员会"
    principal_leader = "principal_leader", "主要领导"


DEPARTMENT_ROLES = frozenset({SignoffRole.department_head, SignoffRole.supervising_leader})


class SignoffAction(LabelledEnum):
    passed = "passed", "通过"
    returned = "returned", "退回"
    # Recomputing the proposals sends every scope back to its first level (the levels decided
    # on numbers that no longer hold): resolvers/appraisal/signoff.py, ``restart_chain``.
    restarted = "restarted", "重新计算后重新审核"


SIGNOFF_ROLE_LABELS = labels(SignoffRole)
SIGNOFF_ACTION_LABELS = labels(SignoffAction)
