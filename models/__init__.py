"""SQLAlchemy tables. Importing this package registers every table on ``Base.metadata``."""

from models.annual_inputs import (
    DemocraticVote,
    DemocraticVoteCount,
    DemocraticVoteVoter,
    DutyReport,
)
from models.appraisal import Period, PersonResult, UnitResult
from models.audit import AuditEntry
from models.base import Base
from models.bonus import BonusDepartment, BonusLine, BonusRun
from models.declarations import Declaration, DeclarationItem
from models.feedback import CareAction, FeedbackInterview
from models.identity import (
    Account,
    AccountSession,
    ApiToken,
    LoginAddressThrottle,
    LoginThrottle,
    RoleGrant,
)
from models.jobs import CachedReport, Job, ReportFile
from models.notifications import ChannelSecret, Delivery, Notification, ReminderSent
from models.objections import Objection
from models.one_time_files import OneTimeFile
from models.org import ManagementRelation, OrgUnit, Person, Post
from models.oversight import ExperienceComment, ExperienceReport, PlatformSetting, ReportShare
from models.plans import (
    IndicatorScheme,
    PeriodSchemeVersion,
    PointRecord,
    ResponsibilityLetterLine,
    SchemeDimension,
    SchemeNode,
    SchemeVersion,
    Task,
    TaskMilestone,
)
from models.post_history import PostAssignment
from models.push_rules import PointProposal, PushRule
from models.ratings import RaterAssignment, RatingValue
from models.results_use import ResultsUseBasis, ResultsUseEntry
from models.signoff import SignoffStep
from models.supervision import ExternalPush, Rectification, TaskProgress
from models.tenancy import Tenant

__all__ = [
    "Account",
    "AccountSession",
    "ApiToken",
    "AuditEntry",
    "Base",
    "BonusDepartment",
    "BonusLine",
    "BonusRun",
    "CachedReport",
    "CareAction",
    "ChannelSecret",
    "Declaration",
    "DeclarationItem",
    "Delivery",
    "DemocraticVote",
    "DemocraticVoteCount",
    "DemocraticVoteVoter",
    "DutyReport",
    "ExperienceComment",
    "ExperienceReport",
    "ExternalPush",
    "FeedbackInterview",
    "IndicatorScheme",
    "Job",
    "LoginAddressThrottle",
    "LoginThrottle",
    "ManagementRelation",
    "Notification",
    "Objection",
    "OneTimeFile",
    "OrgUnit",
    "Period",
    "PeriodSchemeVersion",
    "Person",
    "PersonResult",
    "PlatformSetting",
    "PointProposal",
    "PointRecord",
    "Post",
    "PostAssignment",
    "PushRule",
    "RaterAssignment",
    "RatingValue",
    "Rectification",
    "ReminderSent",
    "ReportFile",
    "ReportShare",
    "ResponsibilityLetterLine",
    "ResultsUseBasis",
    "ResultsUseEntry",
    "RoleGrant",
    "SchemeDimension",
    "SchemeNode",
    "SchemeVersion",
    "SignoffStep",
    "Task",
    "TaskMilestone",
    "TaskProgress",
    "Tenant",
    "UnitResult",
]
