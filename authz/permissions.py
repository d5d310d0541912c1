"""Permissions as a typed enum named ``resource:action``, mapped to casbin ``(obj, act)``."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    tenant_read = "tenant:read"
    tenant_update = "tenant:update"
    tenant_list = "platform_tenant:list"
    tenant_provision = "platform_tenant:provision"
    tenant_reset_admin = "platform_tenant:reset_admin"
    unit_read = "unit:read"
    unit_write = "unit:write"
    post_read = "post:read"
    post_write = "post:write"
    person_read = "person:read"
    person_write = "person:write"
    roster_import = "roster:import"
    account_read = "account:read"
    account_write = "account:write"
    role_grant_write = "role_grant:write"
    management_write = "management:write"
    api_token_write = "api_token:write"
    audit_read = "audit:read"
    audit_export = "audit:export"
    # plans: indicator schemes, responsibility letters, tasks (issue 3)
    scheme_read = "scheme:read"
    scheme_write = "scheme:write"
    scheme_publish = "scheme:publish"
    scheme_add_dynamic = "scheme:add_dynamic"
    letter_write = "responsibility_letter:write"
    person_indicators_read = "person_indicators:read"
    period_scheme_write = "period_scheme:write"
    point_record_write = "point_record:write"
    point_record_confirm = "point_record:confirm"
    task_plan_read = "task_plan:read"
    task_read = "task:read"
    task_create = "task:create"
    task_assign = "task:assign"
    task_progress = "task:progress"
    task_import = "task:import"
    # periods and tenant settings (issue 4)
    period_read = "period:read"
    period_manage = "period:manage"
    # background jobs, bonus runs and report exports (issue 6)
    job_read = "job:read"
    # notification channels, their secrets and the delivery log (issue 17, part 1)
    notification_manage = "notification:manage"
    bonus_run_start = "bonus_run:start"
    bonus_run_confirm = "bonus_run:confirm"
    bonus_run_read = "bonus_run:read"
    bonus_line_read = "bonus_line:read"
    unit_report_export = "unit_report:export"
    # declarations (issue 4)
    declaration_read = "declaration:read"
    declaration_write = "declaration:write"
    # supervision (issue 4)
    supervision_read = "supervision:read"
    supervision_write = "supervision:write"
    supervision_push = "supervision:push"
    # feedback interviews, care list, results use, profiles (issue 7)
    interview_read = "feedback_interview:read"
    interview_record = "feedback_interview:record"
    interview_acknowledge = "feedback_interview:acknowledge"
    interview_completion_read = "interview_completion:read"
    care_list_read = "care_list:read"
    care_action_write = "care_action:write"
    results_use_read = "results_use:read"
    results_use_write = "results_use:write"
    results_use_plan = "results_use:plan"
    profile_read = "profile:read"
    # commendations, error notices, conduct findings, credit claims (issue 4)
    commendation_issue = "commendation:issue"
    commendation_board_read = "commendation_board:read"
    conduct_record = "conduct:record"
    credit_claim = "credit:claim"
    point_record_read = "point_record:read"
    # rules on pushed data and the deductions/credits they propose (issue 17, part 6)
    push_rule_read = "push_rule:read"
    push_rule_manage = "push_rule:manage"
    point_proposal_read = "point_proposal:read"
    point_proposal_decide = "point_proposal:decide"
    # rating, scores, grades, review, publicity (issue 5)
    rater_assignment_read = "rater_assignment:read"
    rater_assignment_manage = "rater_assignment:manage"
    rating_completion_read = "rating_completion:read"
    rating_write = "rating:write"
    result_compute = "result:compute"
    result_read = "result:read"
    # department results (考事, issue 12)
    unit_result_read = "unit_result:read"
    unit_result_compute = "unit_result:compute"
    unit_result_adjust = "unit_result:adjust"
    grade_review = "grade:review"
    grade_signoff = "grade:signoff"  # 逐级审核: act at a level of the sign-off chain
    publicity_read = "publicity:read"
    # the annual appraisal's inputs (issue 17, part 5): 述职报告 and 民主测评
    duty_report_request = "duty_report:request"
    duty_report_read = "duty_report:read"
    duty_report_write = "duty_report:write"
    democratic_vote_manage = "democratic_vote:manage"
    democratic_vote_cast = "democratic_vote:cast"
    # objections (异议) within the publicity period (issue 17): any person of the unit raises
    # them; the review's roles (the committee) read and answer them
    objection_raise = "objection:raise"
    objection_manage = "objection:manage"
    # city oversight (issue 8): cross-unit figures, experience reports, reports shared with the
    # city
    oversight_read = "oversight:read"
    oversight_configure = "oversight:configure"
    oversight_report_export = "oversight_report:export"
    experience_submit = "experience_report:submit"
    experience_read = "experience_report:read"
    experience_review_read = "experience_review:read"
    experience_review_comment = "experience_review:comment"
    report_share_write = "report_share:write"
    shared_report_read = "shared_report:read"

    @property
    def resource(self) -> str:
        return self.value.split(":", 1)[0]

    @property
    def action(self) -> str:
        return self.value.split(":", 1)[1]
