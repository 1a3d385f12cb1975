"""Tables of the public results side (prefix ``results_public_``).

``ResultNotice`` — one "your results are out" e-mail to one member of an entry's business for one
publication. ``dedupe_key`` (``"<publication>:<entry>:<user>"``, unique) makes sending
idempotent: rows are recorded first (``sent_at`` NULL), then each is sent and stamped; a rerun
sends only rows still unsent and never records a second row for the same recipient.
"""

from __future__ import annotations

from piccolo.columns import ForeignKey, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from awards.accounts.tables import User
from awards.intake.tables import Entry
from awards.results.tables import Publication

__all__ = ["ResultNotice"]


class ResultNotice(Table, tablename="results_public_notice"):
    """A results-are-out e-mail owed to (``sent_at`` NULL) or sent to one recipient."""

    publication = ForeignKey(references=Publication, null=False, index=True)
    entry = ForeignKey(references=Entry, null=False, index=True)
    user = ForeignKey(references=User, null=False)
    email = Varchar(length=254)
    dedupe_key = Varchar(length=60, unique=True)
    sent_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
