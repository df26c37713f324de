"""Whether a window can be opened here, asked before Qt is started: Qt ends the process (abort,
exit 134) with its own text when it finds no display, and on Linux through pip when a system
library its display plugin needs is missing (libxcb-cursor0 and friends).

Windows and macOS always have their display; this only looks on Linux and the BSDs, and only
when QT_QPA_PLATFORM does not name a plugin already (offscreen, a test machine's choice).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import sys
from pathlib import Path

INSTALL_HINT = ("On Debian or Ubuntu install them with: sudo apt install libxcb-cursor0 "
                "libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0")


def why_no_window() -> str | None:
    """None when a window can open; else why not, in a few plain words."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
        return None  # Qt asks the Wayland compositor itself
    display = os.environ.get("DISPLAY")
    if not display:
        return "there is no display (DISPLAY is not set: no desktop session, or over SSH)"
    if not x_display_answers():
        return f"the display {display} does not answer"
    return display_plugin_problem()


def x_display_answers() -> bool:
    """Connect to $DISPLAY with libxcb (what Qt's xcb plugin uses) and disconnect. True when
    libxcb itself cannot be loaded: the plugin check then names what is missing."""
    name = ctypes.util.find_library("xcb") or "libxcb.so.1"
    try:
        xcb = ctypes.CDLL(name)
    except OSError:
        return True
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(None, None)
    try:
        return bool(connection) and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection:
            xcb.xcb_disconnect(connection)


def platform_plugins() -> Path:
    """The folder of Qt's display plugins."""
    from PySide6.QtCore import QLibraryInfo

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"


def display_plugin_problem() -> str | None:
    """Qt's X11 display plugin loads with every library it needs, or which one is missing."""
    plugin = platform_plugins() / "libqxcb.so"
    if not plugin.is_file():
        return f"Qt's display plugin {plugin} is missing; install the app again"
    try:
        ctypes.CDLL(str(plugin))
    except OSError as error:
        missing = re.search(r"(lib[\w.+-]+\.so[\w.]*)", str(error))
        name = missing.group(1) if missing else str(error)
        return f"a system library the window needs is missing: {name}. {INSTALL_HINT}"
    return None
