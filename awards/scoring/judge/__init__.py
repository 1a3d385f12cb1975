"""The judge's scoring desk: pages (:mod:`.pages`) and the JSON API (:mod:`.api`)."""
