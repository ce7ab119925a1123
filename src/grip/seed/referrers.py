"""What a referrer says when they make a contact: who they are, what worries them, and the child
as they name them. The words are synthetic (grip/reference/seed/referrers.toml).

Drawn from a random stream of its own (see simulate.py), so that adding the words leaves every
other record of a seeded authority as it was.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from grip.core.reference import read_reference, reference_file
from grip.seed.names import NamePools
from grip.seed.parameters import Shares
from grip.seed.rows import RowStore

REFERRERS_FILE = reference_file("seed/referrers.toml")
PRONOUNS = {
    "F": {"they": "she", "them": "her", "their": "her", "themself": "herself"},
    "M": {"they": "he", "them": "him", "their": "his", "themself": "himself"},
}
ADULTS = ["mum", "dad", "the mother", "the father", "mum's partner", "the stepfather", "the carer", "the grandmother"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")


@dataclass(frozen=True)
class Said:
    """A contact's words: the reporter, their concerns, and the child as named."""

    reporter_name: str
    reporter_role: str
    reporter_organisation: str
    reporter_phone: str
    concerns: str
    concern_categories: list[str]
    consent: str
    urgency: str
    named_first_name: str
    named_last_name: str
    named_date_of_birth: date | None
    named_details: dict[str, str]


@cache
def _load(path: Path = REFERRERS_FILE) -> dict:
    return read_reference(path)


class Referrers:
    def __init__(self, *, store: RowStore, rng: random.Random, names: NamePools):
        self.store, self.rng, self.names = store, rng, names
        data = _load()
        self.reporters = data["reporters"]
        self.templates = data["concerns"]
        self.categories = {
            source: Shares.from_mapping(f"reporters.{source}.concerns", r["concerns"], renormalise=True)
            for source, r in self.reporters.items()
        }

    def _person(self, pk: int, name: str):
        return self.store.get("people.Person", pk, name)

    def say(self, *, child: int, source: str, day: date, urgent: bool) -> Said:
        rng = self.rng
        reporter = self.reporters[source]
        role = rng.choice(reporter["roles"])
        anonymous = source == "9"
        sex = rng.choice("FFM")
        category = self.categories[source].draw(rng)
        categories = [category]
        if rng.random() < 0.25:  # a second worry raised in the same call
            second = self.categories[source].draw(rng)
            if second != category:
                categories.append(second)
        first = self._person(child, "first_name")
        last = self._person(child, "last_name")
        born = self._person(child, "date_of_birth")
        expected = self._person(child, "expected_date_of_birth")
        child_sex = self._person(child, "sex")
        age = str(max(0, _age(born, day))) if born is not None else f"due {(expected or day):%B %Y}"
        words = {
            "child": first if born is not None else "the unborn baby",
            "age": age,
            "day": WEEKDAYS[(day.weekday() - rng.randint(0, 3)) % 7],
            "adult": rng.choice(ADULTS),
            "reporter": role.lower(),
            **PRONOUNS.get(child_sex, {"they": "they", "them": "them", "their": "their", "themself": "themself"}),
        }
        sentences = [rng.choice(self.templates[c]).format(**words) for c in categories]
        concerns = " ".join(SENTENCE_START.sub(lambda m: m[1] + m[2].upper(), s) for s in sentences)
        details = {"sex": child_sex} if child_sex else {}
        address = self._person(child, "address")
        if address and rng.random() < 0.9:
            details["address"] = address
            details["postcode"] = self._person(child, "postcode")
        if source.startswith("3") and self._person(child, "nhs_number"):
            details["nhs_number"] = self._person(child, "nhs_number")
        if source == "2A" and self._person(child, "upn"):
            details["upn"] = self._person(child, "upn")
        if expected is not None:
            details["expected_date_of_birth"] = expected.isoformat()
        # A referrer does not always know the date of birth, or the family name.
        named_birth = born if born is not None and rng.random() < 0.8 else None
        return Said(
            reporter_name="" if anonymous else f"{self.names.first_name(rng, sex)} {self.names.last_name(rng)}",
            reporter_role=role,
            reporter_organisation=reporter["organisation"],
            reporter_phone="" if anonymous else f"0121 496 {rng.randint(0, 999):04d}",  # Ofcom's drama numbers
            concerns=concerns,
            concern_categories=categories,
            consent="NOT_SOUGHT_RISK" if urgent or rng.random() < 0.1 else "YES",
            urgency="IMMEDIATE" if urgent else ("SAME_DAY" if rng.random() < 0.15 else "ROUTINE"),
            named_first_name=first if born is not None else "",
            named_last_name=last if not anonymous or rng.random() < 0.5 else "",
            named_date_of_birth=named_birth,
            named_details=details,
        )


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
