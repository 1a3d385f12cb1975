"""The organizer's overview of one edition: counts, deadlines and what needs attention.

Counts come from one grouped query over ``intake_entry`` (category x status x screening).
"Needs attention" lists, each with a link to act on it:

* submitted entries awaiting screening (while screening is possible);
* categories without a rubric, and categories whose entry form has no question;
* an edition without categories;
* a status that lags the calendar: still a draft after the opening date, still open after the
  closing date, still closed after judging should have started;
* the next step when nothing blocks it (e.g. "every entry is screened: start judging").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from piccolo.query.functions.aggregate import Count

from awards.accounts.identity import CurrentUser
from awards.i18n import _, ngettext
from awards.intake._messages import N_
from awards.intake.common import NotFoundError
from awards.intake.editions.lifecycle import Action, EditionStatus, refusal
from awards.intake.editions.service import can_manage, edition_categories
from awards.intake.editions.status import local_name
from awards.intake.tables import Edition, Entry, EntryStatus, Screening

__all__ = ["Attention", "EditionOverview", "Overview"]

DEADLINES = (
    ("intake_opens_at", N_("Registration opens")),
    ("intake_closes_at", N_("Registration closes")),
    ("judging_starts_at", N_("Judging starts")),
    ("judging_ends_at", N_("Judging ends")),
    ("results_at", N_("Results announced")),
)


@dataclass(frozen=True)
class Attention:
    """One thing to look at: a translated message, a link and whether it blocks progress."""

    message: str
    url: str
    link_text: str
    urgent: bool = True


@dataclass
class Overview:
    edition: dict[str, Any]
    total: int
    by_status: dict[str, int]
    by_screening: dict[str, int]
    categories: list[dict[str, Any]]
    deadlines: list[tuple[str, datetime, bool]]
    attention: list[Attention] = field(default_factory=list)


class EditionOverview:
    """Builds :class:`Overview` for organizers who manage the edition."""

    async def overview(
        self, user: CurrentUser, edition_id: int, now: datetime | None = None
    ) -> Overview:
        now = now or datetime.now(UTC)
        edition = (
            await Edition.select().output(load_json=True).where(Edition.id == edition_id).first()
        )
        if edition is None or not can_manage(user, edition_id):
            raise NotFoundError(edition_id)
        rows = await (
            Entry.select(Entry.category, Entry.status, Entry.screening, Count(alias="n"))
            .where(Entry.edition == edition_id)
            .group_by(Entry.category, Entry.status, Entry.screening)
        )
        categories = await edition_categories(edition_id)
        per_category: dict[int, dict[str, int]] = {c["id"]: {} for c in categories}
        by_status: dict[str, int] = {}
        by_screening: dict[str, int] = {}
        for row in rows:
            counts = per_category.setdefault(row["category"], {})
            counts[row["status"]] = counts.get(row["status"], 0) + row["n"]
            by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
            if row["status"] == EntryStatus.submitted.value:
                key = f"screening_{row['screening']}"
                counts[key] = counts.get(key, 0) + row["n"]
                by_screening[row["screening"]] = by_screening.get(row["screening"], 0) + row["n"]
        category_rows = [
            {
                "id": c["id"],
                "name": local_name(c),
                "code": c["code"],
                "counts": per_category.get(c["id"], {}),
                "has_rubric": bool((c["rubric"] or {}).get("criteria")),
                "has_form": bool((c["form"] or {}).get("fields")),
            }
            for c in categories
        ]
        deadlines = [
            (_(label), edition[name], edition[name] <= now)
            for name, label in DEADLINES
            if edition.get(name) is not None
        ]
        result = Overview(
            edition,
            sum(by_status.values()),
            by_status,
            by_screening,
            category_rows,
            deadlines,
        )
        result.attention = _attention(edition, result, now)
        return result


def _attention(edition: dict[str, Any], view: Overview, now: datetime) -> list[Attention]:
    base = f"/organizer/editions/{edition['id']}"
    status = edition["status"]
    out: list[Attention] = []
    if not view.categories:
        out.append(
            Attention(
                _("The edition has no category yet."),
                f"{base}/categories/new",
                _("Add a category"),
            )
        )
    pending = view.by_screening.get(Screening.pending.value, 0)
    if pending and refusal(Action.screening, status) is None:
        out.append(
            Attention(
                ngettext(
                    "%(num)d submitted entry awaits screening.",
                    "%(num)d submitted entries await screening.",
                    pending,
                )
                % {"num": pending},
                f"{base}/entries?status=submitted&screening=pending",
                _("Screen them"),
            )
        )
    for category in view.categories:
        if not category["has_rubric"]:
            out.append(
                Attention(
                    _("The category %(name)s has no rubric.") % {"name": category["name"]},
                    f"/organizer/categories/{category['id']}#rubric",
                    _("Add the rubric"),
                )
            )
        if not category["has_form"]:
            out.append(
                Attention(
                    _("The entry form of %(name)s has no question.") % {"name": category["name"]},
                    f"/organizer/categories/{category['id']}#form",
                    _("Add questions"),
                )
            )
    lagging = {
        EditionStatus.draft: ("intake_opens_at", _("The opening date has passed.")),
        EditionStatus.open: ("intake_closes_at", _("The closing date has passed.")),
        EditionStatus.closed: ("judging_starts_at", _("Judging should have started.")),
    }
    if status in lagging:
        column, message = lagging[status]
        if edition[column] <= now:
            out.append(Attention(message, f"{base}#status", _("Change the status")))
    if status == EditionStatus.closed and not pending and view.by_screening.get("eligible"):
        out.append(
            Attention(
                _("Every submitted entry is screened: judging can start."),
                f"{base}/status/judging",
                _("Start judging"),
                urgent=False,
            )
        )
    return out
