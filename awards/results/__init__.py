"""Results: snapshots, publication and the public pages (see awards/results/public/)."""
