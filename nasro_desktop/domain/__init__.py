"""Forms, conditions and scoring: pure Python, no Qt, no SQL."""
