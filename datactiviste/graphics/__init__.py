"""What charts and maps share: the publication frame, legend placement, scales and classes,
the choice of symbols for the data, and the check of a headline against the data."""
