"""Notifications (issue 17, part 1): the events people are told about, the channels a tenant
configures, and the states of a delivery. Adding an event is one line here (code and the Chinese
name the inbox and the settings page show)."""

from __future__ import annotations

from vocab.labelled import LabelledEnum, labels


class NotificationEvent(LabelledEnum):
    stage_opened = "stage_opened", "考核阶段开始"
    deadline_approaching = "deadline_approaching", "截止时间临近"
    ratings_pending = "ratings_pending", "待评价提醒"
    interview_recorded = "interview_recorded", "反馈谈话已记录"
    results_published = "results_published", "考核结果公示"
    objection_answered = "objection_answered", "异议已答复"
    points_confirmed = "points_confirmed", "加减分已确认"
    points_refused = "points_refused", "加减分未通过"
    job_finished = "job_finished", "任务已完成"
    signoff_restarted = "signoff_restarted", "逐级审核重新开始"
    test_message = "test_message", "测试消息"


NOTIFICATION_EVENT_LABELS = labels(NotificationEvent)


class Channel(LabelledEnum):
    email = "email", "电子邮件"
    wecom = "wecom", "企业微信群机器人"
    dingtalk = "dingtalk", "钉钉群机器人"


CHANNEL_LABELS = labels(Channel)


class DeliveryStatus(LabelledEnum):
    pending = "pending", "待发送"
    sent = "sent", "已发送"
    failed = "failed", "发送失败"


DELIVERY_STATUS_LABELS = labels(DeliveryStatus)


class SmtpSecurity(LabelledEnum):
    none = "none", "不加密"
    starttls = "starttls", "STARTTLS"
    ssl = "ssl", "SSL/TLS"
