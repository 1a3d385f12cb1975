"""Submission intake: editions, categories, business profiles, entries, screening and bulk data.

Layout (one import direction: pure rules -> tables -> services -> web)::

    intake/                  what the whole capability shares
      _messages, validators, uploads    pure rules: message ids, field errors, file storage
      tables                            the Piccolo tables
      common                            errors, access rules, local times (used by services)
    intake/form/             the entry form of a category
      fieldbase, fields, formspec, rubric, editing      pure rules
      form_setup                                        service: form and rubric changes
    intake/businesses/       businesses and the people who manage them
      identity, sizeclass                               pure rules
      service, members                                  services: profiles, declarations, members
    intake/editions/         an edition and its categories over time
      lifecycle, eligibility                            pure rules
      service, status, deadlines, overview              services: set-up, status changes, the
                                                        intake window, the organizer's overview
    intake/entries/          entries from draft to screening
      receipts, sql                                     receipt numbers, hot-path SQL
      service, attachments, listing, screening          services
    intake/entrant/          the entrant's pages and JSON API (phone first)
    intake/organizer/        the organizer console's pages and JSON API
    intake/bulk/             CSV/XLSX import and export, import templates, the bulk CLI

Services take no HTTP objects; pages and APIs under ``entrant/`` and ``organizer/`` parse input,
call one service and render or redirect.
"""
