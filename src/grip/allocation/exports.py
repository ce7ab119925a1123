"""The unallocated register as a download: CSV, or an Excel workbook (openpyxl, write-only)."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.http import HttpResponse
from openpyxl import Workbook

from grip.cases.selectors import STAGE_LABELS

FORMATS = {"csv", "xlsx"}
COLUMNS = [
    "LA child ID",
    "Name",
    "Stage",
    "Unallocated since",
    "Days unallocated",
    "Team queue",
    "Waiting transfer from",
    "Last worker",
    "Section 47 open",
    "Missing now",
    "Overdue",
]


def register_values(rows) -> list[list]:
    return [
        [
            r.child.la_child_id,
            r.child.full_name,
            STAGE_LABELS[r.stage],
            r.since,
            r.days,
            r.team.name if r.team else "",
            (r.transfer.from_team.name if r.transfer.from_team else "New to a team") if r.transfer else "",
            str(r.last_worker or ""),
            "Yes" if r.risk.section47_open else "No",
            "Yes" if r.risk.missing_now else "No",
            "; ".join(r.overdue),
        ]
        for r in rows
    ]


def _safe(value):
    """Text a spreadsheet would run as a formula is written as text (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def register_download(rows, *, today: date, kind: str) -> HttpResponse:
    name = f"unallocated-register-{today:%Y-%m-%d}"
    values = [[_safe(v) for v in row] for row in register_values(rows)]
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        writer.writerows([[v.isoformat() if isinstance(v, date) else v for v in row] for row in values])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Unallocated")
    sheet.append(COLUMNS)
    for row in values:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
