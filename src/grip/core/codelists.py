"""Code lists of the national data standards, loaded from data files that name their source.

Every coded field in Grip (referral source, primary need, legal status, ...) takes its values
from one list here. The lists live in ``grip/reference/codelists/``: ``index.toml`` names each
list, its standard, data item, collection year and source; one CSV per list holds ``code,label``.
Nothing else in the code base spells out a code list.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CODELIST_DIR = Path(__file__).resolve().parent.parent / "reference" / "codelists"


class UnknownCodeList(KeyError):
    """Raised when code asks for a list that is not in the index."""


@dataclass(frozen=True)
class CodeList:
    name: str
    title: str
    standard: str
    item: str
    collection_year: str
    source: str
    codes: dict[str, str]

    def label(self, code: str) -> str:
        return self.codes.get(code, code)

    def __contains__(self, code: object) -> bool:
        return code in self.codes


@cache
def _index() -> dict[str, dict]:
    with open(CODELIST_DIR / "index.toml", "rb") as fh:
        return tomllib.load(fh)


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
    return CodeList(
        name=name,
        title=meta["title"],
        standard=meta["standard"],
        item=meta.get("item", ""),
        collection_year=meta["collection_year"],
        source=meta["source"],
        codes=codes,
    )


def all_codelists() -> list[CodeList]:
    return [codelist(name) for name in _index()]


def choices(name: str) -> list[tuple[str, str]]:
    """(code, "code: label") pairs for a model field or a form."""
    return [(code, f"{code}: {label}") for code, label in codelist(name).codes.items()]


def codes(name: str) -> list[str]:
    return list(codelist(name).codes)


def label(name: str, code: str | None) -> str:
    if code in (None, ""):
        return ""
    return codelist(name).label(code)
