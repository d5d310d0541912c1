"""Authorization: casbin with tenants as domains and the "manages" relation."""

from authz.actor import Actor, Target
from authz.enforcer import Authorizer, ReadScope, can
from authz.permissions import Permission
from authz.relations import ManagedScope

__all__ = ["Actor", "Authorizer", "ManagedScope", "Permission", "ReadScope", "Target", "can"]
