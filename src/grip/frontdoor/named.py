"""What a referrer told us about a child, before anyone knows which record (if any) is theirs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class NamedChild:
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    sex: str = ""
    la_child_id: str = ""
    upn: str = ""
    nhs_number: str = ""
    postcode: str = ""
    address: str = ""
