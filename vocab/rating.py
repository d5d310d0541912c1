"""Rating: who rates whom, and the declarations that are rated."""

from __future__ import annotations

from enum import StrEnum

from vocab.labelled import LabelledEnum


class RaterRole(LabelledEnum):
    department_head = "department_head", "部门主要负责人"
    supervising_leader = "supervising_leader", "分管领导"
    principal_leader = "principal_leader", "主要领导"
    peer = "peer", "同级"
    subordinate = "subordinate", "下级"
    external_rater = "external_rater", "外部评价人"


# Looked up with stored text (an assignment's role), hence keyed by plain strings.
RATER_ROLE_LABELS: dict[str, str] = {role.value: role.label for role in RaterRole}


class AssignmentSource(StrEnum):
    generated = "generated"  # from the management relations
    manual = "manual"  # added by the tenant admin


class DeclarationStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
