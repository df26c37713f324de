"""Every command and option of the command line is in the README (as sqlite-utils' own test
suite checks its docs), so the people who use it can find it."""

import argparse
import re
from pathlib import Path

from nasro_desktop.cli import build_parser

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_is_in_the_readme():
    for name in subcommands():
        assert re.search(rf"nasro-desktop {name}\b", README), f"`nasro-desktop {name}` is not in the README"


def test_every_option_of_every_command_is_in_the_readme():
    shared = {"--help", "-h", "--data-dir"}
    for name, parser in subcommands().items():
        for action in parser._actions:
            for option in action.option_strings:
                if option not in shared and option.startswith("--"):
                    assert option in README, f"`nasro-desktop {name} {option}` is not in the README"
