"""The command line's handlers, one module per group of commands, above `session`.

`cli.py` names each handler as "module:function" and imports its module only when that
command runs, so `--version` and `list` never load Qt or reportlab. A handler takes the parsed
arguments, returns an exit code and raises `UserError` for a problem the user can fix.
`terminal.py` holds what every handler prints through (text made safe for a terminal).
"""
