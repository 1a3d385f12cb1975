"""Submission intake building blocks: pure Python, no web framework, no database.

Modules: ``validators`` (errors, number parsing), ``identity`` (NIB, phone, e-mail, district,
sector), ``sizeclass`` (PP 7/2021 classes), ``fields``/``formspec`` (entry forms), ``rubric``,
``eligibility``, ``uploads`` (attachment storage), ``tabular``/``importing`` (bulk import) and
``exporting`` (exports and the import template). The application wires them to tables and pages.
"""
