"""Every route of the entrant side, for ``awards.app.ROUTE_HANDLERS``."""

from __future__ import annotations

from awards.intake.entrant.api import BusinessApi, EntryApi
from awards.intake.entrant.business_pages import BusinessPages, InvitationPages
from awards.intake.entrant.deps import entrant_dependencies
from awards.intake.entrant.pages import AttachmentRoutes, EntryPages

__all__ = ["ENTRANT_ROUTE_HANDLERS", "entrant_dependencies"]

ENTRANT_ROUTE_HANDLERS = [
    BusinessPages,
    InvitationPages,
    EntryPages,
    AttachmentRoutes,
    BusinessApi,
    EntryApi,
]
