"""`datactiviste import` and `datactiviste inspect` (placeholder until the engine lands)."""
