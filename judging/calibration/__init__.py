"""From judges' scores to entry values: simple normalizations, additive calibration of judge bias,
the mixed model behind it, and the judge-entry graph and numerics they use."""
