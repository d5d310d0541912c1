"""SQLAlchemy tables. Importing this package registers every table on ``Base.metadata``."""

from models.appraisal import Period, PersonResult, UnitResult
from models.audit import AuditEntry
from models.base import Base
from models.identity import Account, ApiToken, LoginThrottle, RoleGrant
from models.org import ManagementRelation, OrgUnit, Person, Post
from models.tenancy import Tenant

__all__ = [
    "Account",
    "ApiToken",
    "AuditEntry",
    "Base",
    "LoginThrottle",
    "ManagementRelation",
    "OrgUnit",
    "Period",
    "Person",
    "PersonResult",
    "Post",
    "RoleGrant",
    "Tenant",
    "UnitResult",
]
