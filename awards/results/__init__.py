"""Results: frozen, verifiable rankings per category, published behind one visibility gate.

Modules: :mod:`~awards.results.tables` (tables and the fields others read),
:mod:`~awards.results.domain` (pure rules: hashes, places, tiers, diffs),
:mod:`~awards.results.rules` (tiers, tie policy, panel decisions),
:mod:`~awards.results.snapshots` (freeze, verify), :mod:`~awards.results.publishing`
(publish, schedule, corrections, the edition's move to published) and
:mod:`~awards.results.visibility` (THE gate for every public channel); the public pages
live in :mod:`awards.results.public`.
"""

# Register the results precondition on the edition life cycle whenever results are loaded.
from awards.results import publishing as _publishing  # noqa: F401
