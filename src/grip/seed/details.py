"""What the recording pages ask about a record, filled in on seeded records so that the demo
authority's conferences, core groups, early help and care leavers' accommodation read like real
work: who chaired and who came, the child's part, the outcome and the category; who leads early
help and why; what the accommodation the authority provides is.

The details come from a random stream of their own (see `details_rng` in simulate.py): when, how
often and for whom things happen are drawn exactly as before, so every table, measure and the
calibration against published figures stay as they were. All names are synthetic (grip.seed.names).
"""

from __future__ import annotations

import random
from datetime import date

from grip.seed.names import NamePools
from grip.seed.rows import RowStore

# Who comes to a conference or a core group, with how often (a share of meetings). Children's
# social care is always there. Education only for a child of school age, the child only when old
# enough to take part.
ALWAYS = "SOCIAL_CARE"
CONFERENCE_ATTENDANCE = {
    "PARENT": 0.9,
    "POLICE": 0.7,
    "HEALTH": 0.75,
    "EDUCATION": 0.7,
    "ADVOCATE": 0.15,
    "HOUSING": 0.1,
    "PROBATION": 0.05,
    "OTHER": 0.05,
}
CORE_GROUP_ATTENDANCE = {"PARENT": 0.85, "HEALTH": 0.55, "EDUCATION": 0.6, "ADVOCATE": 0.05, "OTHER": 0.1}
CHAIRS = 12  # independent conference chairs in the safeguarding unit
SCHOOL_AGE, TAKES_PART_FROM = 5, 12  # years
CHILD_ATTENDS = 0.35  # of conferences and core groups of a child old enough to take part
# Who said what at the attendance's codes, as a minute would name them (roles only, no names).
ROLES = {
    "SOCIAL_CARE": "social worker",
    "PARENT": "mother",
    "CHILD": "the young person",
    "ADVOCATE": "advocate",
    "POLICE": "police officer (public protection unit)",
    "HEALTH": "health visitor or school nurse",
    "EDUCATION": "designated safeguarding lead from school",
    "PROBATION": "probation officer",
    "HOUSING": "housing officer",
    "OTHER": "family support worker",
}
# The child's participation (conference_participation) by age: too young; younger children whose
# views come through their worker or in a drawing; older children, some of whom come.
PARTICIPATION_YOUNG = 4
YOUNGER = {"VIEWS_WORKER": 0.6, "VIEWS_SENT": 0.3, "NOT_GIVEN": 0.1}
OLDER = {"ADVOCATE": 0.25, "VIEWS_SENT": 0.3, "VIEWS_WORKER": 0.35, "NOT_GIVEN": 0.1}  # when not there
# Who leads early help (early_help_organisation), and the reasons families are offered it.
EARLY_HELP_LEADS = {
    "LA_EARLY_HELP": 0.45,
    "SCHOOL": 0.25,
    "EARLY_YEARS": 0.08,
    "HEALTH": 0.08,
    "VOLUNTARY": 0.07,
    "YOUTH": 0.03,
    "HOUSING": 0.02,
    "OTHER": 0.02,
}
LEAD_ROLES = {
    "LA_EARLY_HELP": "family support worker",
    "SCHOOL": "pastoral lead",
    "EARLY_YEARS": "family hub practitioner",
    "HEALTH": "health visitor",
    "VOLUNTARY": "family worker",
    "YOUTH": "youth worker",
    "HOUSING": "tenancy support officer",
    "OTHER": "key worker",
}
EARLY_HELP_REASONS = (
    "Parenting support: routines and boundaries at home.",
    "School attendance has fallen below 90% this term.",
    "Mother's low mood since the birth of a sibling; family asked for help.",
    "Police notification of a domestic incident (standard risk); mother wants support.",
    "Family in temporary accommodation after eviction; children's sleep and school affected.",
    "Child's behaviour at home and at school: two fixed-term exclusions.",
    "Father's alcohol use is affecting the family; he has agreed to see the drug and alcohol service.",
    "Young carer for a parent with a long-term illness.",
    "Debt and food poverty; the family has used the food bank.",
    "Child's anxiety and friendships since moving school.",
)
# Accommodation the authority provides a care leaver (care_leaver_accommodation, suffix 1: suitable):
# a relevant child (s23B) in semi-independent accommodation, supported lodgings or a foyer; a former
# relevant child's vacation accommodation (s24B) a flat, semi-independent or ordinary lodgings.
PROVIDED = {"S23B": ("D1", "E1", "T1"), "S24B": ("U1", "D1", "K1")}


def _some(rng: random.Random, shares: dict[str, float]) -> list[str]:
    return [code for code, share in shares.items() if rng.random() < share]


def _one(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


class RecordDetails:
    def __init__(self, *, store: RowStore, rng: random.Random, names: NamePools):
        self.store, self.rng, self.names = store, rng, names
        self._chairs: list[str] | None = None

    def _age(self, child: int, on: date) -> int:
        birth = self.store.get("people.Person", child, "date_of_birth")
        if birth is None or birth > on:
            return -1  # unborn
        return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))

    def _chair(self) -> str:
        """One of the authority's conference chairs (its safeguarding unit's independent chairs)."""
        if self._chairs is None:
            rng, names = self.rng, self.names
            self._chairs = [f"{names.first_name(rng, rng.choice('FM'))} {names.last_name(rng)}" for _ in range(CHAIRS)]
        return self.rng.choice(self._chairs)

    def _attendance(self, child: int, on: date, shares: dict[str, float]) -> dict:
        age = self._age(child, on)
        came = [ALWAYS, *_some(self.rng, shares)]
        if age < SCHOOL_AGE and "EDUCATION" in came:
            came.remove("EDUCATION")
        if age >= TAKES_PART_FROM and self.rng.random() < CHILD_ATTENDS:
            came.insert(2, "CHILD")
        return {"attended_by": came, "attendee_names": "; ".join(ROLES[c] for c in came).capitalize()}

    def conference(self, *, episode: int, held_on: date, outcome: str) -> dict:
        """A conference's chair, attendance and the child's participation, with its outcome."""
        child = self.store.get("cases.CINEpisode", episode, "child_id")
        age = self._age(child, held_on)
        attendance = self._attendance(child, held_on, CONFERENCE_ATTENDANCE)
        if age < PARTICIPATION_YOUNG:
            participation = "YOUNG"
        elif "CHILD" in attendance["attended_by"]:
            participation = self.rng.choice(["ATTENDED_SPOKE", "ATTENDED_ADVOCATE", "ATTENDED_NO_VIEWS"])
        else:
            participation = _one(self.rng, YOUNGER if age < TAKES_PART_FROM else OLDER)
        return {"chair": self._chair(), **attendance, "participation": participation, "outcome": outcome}

    def core_group(self, *, plan: int, held_on: date) -> dict:
        episode = self.store.get("cases.ChildProtectionPlan", plan, "episode_id")
        child = self.store.get("cases.CINEpisode", episode, "child_id")
        return self._attendance(child, held_on, CORE_GROUP_ATTENDANCE)

    def early_help(self, *, child: int, started_on: date) -> dict:
        lead = _one(self.rng, EARLY_HELP_LEADS)
        if lead == "SCHOOL" and self._age(child, started_on) < SCHOOL_AGE:
            lead = "EARLY_YEARS"
        name = f"{self.names.first_name(self.rng, self.rng.choice('FM'))} {self.names.last_name(self.rng)}"
        return {
            "lead_organisation": lead,
            "lead_practitioner": f"{name}, {LEAD_ROLES[lead]}",
            "reason": self.rng.choice(EARLY_HELP_REASONS),
        }

    def provided_accommodation(self, duty: str) -> str:
        return self.rng.choice(PROVIDED[duty])
