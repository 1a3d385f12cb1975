"""Scoring: judges score entries in rounds; the engine (``judging``) ranks them.

Layout (one import direction: pure rules -> tables -> services -> web)::

    scoring/                 shared by every audience
      rules                             pure rules: no web framework, no database
      tables                            the Piccolo tables
      common                            errors, the clock, who manages an edition, engine ids
      results                           a round's results from the engine, and its export
      edition_checks                    scoring's preconditions on the edition life cycle
      web, routes                       error translation, form parsing; every route handler
    scoring/panel/           the organizer's panel: judge profiles, invitations, conflicts and
                             recusals, a round's progress and reminders (services, pages, API)
    scoring/rounds/          rounds: create, set up, open and close, integrity rules,
                             assignment and manual assignment edits (services and pages)
    scoring/judge/           the judge's desk: queue, entry, score sheets and their plain SQL,
                             the panel discussion (services, pages and the JSON API)
    scoring/moderation/      moderation cases and their actions (service, pages and JSON API)

Services take no HTTP objects; pages and APIs parse input, call one service and render or
redirect. The organizers' JSON API is ``rounds.api`` (rounds, assignments, conflicts, history,
export), ``moderation.api`` and ``panel.invitation_api``; the judges' is ``judge.api`` and
``judge.discussion_api``.
"""

# Register scoring's preconditions on the edition life cycle whenever scoring is loaded.
from awards.scoring import edition_checks as _edition_checks  # noqa: F401
