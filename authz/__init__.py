"""Authorization: casbin with tenants as domains and the "manages" relation."""

from authz.actor import Actor, Target
from authz.enforcer import Authorizer, can
from authz.permissions import Permission
from authz.relations import ManagedScope
from authz.scopes import ReadScope

__all__ = ["Actor", "Authorizer", "ManagedScope", "Permission", "ReadScope", "Target", "can"]
