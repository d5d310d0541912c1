"""GraphQL enums mirroring the stored vocabularies."""

from __future__ import annotations

import strawberry

from vocab import org

Role = strawberry.enum(org.Role, name="Role")
TenantKind = strawberry.enum(org.TenantKind, name="TenantKind")
UnitKind = strawberry.enum(org.UnitKind, name="UnitKind")
ManagementKind = strawberry.enum(org.ManagementKind, name="ManagementKind")
ComparisonGroup = strawberry.enum(org.ComparisonGroup, name="ComparisonGroup")
PersonStatus = strawberry.enum(org.PersonStatus, name="PersonStatus")
