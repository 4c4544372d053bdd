"""The explain engine: pure functions from daily history to findings (EXPLAIN_METHOD.md)."""
