"""The organizer side's route handlers and services, for ``create_app`` to register."""

from __future__ import annotations

from litestar.di import Provide

from awards.intake.editions.overview import EditionOverview
from awards.intake.editions.service import EditionService
from awards.intake.editions.status import EditionLifecycle
from awards.intake.entries.listing import EntryListService
from awards.intake.entries.screening import ScreeningService
from awards.intake.organizer.api import OrganizerApi
from awards.intake.organizer.entry_pages import OrganizerEntryPages
from awards.intake.organizer.setup_pages import OrganizerSetupPages
from awards.intake.organizer.status_pages import OrganizerStatusPages
from awards.mail import Mailer
from awards.settings import Settings

__all__ = ["ORGANIZER_ROUTE_HANDLERS", "organizer_dependencies"]

ORGANIZER_ROUTE_HANDLERS = [
    OrganizerSetupPages,
    OrganizerStatusPages,
    OrganizerEntryPages,
    OrganizerApi,
]


def organizer_dependencies(settings: Settings, mailer: Mailer) -> dict[str, Provide]:
    """``editions``, ``entry_lists``, ``screening``, ``lifecycle`` and ``overview``, injected by
    parameter name."""
    editions = EditionService()
    entry_lists = EntryListService()
    screening = ScreeningService(settings, mailer)
    lifecycle = EditionLifecycle()
    overview = EditionOverview()
    return {
        "lifecycle": Provide(lambda: lifecycle, sync_to_thread=False),
        "overview": Provide(lambda: overview, sync_to_thread=False),
        "editions": Provide(lambda: editions, sync_to_thread=False),
        "entry_lists": Provide(lambda: entry_lists, sync_to_thread=False),
        "screening": Provide(lambda: screening, sync_to_thread=False),
    }
