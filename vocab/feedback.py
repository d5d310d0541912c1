"""Feedback: interviews, care for people who need it, and the use of results."""

from __future__ import annotations

from vocab.labelled import LabelledEnum, labels


class InterviewTopic(LabelledEnum):
    thinking = "thinking", "思想动态"
    achievements = "achievements", "工作实绩"
    competence = "competence", "能力素质"
    conduct = "conduct", "作风养成"


INTERVIEW_TOPIC_LABELS = labels(InterviewTopic)


class CareActionKind(LabelledEnum):
    mentoring = "mentoring", "结对帮带"
    post_adjustment = "post_adjustment", "岗位调整"
    follow_up_interview = "follow_up_interview", "跟进谈话"


CARE_ACTION_LABELS = labels(CareActionKind)


class CareFlagKind(LabelledEnum):
    """Why a person is on the care list (关心帮助)."""

    bottom = "bottom", "排名靠后"
    regressed = "regressed", "明显退步"
    low_fit = "low_fit", "人岗契合度低"
    long_term_poor = "long_term_poor", "长期评价较差"

    @property
    def suggestion(self) -> str:
        if self is CareFlagKind.long_term_poor:
            return "结对帮带或岗位调整"
        if self is CareFlagKind.low_fit:
            return "谈心谈话，研究岗位是否适配"
        return "谈心谈话，帮助分析原因、明确改进方向"


class ResultsUseKind(LabelledEnum):
    promotion = "promotion", "职务提拔"
    rank_advancement = "rank_advancement", "职级晋升"
    promotion_deferral = "promotion_deferral", "暂缓晋升"
    post_adjustment = "post_adjustment", "岗位调整"
    award = "award", "评先评优"
    training = "training", "精准培训"


RESULTS_USE_LABELS = labels(ResultsUseKind)


class CandidateKind(LabelledEnum):
    """The uses of results the candidate lists propose (a part of ``ResultsUseKind``)."""

    promotion = ResultsUseKind.promotion.value, ResultsUseKind.promotion.label
    rank_advancement = ResultsUseKind.rank_advancement.value, ResultsUseKind.rank_advancement.label
    promotion_deferral = (ResultsUseKind.promotion_deferral.value,
                          ResultsUseKind.promotion_deferral.label)
