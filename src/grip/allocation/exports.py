"""The unallocated register as a download (grip.core.downloads: CSV or Excel)."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse

from grip.cases.selectors import STAGE_LABELS
from grip.core.downloads import FORMATS, table_download

__all__ = ["FORMATS", "register_download"]
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


def register_download(rows, *, today: date, kind: str) -> HttpResponse:
    return table_download(
        name=f"unallocated-register-{today:%Y-%m-%d}", columns=COLUMNS, rows=register_values(rows), kind=kind
    )
