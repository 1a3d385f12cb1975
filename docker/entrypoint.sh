#!/bin/sh
# Apply pending migrations, then run the given anugerah command (default: serve).
set -eu
anugerah migrate
exec anugerah "$@"
