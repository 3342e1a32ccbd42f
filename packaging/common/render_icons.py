#!/usr/bin/env python3
"""Render the app icon resources/icons/treffpunkt.svg into the bitmaps packages need.

    python packaging/common/render_icons.py

Writes resources/icons/treffpunkt-<size>.png (hicolor sizes for Linux, the
Windows .ico sizes, the macOS iconset sizes) and resources/icons/treffpunkt.ico.
Uses Qt's own SVG renderer, so nothing is downloaded and any machine with the
project's venv can regenerate them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(svg: Path, size: int):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: cannot read {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def write_ico(images: list, target: Path) -> None:
    """A multi-size .ico with PNG-compressed entries (Windows Vista and later)."""
    import struct

    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    blobs = []
    for image in images:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        blobs.append((image.width(), bytes(data)))
    header = struct.pack("<HHH", 0, 1, len(blobs))
    offset = len(header) + 16 * len(blobs)
    entries, payload = b"", b""
    for size, blob in blobs:
        dim = 0 if size >= 256 else size  # 0 means 256 in the ICO directory
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        payload += blob
    target.write_bytes(header + entries + payload)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    svg = ICONS / "treffpunkt.svg"
    images = {size: render(svg, size) for size in PNG_SIZES}
    for size, image in images.items():
        if not image.save(str(ICONS / f"treffpunkt-{size}.png"), "PNG"):
            raise SystemExit(f"render_icons: cannot write treffpunkt-{size}.png")
    write_ico([images[s] for s in ICO_SIZES], ICONS / "treffpunkt.ico")
    print(f"render_icons: wrote {len(images)} PNGs and treffpunkt.ico to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
