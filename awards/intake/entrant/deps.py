"""The entrant services, built once per app and injected into handlers by parameter name.

Write ``businesses: Businesses``, ``entries: Entries`` or ``attachments: Attachments`` in a
handler's signature; :func:`entrant_dependencies` is merged into the app's ``dependencies``.
"""

from __future__ import annotations

from litestar.di import NamedDependency, Provide

from awards.intake.businesses.service import BusinessService
from awards.intake.entries.attachments import AttachmentService
from awards.intake.entries.service import EntryService
from awards.mail import Mailer
from awards.settings import Settings

__all__ = ["Attachments", "Businesses", "Entries", "entrant_dependencies"]

Businesses = NamedDependency[BusinessService]
Entries = NamedDependency[EntryService]
Attachments = NamedDependency[AttachmentService]


def entrant_dependencies(settings: Settings, mailer: Mailer) -> dict[str, Provide]:
    """``{"businesses", "entries", "attachments"}`` providers sharing one mailer."""
    businesses = BusinessService(settings, mailer)
    entries = EntryService(settings, mailer)
    attachments = AttachmentService(settings, entries)
    return {
        "businesses": Provide(lambda: businesses, sync_to_thread=False),
        "entries": Provide(lambda: entries, sync_to_thread=False),
        "attachments": Provide(lambda: attachments, sync_to_thread=False),
    }
