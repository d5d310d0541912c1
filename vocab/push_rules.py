"""Rules on pushed data (自动采集规则): the kinds of pushed data a rule reads, and the states of
the proposed deductions and credits it makes."""

from __future__ import annotations

from vocab.labelled import LabelledEnum


class PushRuleKind(LabelledEnum):
    # A supervision item (task or milestone) overdue and not rectified for at least N days.
    supervision_overdue = "supervision_overdue", "督办事项逾期未整改"
    # An error notice (错情通报) pushed by the office system.
    error_notice = "error_notice", "错情通报"


class ProposalStatus(LabelledEnum):
    proposed = "proposed", "待确认"  # never counted in the score
    confirmed = "confirmed", "已确认"  # its point record was created and counts
    refused = "refused", "已退回"  # with a reason; never counts
