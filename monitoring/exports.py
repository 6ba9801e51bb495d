"""Exports of monitoring: a report as an Excel workbook, the network's annual report as a PDF.
(PAGES writes this module; the signatures below are agreed.)"""

from __future__ import annotations

from monitoring.report_shape import Report


def report_xlsx(report: Report) -> bytes:
    raise NotImplementedError("PAGES fills this in")
