"""How alike a child named in a contact and a known child are: a score out of 100 and its reasons.

All string comparison is RapidFuzz's: Jaro-Winkler for single names (it forgives the typos
people make in names and weighs the first letters most), token ratios for whole names and
addresses, and optimal string alignment on dates written as YYYYMMDD (one digit wrong, or two
neighbouring digits swapped, is one edit). The weights are Grip's own; they add up to 100 and only
an identifier match scores 100 (see `grip.frontdoor.matching`).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Protocol

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler

VARIANTS_FILE = Path(__file__).resolve().parent.parent / "reference" / "frontdoor" / "name_variants.csv"

FIRST_NAME, SURNAME, BIRTH, POSTCODE, SEX = 22, 26, 35, 12, 5  # the most each part adds: 100
POSTCODE_SECTOR, ADDRESS = 4, 8
SEX_DIFFERS, BIRTH_DIFFERS = -10, -5
IDENTIFIER_DIFFERS = {"nhs_number": ("NHS number differs", -25), "upn": ("UPN differs", -15)}
EXPECTED_BIRTH_DAYS = 42  # an expected date of birth is good to about six weeks either side


APOSTROPHES = re.compile(r"['’`]")
NOT_LETTERS = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=100_000)  # the same names come up again and again
def plain(text: str) -> str:
    """Lower case, accents and apostrophes dropped, anything else not a letter or digit a space."""
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = APOSTROPHES.sub("", text.lower())
    return " ".join(NOT_LETTERS.sub(" ", text).split())


def compact(text: str) -> str:
    """Capitals and digits only: how postcodes are compared and identifiers looked up."""
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def spaced_postcode(text: str) -> str:
    """'zx377ln' -> 'ZX37 7LN' (the inward code is always the last three characters)."""
    code = compact(text)
    return f"{code[:-3]} {code[-3:]}" if len(code) >= 5 else code


@cache
def name_variants() -> dict[str, frozenset[str]]:
    """Each first name in the variants file (plain) -> the other names it may stand for."""
    groups: dict[str, set[str]] = {}
    with VARIANTS_FILE.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            group = {plain(row["name"]), *(plain(v) for v in row["variants"].split())}
            for name in group:
                groups.setdefault(name, set()).update(group)
    return {name: frozenset(group - {name}) for name, group in groups.items()}


class Described(Protocol):
    """A child as a referrer named them (NamedChild) or as recorded (a row of people.Person)."""

    first_name: str
    last_name: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    sex: str
    postcode: str
    address: str
    nhs_number: str
    upn: str


@dataclass(frozen=True)
class Details:
    """The details compared, from either side: plain names, dates, postcode, identifiers."""

    first: str
    last: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    sex: str
    postcode: str  # compact
    address: str  # plain
    nhs_number: str
    upn: str

    @classmethod
    def of(cls, source: Described) -> Details:
        return cls(
            plain(source.first_name),
            plain(source.last_name),
            source.date_of_birth,
            source.expected_date_of_birth,
            source.sex.upper() if source.sex.upper() in ("F", "M") else "",
            compact(source.postcode),
            plain(source.address),
            re.sub(r"\D", "", source.nhs_number),
            compact(source.upn),
        )


def _jw(a: str, b: str) -> float:
    return JaroWinkler.normalized_similarity(a, b) if a and b else 0.0


def _weight(similarity: float) -> float:
    """Jaro-Winkler similarity as a share of a name's points: typos (about 0.9-0.96) keep most,
    unrelated names (under about 0.8) get nothing."""
    return min(1.0, max(0.0, (similarity - 0.80) / 0.17))


def _first_name(named: str, known: str) -> tuple[float, str]:
    """Similarity of first names (first given names weigh most) and a reason if a variant."""
    if not named or not known:
        return 0.0, ""
    named_tokens, known_tokens = named.split(), known.split()
    best = max(_jw(named_tokens[0], known_tokens[0]), 0.9 * fuzz.token_set_ratio(named, known) / 100)
    variants = name_variants().get(named_tokens[0], frozenset())
    if best < 0.92 and known_tokens[0] in variants:
        return 0.92, f"first name a variant ({named_tokens[0].title()}, {known_tokens[0].title()})"
    return best, ""


def _surname(named: str, known: str) -> tuple[float, str]:
    """Similarity of surnames; a double-barrelled or hyphenated surname that shares a part with
    the other counts as nearly the same."""
    if not named or not known:
        return 0.0, ""
    whole = _jw(named.replace(" ", ""), known.replace(" ", ""))
    if whole < 0.95 and (" " in named or " " in known) and fuzz.token_set_ratio(named, known) == 100:
        return 0.9, "one part of a double-barrelled surname matches"
    return whole, ""


def _names(named: Details, known: Details) -> tuple[float, list[str]]:
    if not (named.first or named.last):
        return 0.0, []
    first, first_note = _first_name(named.first, known.first)
    last, last_note = _surname(named.last, known.last)
    points = FIRST_NAME * _weight(first) + SURNAME * _weight(last)
    notes = [note for note in (first_note, last_note) if note]
    swapped_first, _ = _first_name(named.last, known.first)
    swapped_last, _ = _surname(named.first, known.last)
    swapped = FIRST_NAME * _weight(swapped_first) + SURNAME * _weight(swapped_last)
    if swapped > points + 5:
        points, notes = swapped, ["first and last names swapped"]
    # The whole names as sets of words: catches names split differently between the two fields.
    whole = fuzz.token_sort_ratio(f"{named.first} {named.last}", f"{known.first} {known.last}") / 100
    points = max(points, (FIRST_NAME + SURNAME) * _weight(whole))
    if {named.first, named.last} == {known.first, known.last}:
        return FIRST_NAME + SURNAME, ["same name", *notes]
    if points >= 0.55 * (FIRST_NAME + SURNAME):
        return points, ["name similar", *notes]
    if named.last and named.last == known.last:
        return points, ["same surname", *notes]  # a sibling, often
    if named.first and named.first == known.first:
        return points, ["same first name", *notes]
    return points, notes


def birth_mistypings(day: date) -> set[date]:
    """Dates one edit away from `day` written as YYYYMMDD (a digit wrong, or neighbours swapped),
    within 20 years of it; with day and month swapped, and the same day a year either side."""
    text = f"{day:%Y%m%d}"
    texts = {text[:i] + digit + text[i + 1 :] for i in range(8) for digit in "0123456789"}
    texts |= {text[:i] + text[i + 1] + text[i] + text[i + 2 :] for i in range(7)}
    texts.add(f"{day:%Y%d%m}")
    out = {_date_or_none(t) for t in texts} | {_shift_year(day, -1), _shift_year(day, 1)}
    return {d for d in out if d is not None and d != day and abs(d.year - day.year) <= 20}


def _date_or_none(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _births(named: Details, known: Details) -> tuple[float, list[str]]:
    named_day, known_day = named.date_of_birth, known.date_of_birth
    if named_day and known_day:
        if named_day == known_day:
            return BIRTH, ["same date of birth"]
        years_apart = abs(named_day.year - known_day.year)
        if (named_day.day, named_day.month) == (known_day.month, known_day.day) and not years_apart:
            return 0.8 * BIRTH, ["date of birth with day and month swapped"]
        if (named_day.month, named_day.day) == (known_day.month, known_day.day) and years_apart == 1:
            return 0.7 * BIRTH, ["date of birth a year apart"]
        if OSA.distance(f"{named_day:%Y%m%d}", f"{known_day:%Y%m%d}") == 1:
            return 0.7 * BIRTH, ["date of birth one digit different"]
        return BIRTH_DIFFERS, ["different date of birth"]
    named_any = named_day or named.expected_date_of_birth
    known_any = known_day or known.expected_date_of_birth
    if named_any and known_any and abs((named_any - known_any).days) <= EXPECTED_BIRTH_DAYS:
        return 0.6 * BIRTH, ["date of birth close to the expected date of birth"]
    return 0.0, []


def _places(named: Details, known: Details) -> tuple[float, list[str]]:
    if named.postcode and named.postcode == known.postcode:
        return POSTCODE, ["same postcode"]
    points, reasons = 0.0, []
    if len(named.postcode) >= 5 and named.postcode[:-2] == known.postcode[:-2]:
        points, reasons = POSTCODE_SECTOR, ["postcode in the same sector"]
    if named.address and known.address and fuzz.token_set_ratio(named.address, known.address) >= 90:
        points, reasons = points + ADDRESS, [*reasons, "address similar"]
    return points, reasons


def _sexes(named: Details, known: Details) -> tuple[float, list[str]]:
    if not named.sex or not known.sex:
        return 0.0, []
    return (SEX, []) if named.sex == known.sex else (SEX_DIFFERS, ["different sex recorded"])


def _identifiers(named: Details, known: Details) -> tuple[float, list[str]]:
    points, reasons = 0.0, []
    for field, (reason, penalty) in IDENTIFIER_DIFFERS.items():
        mine, theirs = getattr(named, field), getattr(known, field)
        if mine and theirs and mine != theirs:
            points, reasons = points + penalty, [*reasons, reason]
    return points, reasons


def score(named: Details, known: Details) -> tuple[int, list[str]]:
    """How alike the two are, 0-99, and why, strongest reasons first."""
    total, reasons = 0.0, []
    for part in (_names, _births, _places, _sexes, _identifiers):
        points, why = part(named, known)
        total += points
        reasons += why
    return max(0, min(99, round(total))), reasons
