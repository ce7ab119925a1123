"""`ids_in` selects exactly what `in` selects, on both databases, for plain and related fields."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grip.cases.models import CINEpisode
from grip.people.models import Person
from tests.cases.factories import CINEpisodeFactory
from tests.invariants import HYPOTHESIS
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db


@HYPOTHESIS
@given(picks=st.lists(st.integers(0, 5), max_size=8), extra=st.lists(st.integers(-3, 10**6), max_size=3))
def test_ids_in_selects_what_in_selects(picks, extra):
    children = [ChildFactory() for _ in range(6)]
    for child in children[:4]:
        CINEpisodeFactory(child=child)
    ids = [children[i].pk for i in picks] + extra
    mine = Person.objects.filter(pk__in=[c.pk for c in children])
    assert set(mine.filter(pk__ids_in=ids)) == set(mine.filter(pk__in=ids))
    episodes = CINEpisode.objects.filter(child__in=children)
    assert set(episodes.filter(child_id__ids_in=ids)) == set(episodes.filter(child__in=ids))
    assert set(episodes.filter(child__ids_in=ids)) == set(episodes.filter(child_id__in=ids))


def test_an_empty_list_matches_nothing_and_a_non_number_is_refused():
    ChildFactory()
    assert not Person.objects.filter(pk__ids_in=[]).exists()
    with pytest.raises(ValueError):
        Person.objects.filter(pk__ids_in=["1; DROP TABLE x"])
