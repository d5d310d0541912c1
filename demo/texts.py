"""What people of the demo write: declaration items and feedback interviews (plain Chinese).

Chosen by position (no randomness needed): the same person gets the same texts every load.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from models import Person, PersonResult, SchemeNode, Task
from resolvers.appraisal.declarations import ItemInput
from resolvers.feedback.interviews import InterviewInput, PlanItem, TopicNote
from vocab.feedback import InterviewTopic
from vocab.grades import GRADE_LABELS

ACHIEVEMENTS = (
    ("按期完成{src}相关工作", "对照{src}要求，细化工作台账，按时间节点推进，完成率100%。"),
    ("牵头推进{src}重点事项", "牵头协调相关科室，形成工作方案并组织实施，取得阶段性成效。"),
    ("{src}：专项调研与总结", "开展专题调研，形成调研报告1篇，提出的建议被采纳。"),
)
SELF = ("较好完成本季度任务", "完成情况良好，仍有提升空间", "工作积极主动，成效明显")


def declaration_items(indicators: Sequence[SchemeNode], tasks: Sequence[Task],
                      n: int) -> list[ItemInput]:
    """Two or three items, each naming its source: a task of mine first, then indicators."""
    sources: list[tuple[str, uuid.UUID | None, uuid.UUID | None]] = [
        (t.title[:16], t.id, None) for t in tasks[:1]]
    sources += [(i.name[:16], None, i.id) for i in indicators]
    items = []
    for k, (name, task_id, indicator_id) in enumerate(sources[:2 + n % 2]):
        title, content = ACHIEVEMENTS[(n + k) % len(ACHIEVEMENTS)]
        items.append(ItemInput(title=title.format(src=name)[:30], content=content.format(
            src=name), self_assessment=SELF[(n + k) % len(SELF)], task_id=task_id,
            indicator_id=indicator_id))
    return items


TOPICS = {
    InterviewTopic.thinking: "思想稳定，对考核结果认识到位",
    InterviewTopic.achievements: "本季度重点任务按期完成，申报实绩属实",
    InterviewTopic.competence: "业务能力扎实，统筹协调能力有待提升",
    InterviewTopic.conduct: "作风务实，遵守纪律，服务意识强",
}


def interview_input(period_id: uuid.UUID, person: Person, result: PersonResult | None,
                    held_on: date) -> InterviewInput:
    grade = GRADE_LABELS.get(result.grade or "", "未评价") if result is not None else "未评价"
    score = f"，得分{result.score:.2f}" if result is not None and result.score is not None else ""
    return InterviewInput(
        period_id=period_id, person_id=person.id, held_on=held_on,
        result_told=f"本季度考核等次为“{grade}”{score}",
        strengths="责任心强，完成任务及时",
        weaknesses="工作创新不够，总结提炼不足",
        root_causes="对新政策学习研究不深",
        improvement_plan=[PlanItem("每月学习一项新政策并形成心得", held_on + timedelta(days=30))],
        topics=[TopicNote(topic.value, True, notes) for topic, notes in TOPICS.items()],
        praise="肯定本季度工作成绩",
        critique="指出创新和总结方面的不足",
        encouragement="鼓励下季度在重点任务上争先创优",
        fit_rating=4)


DUTY_REPORT_PARTS = (
    ("一年来，本人坚持把学习贯彻党的二十大精神作为首要政治任务，认真参加理论学习中心组和支部"
     "学习，撰写学习体会{n}篇，政治站位进一步提高。",
     "一年来，本人认真落实“第一议题”制度，坚持每周自学、每月交流，用党的创新理论武装头脑、"
     "指导实践。"),
    ("围绕岗位职责，按期完成年度目标任务，四个季度申报实绩均经审核属实；牵头或参与完成重点"
     "工作{k}项，相关做法得到上级肯定。",
     "坚持“谁管理谁评价”的要求，主动对标年度任务清单，逐项细化台账、倒排工期，重点任务均按"
     "时间节点完成。"),
    ("严格遵守中央八项规定精神和各项纪律要求，廉洁自律，作风务实。存在的不足：创新意识还不够"
     "强，总结提炼工作经验不够。明年将加强学习、改进作风，争取更好成绩。",
     "自觉遵守工作纪律和廉洁从政各项规定。不足之处在于统筹协调能力有待提升，今后将在重点任务"
     "攻坚中加强历练。"),
)


def duty_report_text(person: Person, n: int) -> str:
    """A 述职报告 of three paragraphs (political study, work done, conduct and shortcomings),
    chosen by position."""
    parts = [options[(n + k) % len(options)] for k, options in enumerate(DUTY_REPORT_PARTS)]
    return "各位领导、同志们：\n\n" + "\n\n".join(
        part.format(n=2 + n % 3, k=3 + n % 4) for part in parts) + "\n\n述职人：" + person.name
