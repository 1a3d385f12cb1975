"""Score sheets in: CSV files read in bulk, cells parsed as numbers, rubric totals in long form."""
