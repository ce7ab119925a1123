"""Who is this child? The children already known who may be the child a contact names.

A referrer tells us what they know: a name (perhaps misspelt, a nickname, first and last the
wrong way round), a date of birth (perhaps mistyped), an address, sometimes an identifier. We
look only among the children the caller may see (`within`, from grip.access.scope), and:

1. an exact identifier (LA child ID, NHS number, UPN) is a match, score 100, first;
2. otherwise a small pool is fetched with indexed queries: the same date of birth; a mistyped
   date of birth (one digit, day and month swapped, a year out) with a surname or first name
   starting the same; the same postcode; the same starts of surname and first name (or of a
   variant of the first name, or the two swapped); an expected date of birth near the date given;
3. each child in the pool is scored with RapidFuzz (`match_scoring`), best first;
4. the history of the children shown is fetched for all of them at once (one query).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import CharField, Count, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Upper
from django.utils import timezone

from grip.allocation.models import Allocation
from grip.cases.models import CINEpisode
from grip.cases.selectors import OPEN_STAGES, stage_annotations, stage_from
from grip.frontdoor.match_scoring import (
    EXPECTED_BIRTH_DAYS,
    Details,
    birth_mistypings,
    compact,
    name_variants,
    plain,
    score,
    spaced_postcode,
)
from grip.frontdoor.models import Contact
from grip.frontdoor.named import NamedChild
from grip.people.models import Person

__all__ = ["Candidate", "CandidateHistory", "NamedChild", "RepeatFlags", "find_candidates", "repeat_flags"]

MIN_SCORE = 45  # below this a child is not worth a practitioner's time
NAME_POOL_LIMIT = 1000  # the most children fetched on name starts alone
IDENTIFIER_REASONS = {"la_child_id": "LA child ID matches", "nhs_number": "NHS number matches", "upn": "UPN matches"}
FIELDS = (
    "pk",
    "first_name",
    "last_name",
    "date_of_birth",
    "expected_date_of_birth",
    "sex",
    "postcode",
    "address",
    "la_child_id",
    "nhs_number",
    "upn",
)


@dataclass(frozen=True)
class CandidateHistory:
    contacts_last_12_months: int
    referrals_last_12_months: int
    open_case: bool
    lead_worker: str  # empty when no lead worker is allocated
    team: str
    on_cp_plan: bool
    looked_after: bool
    stage: str  # a key of grip.cases.selectors.STAGE_LABELS


@dataclass(frozen=True)
class Candidate:
    child: Person
    score: int  # 0-100; 100 only for an identifier match
    reasons: list[str]
    history: CandidateHistory


def find_candidates(
    *, named: NamedChild, within: QuerySet[Person], on: date | None = None, limit: int = 10
) -> list[Candidate]:
    """Children of `within` (the caller's scope) who may be `named`, best first, with their
    history on `on` (default today). At most `limit`; none scoring under MIN_SCORE."""
    on = on or timezone.localdate()
    wanted = Details.of(named)
    ranked: list[tuple[int, int, list[str], Any]] = []
    for row in _pool(named, within.filter(la_child_id__isnull=False).order_by()).values():
        likeness, reasons = score(wanted, Details.of(row))
        matched = [IDENTIFIER_REASONS[field] for field in _identifiers_matching(named, row)]
        points = 100 if matched else likeness
        if points >= MIN_SCORE:
            ranked.append((points, likeness, matched + reasons, row))
    # Identifier matches first; then (and among them: an identifier is sometimes shared in error)
    # the likest; then by name.
    ranked.sort(key=lambda r: (-r[0], -r[1], r[3].last_name.lower(), r[3].first_name.lower(), r[3].pk))
    ranked = ranked[:limit]
    histories = _histories([row.pk for *_, row in ranked], on)
    return [
        Candidate(child=histories[row.pk][0], score=points, reasons=reasons, history=histories[row.pk][1])
        for points, _, reasons, row in ranked
    ]


def _wanted_identifiers(named: NamedChild) -> dict[str, str]:
    """The identifiers given, as they are stored: spaces dropped, letters in capitals."""
    wanted = {field: compact(getattr(named, field)) for field in IDENTIFIER_REASONS}
    return {field: value for field, value in wanted.items() if value}


def _identifiers_matching(named: NamedChild, row: Any) -> list[str]:
    wanted = _wanted_identifiers(named)
    return [field for field, value in wanted.items() if (getattr(row, field) or "").upper() == value]


# --------------------------------------------------------------------------- the pool


def _pool(named: NamedChild, children: QuerySet[Person]) -> dict[int, Any]:
    """Children who may be `named`, pk -> a row of FIELDS, from two queries whose every condition an index
    serves: one for identifiers, dates of birth and postcode; one, limited, on name starts."""
    close = Q()
    for field, value in _wanted_identifiers(named).items():
        close |= Q(**{f"{field}__in": {value, getattr(named, field).strip()}})
    surnames, firsts = _name_starts(named)
    either_name = _starting(surnames, "last_upper") | _starting(firsts, "first_upper")
    if named.date_of_birth:
        close |= Q(date_of_birth=named.date_of_birth)
        if either_name:
            close |= Q(date_of_birth__in=birth_mistypings(named.date_of_birth)) & either_name
    birth = named.date_of_birth or named.expected_date_of_birth
    if birth:
        around = (birth - timedelta(days=EXPECTED_BIRTH_DAYS), birth + timedelta(days=EXPECTED_BIRTH_DAYS))
        close |= Q(expected_date_of_birth__range=around)
        if not named.date_of_birth and either_name:  # born since the expected date was recorded?
            close |= Q(date_of_birth__range=around) & either_name
    if len(compact(named.postcode)) >= 5:
        close |= Q(postcode__in={spaced_postcode(named.postcode), compact(named.postcode)})
    keyed = children.alias(
        last_upper=Upper("last_name"),
        first_upper=Upper("first_name"),
        first_initial=_initial("first_name"),
        last_initial=_initial("last_name"),
    )
    rows: dict[int, Any] = {}
    if close:
        rows.update((row.pk, row) for row in keyed.filter(close).values_list(*FIELDS, named=True))
    by_name = _name_condition(named)
    if by_name:
        found = keyed.filter(by_name).values_list(*FIELDS, named=True)[:NAME_POOL_LIMIT]
        rows.update((row.pk, row) for row in found)
    return rows


def _starts(text: str, length: int = 2) -> set[str]:
    """The first letters of each word of a name, in capitals, with and without punctuation
    (O'Brien is stored with its apostrophe, but may be typed without)."""
    starts = set()
    for word in text.replace("-", " ").split():
        for form in (word.upper(), plain(word).replace(" ", "").upper()):
            if len(form) >= length:
                starts.add(form[:length])
    return starts


def _name_starts(named: NamedChild, length: int = 2) -> tuple[set[str], set[str]]:
    """Starts of the surname and of the first name (with the first name's variants)."""
    first = plain(named.first_name).split()
    variants = name_variants().get(first[0], frozenset()) if first else frozenset()
    firsts = _starts(named.first_name, length) | {start for v in variants for start in _starts(v, length)}
    return _starts(named.last_name, length), firsts


def _starting(starts: set[str], field: str) -> Q:
    """`field` (an upper-cased name) starts with one of `starts`: a range, so an index serves it."""
    condition = Q()
    for start in sorted(starts):
        after = start[:-1] + chr(ord(start[-1]) + 1)
        condition |= Q(**{f"{field}__gte": start, f"{field}__lt": after})
    return condition


def _initial(field: str) -> Func:
    """The first letter of a name in capitals, written exactly as people.Person's indexes are."""
    return Func(Upper(field), template="SUBSTR(%(expressions)s, 1, 1)", output_field=CharField())


def _name_condition(named: NamedChild) -> Q:
    """One name's initial and the first two letters of the other as given (a typo is rarely in
    both), or the two swapped: each an equality then a range on one of people.Person's indexes."""
    surnames, firsts = _name_starts(named)
    surname_initials, first_initials = _name_starts(named, 1)
    pairs = {("first_initial", i, "last_upper", start) for i in first_initials for start in surnames}
    pairs |= {("last_initial", i, "first_upper", start) for i in surname_initials for start in firsts}
    condition = Q()
    for initial_field, initial, start_field, start in sorted(pairs):
        condition |= Q(**{initial_field: initial}) & _starting({start}, start_field)
    swapped_surnames, swapped_firsts = _starts(named.first_name), _starts(named.last_name)
    for last in sorted(swapped_surnames):
        for first in sorted(swapped_firsts):
            condition |= Q(first_initial=first[0]) & _starting({last}, "last_upper") & _starting({first}, "first_upper")
    return condition


# --------------------------------------------------------------------------- history


def _year_before[Day: date](day: Day) -> Day:
    """The same day (or time) a year earlier; 28 February for 29 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _count(rows: QuerySet) -> Coalesce:
    """How many of `rows` (already filtered on OuterRef) there are, as a subquery."""
    counted = rows.order_by().values("child").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _histories(pks: list[int], on: date) -> dict[int, tuple[Person, CandidateHistory]]:
    """Each child with their history on `on`: one query, however many children."""
    if not pks:
        return {}
    since = _year_before(on)
    start = timezone.make_aware(datetime.combine(since + timedelta(days=1), time.min))
    end = timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min))
    contacts = Contact.objects.filter(child=OuterRef("pk"), received_at__gte=start, received_at__lt=end)
    referrals = CINEpisode.objects.filter(child=OuterRef("pk"), referral_date__gt=since, referral_date__lte=on)
    running = Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    leads = Allocation.objects.filter(running, child=OuterRef("pk"), role=Allocation.Role.LEAD).order_by("-started_on")
    worker = Concat("worker__first_name", Value(" "), "worker__last_name")
    annotations: dict[str, Any] = {
        **stage_annotations(on),
        "contacts_in_year": _count(contacts),
        "referrals_in_year": _count(referrals),
        "lead_worker": Subquery(leads.annotate(name=worker).values("name")[:1]),
        "lead_team": Subquery(leads.values("team__name")[:1]),
    }
    out = {}
    for child in Person.objects.filter(pk__in=pks).annotate(**annotations):
        stage = stage_from(child)
        out[child.pk] = (
            child,
            CandidateHistory(
                contacts_last_12_months=child.contacts_in_year,
                referrals_last_12_months=child.referrals_in_year,
                open_case=stage in OPEN_STAGES,
                lead_worker=child.lead_worker or "",
                team=child.lead_team or "",
                on_cp_plan=bool(child.open_child_protection),
                looked_after=bool(child.open_looked_after),
                stage=stage,
            ),
        )
    return out


# --------------------------------------------------------------------------- repeat contacts


@dataclass(frozen=True)
class RepeatFlags:
    repeat_contact: bool
    rereferral_risk: bool
    previous_contacts: int
    previous_referrals: int


def repeat_flags(*, child: Person, on: datetime) -> RepeatFlags:
    """Contacts about `child` received in the 12 months before `on`, and CIN referrals dated in
    them (a referral made the same day from an earlier contact counts; one from a contact received
    at or after `on` does not)."""
    contacts = Contact.objects.filter(child=child, received_at__gte=_year_before(on), received_at__lt=on).count()
    day = timezone.localdate(on)
    referrals = (
        CINEpisode.objects.filter(child=child, referral_date__gte=_year_before(day), referral_date__lte=day)
        .exclude(contact__received_at__gte=on)
        .count()
    )
    return RepeatFlags(
        repeat_contact=contacts > 0,
        rereferral_risk=referrals > 0,
        previous_contacts=contacts,
        previous_referrals=referrals,
    )
