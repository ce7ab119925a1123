"""Reads of people for screens: a child's record and the family around them."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from grip.core.codelists import codes

from .models import Person, Relationship

# Relationships that read the same both ways, so one stored row serves both people.
SYMMETRIC_TYPES = ("SIBLING", "HALF_SIBLING")


def family_of(*, child: Person) -> list[tuple[Relationship, Person]]:
    """Each relative of `child` with the relationship that links them: parents first, then
    siblings and the rest in the order of the relationship code list, oldest first within each.

    A relationship is stored from the child's side (`relative` is the child's parent); a
    sibling recorded only from the other child's side is found too.
    """
    rows = Relationship.objects.filter(
        Q(person=child) | Q(relative=child, relationship_type__in=SYMMETRIC_TYPES)
    ).select_related("person", "relative")
    order = {code: i for i, code in enumerate(codes("relationship_type"))}
    family: dict[int, tuple[Relationship, Person]] = {}
    for rel in rows:
        other = rel.relative if rel.person_id == child.pk else rel.person
        kept = family.get(other.pk)
        if kept is None or order[rel.relationship_type] < order[kept[0].relationship_type]:
            family[other.pk] = (rel, other)
    return sorted(
        family.values(),
        key=lambda pair: (
            order[pair[0].relationship_type],
            pair[1].date_of_birth or pair[1].expected_date_of_birth or date.max,
            pair[1].last_name,
            pair[1].first_name,
        ),
    )
