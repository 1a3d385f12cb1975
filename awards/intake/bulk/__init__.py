"""Bulk data: CSV/XLSX parsing, validated all-or-nothing import, exports, templates and the CLI."""
