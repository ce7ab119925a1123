"""Code lists of the national data standards, loaded from data files that name their source.

Every coded field in Grip (referral source, primary need, legal status, ...) takes its values
from one list here. The lists live in ``grip/reference/codelists/``: ``index.toml`` names each
list, its standard, data item, collection year and source; one CSV per list holds ``code,label``
and, where codes came or went, ``valid_from`` and ``valid_to``: the first and last collection
years (``2024-25``) the code may be used in, empty for "since before Grip's earliest year" and
"still valid". Nothing else in the code base spells out a code list.

A list holds every code ever valid, so a historic record keeps the code of its own year (the
database allows them all); ``CodeList.valid_in`` says whether a code may be used in a given
collection year, which is how a new record is held to the codes of its own year.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from grip.core.reference import named_source, read_reference, reference_file

CODELIST_DIR = reference_file("codelists")


COLLECTION_YEAR = re.compile(r"^(20\d\d)-(\d\d)$")


class UnknownCodeList(KeyError):
    """Raised when code asks for a list that is not in the index."""


def collection_year(day: date) -> str:
    """The DfE collection year a day falls in: the CIN census and SSDA903 both run from 1 April to
    31 March, so 1 April 2025 to 31 March 2026 is "2025-26"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _year_start(year: str) -> int:
    match = COLLECTION_YEAR.match(year)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"{year!r} is not a collection year like 2025-26")
    return int(match.group(1))


@dataclass(frozen=True)
class CodeList:
    name: str
    title: str
    standard: str
    item: str
    collection_year: str
    source: str
    codes: dict[str, str]  # every code ever valid, current or retired
    valid_from: dict[str, str] = field(default_factory=dict)  # code -> first collection year, if it came later
    valid_to: dict[str, str] = field(default_factory=dict)  # code -> last collection year, if retired

    def label(self, code: str) -> str:
        return self.codes.get(code, code)

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def valid_in(self, code: str, year: str) -> bool:
        """May `code` be used in collection `year` ("2025-26")?"""
        if code not in self.codes:
            return False
        start = _year_start(year)
        first, last = self.valid_from.get(code), self.valid_to.get(code)
        return (first is None or _year_start(first) <= start) and (last is None or start <= _year_start(last))

    def codes_in(self, year: str) -> list[str]:
        """The codes that may be used in collection `year`, in file order."""
        return [code for code in self.codes if self.valid_in(code, year)]

    def validity(self, code: str) -> str:
        """When a code may be used, in words: "until 2024-25", "from 2025-26", "2024-25 to 2025-26"."""
        first, last = self.valid_from.get(code), self.valid_to.get(code)
        if first and last:
            return f"{first} to {last}"
        return f"from {first}" if first else f"until {last}" if last else "in every year"


@cache
def _index() -> dict[str, dict]:
    return read_reference(CODELIST_DIR / "index.toml")


@cache
def codelist(name: str) -> CodeList:
    try:
        meta = _index()[name]
    except KeyError:
        raise UnknownCodeList(f"No code list called {name!r} in {CODELIST_DIR / 'index.toml'}") from None
    with open(CODELIST_DIR / meta["file"], newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    codes = {row["code"]: row["label"] for row in rows}
    if len(codes) != len(rows):
        raise ValueError(f"Code list {name!r} has a code listed twice")
    periods: dict[str, dict[str, str]] = {"valid_from": {}, "valid_to": {}}
    for row in rows:
        for column, found in periods.items():
            year = (row.get(column) or "").strip()
            if year:
                _year_start(year)  # a bad year stops Grip here, naming it
                found[row["code"]] = year
    return CodeList(
        name=name,
        title=meta["title"],
        standard=meta["standard"],
        item=meta.get("item", ""),
        collection_year=meta["collection_year"],
        source=named_source(meta, key=name, path=CODELIST_DIR / "index.toml"),
        codes=codes,
        valid_from=periods["valid_from"],
        valid_to=periods["valid_to"],
    )


def all_codelists() -> list[CodeList]:
    return [codelist(name) for name in _index()]


def choices(name: str, *, on: date | None = None) -> list[tuple[str, str]]:
    """(code, "code: label") pairs for a model field (every code ever valid), or, given the day a
    new record is for (`on`), for a form: only the codes valid in that day's collection year."""
    found = codelist(name)
    allowed = set(found.codes_in(collection_year(on))) if on is not None else found.codes
    return [(code, f"{code}: {label}") for code, label in found.codes.items() if code in allowed]


def check_valid_on(name: str, code: str, day: date) -> str | None:
    """None if `code` may be used for a record dated `day`, else a plain message saying why not."""
    found = codelist(name)
    if code not in found.codes:
        return None  # not a code at all: the field's own choices and CHECK constraint say so
    year = collection_year(day)
    if found.valid_in(code, year):
        return None
    current = ", ".join(c for c in found.codes_in(year) if c not in found.codes_in(_previous(year)))
    hint = f" Codes new in {year}: {current}." if current else ""
    return (
        f"{code} ({found.label(code)}) is a {found.title.lower()} code valid {found.validity(code)}, "
        f"not in {year}, the collection year of {day:%d/%m/%Y}.{hint}"
    )


def _previous(year: str) -> str:
    start = _year_start(year) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def codes(name: str) -> list[str]:
    return list(codelist(name).codes)


def label(name: str, code: str | None) -> str:
    if code in (None, ""):
        return ""
    return codelist(name).label(code)
