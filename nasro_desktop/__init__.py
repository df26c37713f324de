"""SRO Program Readiness: an offline guided check against the NASRO standards."""

__version__ = "0.1.0"
