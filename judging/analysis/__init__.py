"""The whole analysis of a score sheet, its results and warnings, the favouritism audit, and the
entry point for the web app."""
