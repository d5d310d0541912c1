"""GraphQL enums mirroring the stored vocabularies."""

from __future__ import annotations

import strawberry

from models import enums

Role = strawberry.enum(enums.Role, name="Role")
TenantKind = strawberry.enum(enums.TenantKind, name="TenantKind")
UnitKind = strawberry.enum(enums.UnitKind, name="UnitKind")
ManagementKind = strawberry.enum(enums.ManagementKind, name="ManagementKind")
ComparisonGroup = strawberry.enum(enums.ComparisonGroup, name="ComparisonGroup")
PersonStatus = strawberry.enum(enums.PersonStatus, name="PersonStatus")
