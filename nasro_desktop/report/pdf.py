"""Kept for imports written before the renderer was split: the renderer is in renderer.py,
its parts in sections.py and board.py, flowables in flowables.py, styles in styles.py."""

from nasro_desktop.report.renderer import ReadinessReportRenderer
from nasro_desktop.report.styles import build_styles

__all__ = ["ReadinessReportRenderer", "build_styles"]
