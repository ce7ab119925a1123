"""Children and the families around them: who is new at the front door, and their siblings."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from grip.seed.names import NamePools
from grip.seed.parameters import Parameters, Shares
from grip.seed.rows import RowStore, as_datetime

AGE_BANDS = {"0": (0, 0), "1-4": (1, 4), "5-9": (5, 9), "10-15": (10, 15), "16-17": (16, 17)}


@dataclass
class ChildState:
    """What the generator needs to remember about a child between events."""

    pk: int
    family: int
    birth: date  # date of birth, or expected date of birth for an unborn child
    busy_until: date | None = None  # end of the open CIN episode; None when no episode is open
    has_open_episode: bool = False
    last_referral: date | None = None
    early_help_until: date | None = None
    early_help_row: int | None = None  # the child's latest early help episode (its row number)
    cp_plans: int = 0
    segments: list[tuple[str, date, date | None]] = field(default_factory=list)

    def free_on(self, d: date) -> bool:
        return not self.has_open_episode or (self.busy_until is not None and self.busy_until < d)

    def age_on(self, d: date) -> int:
        return d.year - self.birth.year - ((d.month, d.day) < (self.birth.month, self.birth.day))


def nhs_test_number(rng: random.Random) -> str:
    """An NHS number in the range the NHS reserves for testing (999 000 0000 upwards), valid check digit."""
    while True:
        digits = "999" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check != 10:
            return digits + str(check)


class Families:
    def __init__(self, *, store: RowStore, params: Parameters, rng: random.Random, names: NamePools, end: date):
        self.store, self.rng, self.names, self.end = store, rng, names, end
        children = params.section("children")
        self.children_params = children
        self.age_shares = Shares.from_mapping("children.age_shares", children["age_shares"])
        self.ethnicity = Shares.from_mapping("children.ethnicity_shares", children["ethnicity_shares"])
        family_sizes = params.section("referrals")["children_per_family"]
        self.family_sizes = Shares.from_mapping(
            "referrals.children_per_family", {str(i + 1): s for i, s in enumerate(family_sizes)}
        )
        self.known_sibling_share = params.rate("front_door", "known_sibling_share")
        self.children: dict[int, ChildState] = {}
        self.unseen_siblings: list[int] = []
        self._nhs_numbers: set[str] = set()
        self._families = 0

    def new_child(self, on: date) -> ChildState:
        """A child not seen at the front door before: a known sibling, or a new family's child."""
        rng = self.rng
        if self.unseen_siblings and rng.random() < self.known_sibling_share:
            i = rng.randrange(len(self.unseen_siblings))
            self.unseen_siblings[i], self.unseen_siblings[-1] = self.unseen_siblings[-1], self.unseen_siblings[i]
            child = self.children[self.unseen_siblings.pop()]
            if child.birth <= on:
                return child
        return self._new_family(on)

    def _new_family(self, on: date) -> ChildState:
        rng, store = self.rng, self.store
        self._families += 1
        family = self._families
        last_name = self.names.last_name(rng)
        address, postcode = self.names.address(rng)
        ethnicity = self.ethnicity.draw(rng)
        recorded = as_datetime(on, 9 * 60 + rng.randint(0, 480))
        subject_birth = self._birth_for(on, unborn_allowed=True)
        n_children = int(self.family_sizes.draw(rng))
        births = [subject_birth] + [
            subject_birth + timedelta(days=rng.choice([-1, 1]) * rng.randint(300, 2500)) for _ in range(n_children - 1)
        ]
        births = [b if b <= on or b == subject_birth else on - timedelta(days=rng.randint(30, 300)) for b in births]
        child_ids = []
        for i, birth in enumerate(births):
            child_ids.append(self._add_child(family, last_name, address, postcode, ethnicity, birth, on, recorded))
            if i and birth <= on:
                self.unseen_siblings.append(child_ids[-1])
        youngest = max(births)
        for sex in rng.sample(["F", "M"], k=1 if rng.random() < 0.35 else 2):
            parent_birth = youngest - timedelta(days=rng.randint(18 * 365, 42 * 365))
            parent = store.add(
                "people.Person",
                first_name=self.names.first_name(rng, sex),
                last_name=last_name,
                date_of_birth=parent_birth,
                sex=sex,
                address=address,
                postcode=postcode,
                recorded_at=recorded,
            )
            for child in child_ids:
                store.add(
                    "people.Relationship",
                    person_id=child,
                    relative_id=parent,
                    relationship_type="PARENT",
                    recorded_at=recorded,
                )
        for a in child_ids:
            for b in child_ids:
                if a != b:
                    store.add(
                        "people.Relationship",
                        person_id=a,
                        relative_id=b,
                        relationship_type="SIBLING",
                        recorded_at=recorded,
                    )
        return self.children[child_ids[0]]

    def _unique_nhs_number(self) -> str:
        """NHS numbers are unique to a person: redraw until unused (the test range holds ~900,000)."""
        while True:
            number = nhs_test_number(self.rng)
            if number not in self._nhs_numbers:
                self._nhs_numbers.add(number)
                return number

    def _birth_for(self, on: date, *, unborn_allowed: bool) -> date:
        rng = self.rng
        if unborn_allowed and rng.random() < self.children_params["unborn_share"]:
            return on + timedelta(days=rng.randint(20, 200))
        low, high = AGE_BANDS[self.age_shares.draw(rng)]
        age_days = rng.randint(low * 365, high * 365 + 364)
        return on - timedelta(days=max(1, age_days))

    def _add_child(
        self, family: int, last_name: str, address: str, postcode: str, ethnicity: str, birth: date, on: date, recorded
    ) -> int:
        rng, p = self.rng, self.children_params
        sex = rng.choice("FM")
        born = birth <= self.end
        school_age = born and (self.end - birth).days > 4 * 365
        # CIN census Disability: NONE says "no disability"; an empty list is "not yet recorded",
        # which a born child on the record should not stay at (CIN rule 8540).
        disabilities = [rng.choice(p["disability_codes"])] if rng.random() < p["disabled_share"] else ["NONE"]
        if not born:
            disabilities = []  # an unborn child's disability is not yet known
        pk = self.store.next_ids["people.Person"]
        self.store.add(
            "people.Person",
            la_child_id=f"DB{pk:08d}",
            first_name=self.names.first_name(rng, sex),
            last_name=last_name,
            sex=sex,
            ethnicity=ethnicity,
            disabilities=disabilities,
            date_of_birth=birth if born else None,
            expected_date_of_birth=birth if birth > on else None,
            upn=_upn(rng) if school_age and rng.random() < p["with_upn_if_school_age"] else "",
            nhs_number=self._unique_nhs_number() if born and rng.random() < p["with_nhs_number"] else "",
            address=address,
            postcode=postcode,
            recorded_at=recorded,
        )
        self.children[pk] = ChildState(pk=pk, family=family, birth=birth)
        return pk


def _upn(rng: random.Random) -> str:
    # Letter + 12 digits; "Z" as the check letter position is not a real school's allocation.
    return "Z" + "".join(str(rng.randint(0, 9)) for _ in range(12))
