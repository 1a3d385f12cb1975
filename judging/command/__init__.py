"""The judging command line: arguments, run, output formats, and the favouritism audit's files."""
