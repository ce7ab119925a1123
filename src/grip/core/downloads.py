"""A table as a download: CSV, or an Excel workbook (openpyxl, write-only).

Text a spreadsheet would run as a formula (starting =, +, -, @, tab or carriage return) is written
with a leading apostrophe, so a name typed as "=HYPERLINK(...)" stays text (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date

from django.http import HttpResponse
from openpyxl import Workbook

FORMATS = {"csv", "xlsx"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def table_download(*, name: str, columns: Sequence[str], rows: Iterable[Sequence], kind: str) -> HttpResponse:
    """`rows` as a file called `name`.csv or `name`.xlsx (`kind`), with `columns` as its header."""
    if kind not in FORMATS:
        raise ValueError(f"unknown download format {kind!r}")
    values = [[_safe(v) for v in row] for row in rows]
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows([[v.isoformat() if isinstance(v, date) else v for v in row] for row in values])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        sheet.append(list(columns))
        for row in values:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
