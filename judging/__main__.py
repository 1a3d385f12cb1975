"""``python -m judging``: the judging command line."""

import sys

from judging.command.cli import main

if __name__ == "__main__":
    sys.exit(main())
