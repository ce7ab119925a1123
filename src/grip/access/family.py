"""A child's family as one reader may see it: every adult, and only the children (brothers,
sisters, a parent who is a child record) the reader may open. The others are counted, never named,
dated or linked: a relative's record is protected like any other child's."""

from __future__ import annotations

from dataclasses import dataclass

from grip.access.scope import openable_among
from grip.people.models import Person, Relationship
from grip.people.selectors import family_of


@dataclass(frozen=True)
class VisibleFamily:
    shown: list[tuple[Relationship, Person]]
    hidden: int  # relatives who are child records the reader may not open


def family_visible_to(user, *, child: Person) -> VisibleFamily:
    family = family_of(child=child)
    children = [person.pk for _rel, person in family if person.is_child_record]
    openable = openable_among(user, children).visible if children else frozenset()
    shown = [(rel, person) for rel, person in family if not person.is_child_record or person.pk in openable]
    return VisibleFamily(shown, len(family) - len(shown))
