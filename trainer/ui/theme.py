"""Light and dark palettes, status colours and the text size, applied app-wide."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from trainer.paths import assets_dir

_LIGHT = {
    QPalette.ColorRole.Window: "#f4f5f7",
    QPalette.ColorRole.WindowText: "#1f2328",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#eef0f3",
    QPalette.ColorRole.Text: "#1f2328",
    QPalette.ColorRole.Button: "#ffffff",
    QPalette.ColorRole.ButtonText: "#1f2328",
    QPalette.ColorRole.Highlight: "#0b5cad",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.PlaceholderText: "#59636e",
    QPalette.ColorRole.ToolTipBase: "#ffffff",
    QPalette.ColorRole.ToolTipText: "#1f2328",
    QPalette.ColorRole.Mid: "#c8ccd1",
    QPalette.ColorRole.Dark: "#8c959f",
    QPalette.ColorRole.Light: "#ffffff",
    QPalette.ColorRole.Link: "#0b5cad",
}
_DARK = {
    QPalette.ColorRole.Window: "#1c1f24",
    QPalette.ColorRole.WindowText: "#e6e8eb",
    QPalette.ColorRole.Base: "#262a30",
    QPalette.ColorRole.AlternateBase: "#2d3239",
    QPalette.ColorRole.Text: "#e6e8eb",
    QPalette.ColorRole.Button: "#2d3239",
    QPalette.ColorRole.ButtonText: "#e6e8eb",
    QPalette.ColorRole.Highlight: "#4c9be8",
    QPalette.ColorRole.HighlightedText: "#0d1117",
    QPalette.ColorRole.PlaceholderText: "#9aa3ad",
    QPalette.ColorRole.ToolTipBase: "#2d3239",
    QPalette.ColorRole.ToolTipText: "#e6e8eb",
    QPalette.ColorRole.Mid: "#4a515a",
    QPalette.ColorRole.Dark: "#14171b",
    QPalette.ColorRole.Light: "#3a4048",
    QPalette.ColorRole.Link: "#6cb6ff",
}


@dataclass(frozen=True, slots=True)
class StatusColours:
    """Colours that always come with an icon and a word, never alone."""

    good: str
    bad: str
    muted: str
    fair: str = "#9a6700"
    poor: str = "#bc4c00"
    mark: str = "#fff3b0"


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def status_colours(palette: QPalette) -> StatusColours:
    """Green/amber/orange/red/grey with at least 4.5:1 contrast on the palette's base colour; `mark` is the
    background of a highlighted fact (dark text on it in light, light text on it in dark)."""
    if is_dark(palette):
        return StatusColours(
            good="#56d364", bad="#ff7b72", muted="#9aa3ad", fair="#e3b341", poor="#ffa657", mark="#5a4a0c"
        )
    return StatusColours(good="#1a7f37", bad="#c9302c", muted="#59636e", fair="#9a6700", poor="#bc4c00", mark="#fff3b0")


def _palette(colours: dict[QPalette.ColorRole, str]) -> QPalette:
    palette = QPalette()
    for role, value in colours.items():
        palette.setColor(role, QColor(value))
    disabled = QColor(colours[QPalette.ColorRole.PlaceholderText])
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def light_palette() -> QPalette:
    """The light theme's palette, whatever the app shows: paper (a printed report) is always light."""
    return _palette(_LIGHT)


def stylesheet(palette: QPalette) -> str:
    """The app's stylesheet with the status colours for this palette's theme filled in."""
    colours = status_colours(palette)
    template = (assets_dir() / "style.qss").read_text(encoding="utf-8")
    for name in ("good", "bad", "muted", "fair", "poor"):
        template = template.replace("{" + name + "}", getattr(colours, name))
    shade = "dark" if is_dark(palette) else "light"
    check = assets_dir() / f"check-{shade}.svg"  # drawn in the highlighted-text colour
    return template.replace("{check}", check.as_posix())


def wants_dark(theme: str) -> bool:
    """Whether a theme setting ('system', 'light', 'dark') means dark colours now."""
    if theme == "system":
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    return theme == "dark"


def apply_theme(app: QApplication, theme: str, text_size: int, base_point_size: float) -> None:
    """Set the Fusion style, the light or dark palette, and the base font size for the whole app."""
    app.setStyle(QStyleFactory.create("Fusion"))
    palette = _palette(_DARK if wants_dark(theme) else _LIGHT)
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSizeF(max(base_point_size + text_size, 6))
    app.setFont(font)
    app.setStyleSheet(stylesheet(palette))
