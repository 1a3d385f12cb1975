"""Submission intake: editions, categories, business profiles, entries, screening and bulk data.

Layout (one import direction: pure rules -> tables -> services -> web)::

    intake/                  domain, shared by every audience
      validators, identity, sizeclass, fieldbase, fields, formspec, rubric, eligibility,
      receipts, uploads, editing        pure rules: no web framework, no database
      tables                            the Piccolo tables
      common                            errors, access rules, local times (used by services)
      deadlines, editions, form_setup, businesses, business_members, entries, attachments,
      screening                         services: business rules and transactions
    intake/entrant/          the entrant's pages and JSON API (phone first)
    intake/organizer/        the organizer console's pages and JSON API
    intake/bulk/             CSV/XLSX import and export, import templates, the bulk CLI

Services take no HTTP objects; pages and APIs under ``entrant/`` and ``organizer/`` parse input,
call one service and render or redirect.
"""
