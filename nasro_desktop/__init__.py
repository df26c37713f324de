"""SRO Program Readiness: an offline guided check against the NASRO standards."""

__version__ = "0.1.0"
DISPLAY_NAME = "SRO Program Readiness"  # the app's name wherever a person reads it
