"""Inter-rater reliability: the coefficients of a score matrix and their use on a score sheet."""
