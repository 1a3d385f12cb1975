"""Every route of the entrant side, for ``awards.app.ROUTE_HANDLERS``."""

from __future__ import annotations

from awards.intake.entrant_api import BusinessApi, EntryApi
from awards.intake.entrant_business_pages import BusinessPages, InvitationPages
from awards.intake.entrant_deps import entrant_dependencies
from awards.intake.entrant_pages import AttachmentRoutes, EntryPages

__all__ = ["ENTRANT_ROUTE_HANDLERS", "entrant_dependencies"]

ENTRANT_ROUTE_HANDLERS = [
    BusinessPages,
    InvitationPages,
    EntryPages,
    AttachmentRoutes,
    BusinessApi,
    EntryApi,
]
