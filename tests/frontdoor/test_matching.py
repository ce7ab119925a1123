"""Who is this child? Matching a child named in a contact against the children already known."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from grip.access.models import RoleGrant
from grip.access.roles import Role
from grip.access.scope import children_visible_to
from grip.frontdoor.match_scoring import (
    Details,
    birth_mistypings,
    name_variants,
    plain,
    score,
    spaced_postcode,
)
from grip.frontdoor.matching import MIN_SCORE, NamedChild, find_candidates, repeat_flags
from grip.people.models import Person
from tests.cases.factories import (
    AllocationFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    ClosedCINEpisodeFactory,
    ContactFactory,
    LookedAfterEpisodeFactory,
    WorkerFactory,
    at,
)
from tests.people.factories import ChildFactory, PersonFactory, UnbornChildFactory

pytestmark = pytest.mark.django_db

BORN = dt.date(2015, 3, 8)


def everyone():
    return Person.objects.filter(la_child_id__isnull=False)


def child(**fields) -> Person:
    defaults = {
        "first_name": "Jayden",
        "last_name": "Okafor",
        "date_of_birth": BORN,
        "sex": "M",
        "postcode": "B12 9QT",
        "address": "14 Larch Road, Balsall Heath",
        "upn": "",
        "nhs_number": "",
    }
    return ChildFactory(**{**defaults, **fields})


def named(**fields) -> NamedChild:
    return NamedChild(**{"first_name": "", "last_name": "", **fields})


def top(found) -> Person:
    assert found, "no candidates"
    return found[0].child


# --------------------------------------------------------------------------- names


def test_the_same_details_are_the_top_candidate_with_reasons():
    jayden = child()
    child(first_name="Chloe", date_of_birth=dt.date(2012, 1, 2), sex="F")  # a sister at the same address

    found = find_candidates(
        named=named(first_name="Jayden", last_name="Okafor", date_of_birth=BORN, sex="M", postcode="B12 9QT"),
        within=everyone(),
    )

    assert top(found) == jayden
    assert found[0].score == 99  # only an identifier scores 100
    assert found[0].reasons == ["same name", "same date of birth", "same postcode"]
    assert len(found) == 1  # the sister is not who was named


def test_a_child_with_the_same_surname_and_date_of_birth_is_a_candidate_saying_so():
    twin = child(first_name="Jordan")

    [found] = find_candidates(
        named=named(first_name="Jayden", last_name="Okafor", date_of_birth=BORN), within=everyone()
    )

    assert (found.child, found.reasons) == (twin, ["same surname", "same date of birth"])


@pytest.mark.parametrize(
    ("recorded", "typed"),
    [("Jayden", "Jaden"), ("Mohammed", "Muhammad"), ("Gregory", "Greogry"), ("Stephanie", "Stefanie")],
)
def test_typos_and_spellings_of_a_first_name_still_find_the_child(recorded, typed):
    known = child(first_name=recorded)
    child(first_name="Kwame", last_name="Mensah", postcode="B13 0AA")

    found = find_candidates(named=named(first_name=typed, last_name="Okafor", date_of_birth=BORN), within=everyone())

    assert top(found) == known
    assert "same date of birth" in found[0].reasons


def test_a_typo_in_the_surname_without_a_date_of_birth_finds_the_child_by_name():
    known = child(last_name="Whitehouse")

    found = find_candidates(named=named(first_name="Jayden", last_name="Whitehosue"), within=everyone())

    assert top(found) == known
    assert found[0].reasons == ["name similar"]


@pytest.mark.parametrize(
    ("first", "last"), [("Jyaden", "Whitehouse"), ("Jayden", "Wihtehouse"), ("Jaden", "Whitehuose")]
)
def test_names_alone_find_the_child_whichever_name_has_the_typo(first, last):
    known = child(last_name="Whitehouse", postcode="")
    child(first_name="Jake", last_name="Wilson", postcode="")

    found = find_candidates(named=named(first_name=first, last_name=last), within=everyone())

    assert top(found) == known
    assert found[0].reasons == ["name similar"]


def test_first_and_last_names_swapped():
    known = child(first_name="Amara", last_name="Taylor", sex="F")
    child(first_name="Taylor", last_name="Amos", date_of_birth=dt.date(2010, 5, 5))

    found = find_candidates(named=named(first_name="Taylor", last_name="Amara", date_of_birth=BORN), within=everyone())

    assert top(found) == known
    assert "first and last names swapped" in found[0].reasons


@pytest.mark.parametrize(("recorded", "told"), [("William", "Bill"), ("Catherine", "Katie"), ("Elizabeth", "Libby")])
def test_a_nickname_finds_the_child_by_its_variant(recorded, told):
    known = child(first_name=recorded, last_name="Hughes")

    found = find_candidates(named=named(first_name=told, last_name="Hughes", postcode="B12 9QT"), within=everyone())

    assert top(found) == known
    assert f"first name a variant ({told}, {recorded})" in found[0].reasons


@pytest.mark.parametrize("told", ["Smith-Jones", "Smith Jones", "Jones"])
def test_part_of_a_double_barrelled_surname_finds_the_child(told):
    known = child(last_name="Smith-Jones")

    found = find_candidates(named=named(first_name="Jayden", last_name=told, date_of_birth=BORN), within=everyone())

    assert top(found) == known


def test_a_hyphenated_name_given_for_a_child_recorded_with_one_surname():
    known = child(last_name="Smith")

    found = find_candidates(
        named=named(first_name="Jayden", last_name="Smith-Jones", postcode="b129qt"), within=everyone()
    )

    assert top(found) == known
    assert "one part of a double-barrelled surname matches" in found[0].reasons
    assert "same postcode" in found[0].reasons


# --------------------------------------------------------------------------- dates of birth


@pytest.mark.parametrize(
    ("told", "reason"),
    [
        (dt.date(2015, 8, 3), "date of birth with day and month swapped"),
        (dt.date(2015, 3, 9), "date of birth one digit different"),
        (dt.date(2013, 3, 8), "date of birth one digit different"),
        (dt.date(2016, 3, 8), "date of birth a year apart"),
        (dt.date(2014, 3, 8), "date of birth a year apart"),
        (dt.date(2015, 3, 18), "date of birth one digit different"),
    ],
)
def test_a_mistyped_date_of_birth_still_finds_the_child(told, reason):
    known = child(last_name="Zielinski")
    child(first_name="Jay", last_name="Osei", date_of_birth=told)  # born that day, another child

    found = find_candidates(
        named=named(first_name="Jayden", last_name="Zielinski", date_of_birth=told), within=everyone()
    )

    assert top(found) == known
    assert reason in found[0].reasons


def test_a_baby_born_near_the_expected_date_of_birth():
    expected = timezone.localdate() + dt.timedelta(days=20)
    unborn = UnbornChildFactory(first_name="Baby", last_name="Nowak", expected_date_of_birth=expected)

    found = find_candidates(
        named=named(first_name="Baby", last_name="Nowak", date_of_birth=expected - dt.timedelta(days=5)),
        within=everyone(),
    )

    assert top(found) == unborn
    assert "date of birth close to the expected date of birth" in found[0].reasons


def test_the_same_date_of_birth_and_postcode_find_a_child_whose_name_is_spelt_very_differently():
    known = child(first_name="Siobhan", last_name="O'Callaghan", sex="F")

    found = find_candidates(
        named=named(first_name="Shivon", last_name="Ocalagan", date_of_birth=BORN, postcode="B12 9QT"),
        within=everyone(),
    )

    assert top(found) == known


# --------------------------------------------------------------------------- identifiers


def test_an_exact_identifier_beats_a_perfect_fuzzy_match():
    by_name = child(nhs_number="9434765919")
    by_number = child(
        first_name="Someone", last_name="Else", nhs_number="9434765870", date_of_birth=dt.date(2011, 1, 1)
    )

    found = find_candidates(
        named=named(first_name="Jayden", last_name="Okafor", date_of_birth=BORN, nhs_number="943 476 5870"),
        within=everyone(),
    )

    assert [c.child for c in found[:2]] == [by_number, by_name]
    assert found[0].score == 100
    assert found[0].reasons[0] == "NHS number matches"
    assert "NHS number differs" in found[1].reasons
    assert found[1].score < 100


@pytest.mark.parametrize(
    ("field", "stored", "typed", "reason"),
    [
        ("la_child_id", "LA000123", "la000123", "LA child ID matches"),
        ("upn", "A123456789012", "a123 4567 89012", "UPN matches"),
        ("nhs_number", "9434765919", "943-476-5919", "NHS number matches"),
    ],
)
def test_each_identifier_matches_however_it_is_typed(field, stored, typed, reason):
    known = child(first_name="Unrelated", last_name="Name", **{field: stored})

    found = find_candidates(named=named(first_name="Ada", last_name="Lovelace", **{field: typed}), within=everyone())

    assert [c.child for c in found] == [known]
    assert (found[0].score, found[0].reasons[0]) == (100, reason)


# --------------------------------------------------------------------------- scope and limits


def test_a_child_outside_the_scope_never_appears_even_by_identifier():
    inside = child(first_name="Jaden")
    outside = child(nhs_number="9434765919")

    found = find_candidates(
        named=named(first_name="Jayden", last_name="Okafor", date_of_birth=BORN, nhs_number="9434765919"),
        within=everyone().exclude(pk=outside.pk),
    )

    assert [c.child for c in found] == [inside]


def test_a_social_worker_is_offered_only_the_children_in_their_scope():
    worker = WorkerFactory(user=get_user_model().objects.create_user(username="sw", password="x"))
    RoleGrant.objects.create(user=worker.user, role=Role.SOCIAL_WORKER)
    theirs = child(first_name="Jaden")
    AllocationFactory(child=theirs, worker=worker)
    child(nhs_number="9434765919")  # a better match, but not theirs to see

    found = find_candidates(
        named=named(first_name="Jayden", last_name="Okafor", date_of_birth=BORN, nhs_number="9434765919"),
        within=children_visible_to(worker.user),
    )

    assert [c.child for c in found] == [theirs]


def test_adults_are_not_candidates():
    PersonFactory(first_name="Jayden", last_name="Okafor", date_of_birth=BORN, postcode="B12 9QT")

    assert (
        find_candidates(
            named=named(first_name="Jayden", last_name="Okafor", date_of_birth=BORN), within=Person.objects.all()
        )
        == []
    )


def test_unlike_children_are_left_out_and_the_list_is_limited():
    for i in range(6):
        child(first_name="Jayden", last_name="Okafor", date_of_birth=dt.date(2015, 3, 8) - dt.timedelta(days=400 * i))
    child(first_name="Zofia", last_name="Kowalczyk", postcode="M1 1AA", sex="F")

    found = find_candidates(named=named(first_name="Jayden", last_name="Okafor"), within=everyone(), limit=4)

    assert len(found) == 4
    assert all(c.child.last_name == "Okafor" and c.score >= MIN_SCORE for c in found)


def test_nothing_given_finds_nobody():
    child()

    assert find_candidates(named=named(), within=everyone()) == []


# --------------------------------------------------------------------------- history


def test_history_of_each_candidate_on_the_day():
    today = timezone.localdate()
    held = child()
    team_worker = WorkerFactory(first_name="Priya", last_name="Shah", team__name="Assessment North")
    for days in (10, 200, 364):
        ContactFactory(child=held, received_at=at(today - dt.timedelta(days=days)))
    ContactFactory(child=held, received_at=at(today - dt.timedelta(days=400)))  # over a year ago
    episode = CINEpisodeFactory(child=held, referral_date=today - dt.timedelta(days=40))
    ClosedCINEpisodeFactory(child=held, referral_date=today - dt.timedelta(days=500))
    ChildProtectionPlanFactory(episode=episode)
    AllocationFactory(child=held, worker=team_worker, started_on=today - dt.timedelta(days=30))
    in_care = child(first_name="Jaden", date_of_birth=dt.date(2015, 3, 9))
    LookedAfterEpisodeFactory(child=in_care)
    unknown = child(first_name="Jaydon", date_of_birth=dt.date(2014, 3, 8))

    found = {
        c.child: c.history
        for c in find_candidates(
            named=named(first_name="Jayden", last_name="Okafor", date_of_birth=BORN), within=everyone()
        )
    }

    assert found[held].contacts_last_12_months == 3
    assert found[held].referrals_last_12_months == 1
    assert (found[held].open_case, found[held].lead_worker, found[held].team) == (
        True,
        "Priya Shah",
        "Assessment North",
    )
    assert (found[held].on_cp_plan, found[held].looked_after, found[held].stage) == (True, False, "child_protection")
    assert (found[in_care].looked_after, found[in_care].open_case, found[in_care].stage) == (True, True, "looked_after")
    assert (found[in_care].lead_worker, found[in_care].team) == ("", "")
    assert found[unknown].stage == "no_involvement"
    assert (found[unknown].contacts_last_12_months, found[unknown].open_case) == (0, False)


def test_history_as_at_a_past_day():
    held = child()
    ContactFactory(child=held, received_at=at(dt.date(2024, 2, 1)))
    ContactFactory(child=held, received_at=at(dt.date(2024, 9, 1)))  # after the day asked about
    CINEpisodeFactory(child=held, referral_date=dt.date(2024, 2, 2))

    [found] = find_candidates(
        named=named(first_name="Jayden", last_name="Okafor", date_of_birth=BORN),
        within=everyone(),
        on=dt.date(2024, 6, 1),
    )

    assert (found.history.contacts_last_12_months, found.history.referrals_last_12_months) == (1, 1)
    assert found.history.stage == "child_in_need"


def test_history_takes_a_fixed_number_of_queries_however_many_candidates(django_assert_max_num_queries):
    def search():
        return find_candidates(
            named=named(
                first_name="Jayden", last_name="Okafor", date_of_birth=BORN, postcode="B12 9QT", nhs_number="9434765919"
            ),
            within=everyone(),
        )

    child(nhs_number="9434765919")
    with django_assert_max_num_queries(3):
        assert len(search()) == 1
    for i in range(8):
        known = child(first_name=["Jaden", "Jayden", "Jaydon"][i % 3], date_of_birth=BORN + dt.timedelta(days=i))
        ContactFactory(child=known)
        AllocationFactory(child=known)
        LookedAfterEpisodeFactory(child=known)
    with django_assert_max_num_queries(3):
        assert len(search()) == 9


# --------------------------------------------------------------------------- repeat contacts


def test_repeat_contact_and_re_referral_in_the_twelve_months_before():
    now = at(dt.date(2025, 6, 30), hour=15)
    known = child()
    ContactFactory(child=known, received_at=at(dt.date(2024, 7, 1)))
    ContactFactory(child=known, received_at=at(dt.date(2025, 6, 30), hour=9))  # earlier the same day
    ContactFactory(child=known, received_at=at(dt.date(2024, 6, 1)))  # over a year before
    this_one = ContactFactory(child=known, received_at=now)
    CINEpisodeFactory(child=known, referral_date=dt.date(2025, 6, 30), contact=this_one)  # from this contact
    ClosedCINEpisodeFactory(child=known, referral_date=dt.date(2024, 12, 1))

    flags = repeat_flags(child=known, on=now)

    assert (flags.repeat_contact, flags.previous_contacts) == (True, 2)
    assert (flags.rereferral_risk, flags.previous_referrals) == (True, 1)


def test_no_repeat_flags_for_a_child_new_to_the_front_door():
    known = child()
    ClosedCINEpisodeFactory(child=known, referral_date=dt.date(2023, 1, 5))

    flags = repeat_flags(child=known, on=at(dt.date(2025, 6, 30)))

    assert flags == type(flags)(repeat_contact=False, rereferral_risk=False, previous_contacts=0, previous_referrals=0)


# --------------------------------------------------------------------------- scoring pieces


def test_plain_and_postcodes():
    assert plain("  O'Brien-Smyth ") == "obrien smyth"
    assert plain("Zoë") == "zoe"
    assert spaced_postcode(" b129qt") == "B12 9QT"
    assert spaced_postcode("SW1A1AA") == "SW1A 1AA"


def test_name_variants_are_groups_both_ways():
    variants = name_variants()
    assert "william" in variants["bill"] and "bill" in variants["william"]
    assert {"samuel", "samantha"} <= variants["sam"]
    assert "muhammad" in variants["mohammed"]


def test_birth_mistypings():
    close = birth_mistypings(dt.date(2015, 3, 8))
    assert {dt.date(2015, 8, 3), dt.date(2015, 3, 9), dt.date(2014, 3, 8), dt.date(2016, 3, 8)} <= close
    assert dt.date(2015, 3, 8) not in close
    assert all(abs(day.year - 2015) <= 20 for day in close)
    assert dt.date(2021, 2, 28) in birth_mistypings(dt.date(2020, 2, 29))  # a leap day, a year on


def test_score_penalises_a_different_sex_and_never_reaches_100():
    ann = named(first_name="Ann", last_name="Lee", date_of_birth=BORN, sex="F", postcode="B12 9QT")
    same = Details.of(ann)
    other_sex = Details.of(replace(ann, sex="M"))

    assert score(same, same)[0] == 99
    points, reasons = score(same, other_sex)
    assert points < 99 - 10
    assert "different sex recorded" in reasons
