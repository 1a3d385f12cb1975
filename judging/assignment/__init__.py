"""Judge assignment: who judges which entry, the search behind it, and its subcommand."""
