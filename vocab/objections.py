"""Objections (异议) to published results, raised within the publicity period (公示期)."""

from __future__ import annotations

from vocab.labelled import LabelledEnum, labels


class ObjectionStatus(LabelledEnum):
    open = "open", "待答复"
    answered = "answered", "已答复"


OBJECTION_STATUS_LABELS = labels(ObjectionStatus)
