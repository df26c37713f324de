"""Errors every layer may raise, with no import of any layer (the CLI, store/ and report/ all
use them; none imports another for them)."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; its message is shown as it is, in one line."""


class UsageError(UserError):
    """The command line itself is wrong (a missing or extra argument): exit code 2, as
    argparse's own usage errors."""
