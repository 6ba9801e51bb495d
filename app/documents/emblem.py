"""The documents' emblem, drawn in vector (no image file to download or keep): an open book under a
star inside a double ring, between two laurel branches — the network's mark on every certificate."""

from __future__ import annotations

import math

from fpdf import FPDF

BLUE = (31, 78, 121)
GOLD = (176, 141, 62)


def draw_emblem(pdf: FPDF, cx: float, cy: float, radius: float = 11.0) -> None:
    """Centre (`cx`, `cy`) in mm; the laurel reaches about 0.5·radius beyond the ring."""
    with pdf.local_context():
        pdf.set_draw_color(*BLUE)
        pdf.set_fill_color(255, 255, 255)
        pdf.set_line_width(0.8)
        pdf.circle(cx, cy, radius, style="D")
        pdf.set_draw_color(*GOLD)
        pdf.set_line_width(0.3)
        pdf.circle(cx, cy, radius * 0.86, style="D")
        _book(pdf, cx, cy + radius * 0.22, radius * 0.55)
        pdf.set_fill_color(*GOLD)
        pdf.star(cx, cy - radius * 0.38, radius * 0.11, radius * 0.27, 5, rotate_degrees=-90, style="F")
        _laurel(pdf, cx, cy, radius * 1.22, side=-1)
        _laurel(pdf, cx, cy, radius * 1.22, side=1)


def _book(pdf: FPDF, cx: float, cy: float, half: float) -> None:
    """Two pages fanning from the spine, with a few lines of text on each."""
    pdf.set_draw_color(*BLUE)
    pdf.set_fill_color(*BLUE)
    rise = half * 0.22
    height = half * 0.62
    for side in (-1, 1):
        edge = cx + side * half
        page = [(cx, cy + rise), (edge, cy), (edge, cy - height), (cx, cy - height + rise)]
        pdf.set_line_width(0.35)
        pdf.polygon(page, style="D")
        pdf.set_line_width(0.2)
        for step in (0.3, 0.55, 0.8):
            near = cx + side * half * 0.15
            far = cx + side * half * 0.85
            drop = -height * (1 - step)
            pdf.line(near, cy + drop + rise * 0.85, far, cy + drop + rise * 0.15)


def _laurel(pdf: FPDF, cx: float, cy: float, reach: float, side: int) -> None:
    """Seven leaves up one side of the ring, from below it to its middle, each along the branch."""
    pdf.set_fill_color(*GOLD)
    for step in range(7):
        theta = math.radians(255 - 18 * step)  # from just below the ring up its side
        x = cx - side * reach * math.cos(theta)
        y = cy - reach * math.sin(theta)
        turn = math.degrees(theta) + 90
        with pdf.rotation(turn if side < 0 else -turn, x, y):
            pdf.ellipse(x - 1.7, y - 0.6, 3.4, 1.2, style="F")
