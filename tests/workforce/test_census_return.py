"""The workforce census return for collection year 2025 (census day 30 September 2025, the year from
1 October 2024), worked BY HAND on a small authority of five social workers in one team:

    worker  role  contract   FTE  started     left (leaving day)          SWE number
    Ann     SW    permanent  0.6  2020-01-06                              SW123456
    Bob     SSW   permanent  1.0  2019-05-01  2025-06-30 (1 Resignation)  SW42
    Cat     ASYE  permanent  0.8  2024-11-04  (origin 1 newly qualified)  SW777
    Dan     SW    agency     1.0  2024-06-03                              SW9
    Eve     SW    permanent  1.0  2022-02-01                              (none: cannot be returned)

    Ann holds 2 cases, was sick Mon 1 - Tue 2 Sep 2025 and is on annual leave 29 Sep - 3 Oct 2025.
    Cat is in her ASYE from 2024-11-04 (not completed), long-term sick Mon 6 - Fri 31 Jan 2025.
    Dan holds 1 case.

    posts: P1 SW 1.0 funded from 2020, nobody in it; P2 SW 1.0 covered by Dan (agency) from 2024-06-03;
    P3 SW 1.0 Ann permanent.

By hand:
- NumberOfVacancies: P1 and P2 (agency cover is still a vacancy) = 2.00; NoAgencyFTE = Dan 1.00;
  NoAgencyHeadcount = 1.
- Records: Ann, Cat, Dan and Eve are in post on 30 Sept; Bob left in the year. Eve has no SWE number,
  so four records (Ann, Bob, Cat, Dan), Eve named as left out.
- SWENo: SW and ten digits: SW0000123456, SW0000000042, SW0000000777, SW0000000009.
- OrgRole: SW 5, SSW 4, ASYE 5.
- WorkingDaysLost (sickness, working days x FTE): Ann 2 x 0.6 = 1.20; Bob 0.00;
  Cat 6-31 Jan 2025 is 4 weeks of weekdays = 20 days x 0.8 = 16.00.
- Cases30 / FTE30: Ann 2 / 0.600000, Dan 1 / 1.000000; Cat holds none.
- ContractWeeks (Dan, agency): in post all the year, 1 Oct 2024 - 30 Sep 2025 = 365 days / 7 = 52.14 -> 52.1.
- Absat30Sept: Ann 1 (annual leave -> ReasonAbsence OTH), Cat 0; Bob has left (not asked); Dan is agency.
- CFKSSstatus 1: Cat (in her ASYE on 30 Sept).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from grip.access.models import RoleGrant
from grip.access.roles import Role
from grip.audit.models import AuditEntry
from grip.workforce import census_return
from grip.workforce.census import census_for_year
from grip.workforce.census_return import CensusReturnError, build_return, validate, write_return
from grip.workforce.models import Absence, Asye, Post, PostFilling, Registration
from tests.cases.factories import AllocationFactory, CINEpisodeFactory, ServiceAreaFactory, TeamFactory, WorkerFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def workers() -> dict:
    team = TeamFactory(name="Return team", service_area=ServiceAreaFactory(name="Return area"))

    def worker(name, role, started, fte="1.00", contract="PERMANENT", left=None, reason="", origin=""):
        return WorkerFactory(
            first_name=name,
            last_name="Return",
            role=role,
            team=team,
            fte=D(fte),
            employment_type=contract,
            started_on=started,
            left_on=left,
            leaving_reason=reason,
            start_origin=origin,
        )

    w = {
        "ann": worker("Ann", "SW", date(2020, 1, 6), fte="0.60"),
        "bob": worker("Bob", "SSW", date(2019, 5, 1), left=date(2025, 6, 30), reason="1"),
        "cat": worker("Cat", "ASYE", date(2024, 11, 4), fte="0.80", origin="1"),
        "dan": worker("Dan", "SW", date(2024, 6, 3), contract="AGENCY"),
        "eve": worker("Eve", "SW", date(2022, 2, 1)),
    }
    for who, number in [("ann", "SW123456"), ("bob", "SW42"), ("cat", "SW777"), ("dan", "SW9")]:
        Registration.objects.create(worker=w[who], swe_number=number, renewal_due_on=date(2026, 11, 30))
    Asye.objects.create(worker=w["cat"], started_on=date(2024, 11, 4))
    funded = date(2020, 1, 1)
    Post.objects.create(team=team, role="SW", fte=D("1.00"), started_on=funded)
    covered = Post.objects.create(team=team, role="SW", fte=D("1.00"), started_on=funded)
    PostFilling.objects.create(post=covered, worker=w["dan"], basis="AGENCY", started_on=date(2024, 6, 3))
    own = Post.objects.create(team=team, role="SW", fte=D("0.60"), started_on=funded)
    PostFilling.objects.create(post=own, worker=w["ann"], basis="PERMANENT", started_on=date(2020, 1, 6))
    for who, kind, first, last in [
        ("ann", "SICKNESS", date(2025, 9, 1), date(2025, 9, 2)),
        ("ann", "ANNUAL_LEAVE", date(2025, 9, 29), date(2025, 10, 3)),
        ("cat", "LONG_TERM_SICKNESS", date(2025, 1, 6), date(2025, 1, 31)),
    ]:
        Absence.objects.create(worker=w[who], absence_type=kind, started_on=first, ended_on=last)
    for who, n in [("ann", 2), ("dan", 1)]:
        for _ in range(n):
            episode = CINEpisodeFactory(referral_date=date(2024, 1, 2))
            AllocationFactory(child=episode.child, worker=w[who], team=team, started_on=date(2024, 7, 1))
    return w


def _records(xml: bytes) -> dict[str, dict[str, str]]:
    """Each CSWWWorker's items by SWE number, in the order written."""
    root = ET.fromstring(xml)
    found = {}
    for record in root.findall("CSWWWorker"):
        items = {child.tag: child.text for child in record}
        found[items["SWENo"]] = items
    return found


def test_the_return_is_valid_and_says_what_was_worked_by_hand(workers):
    result = build_return(2025, la_code="999")
    validate(result.xml)  # and build_return validated it too
    root = ET.fromstring(result.xml)
    assert root.findtext("Header/CollectionDetails/Collection") == "CSWW"
    assert root.findtext("Header/CollectionDetails/Year") == "2025"
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2025-09-30"
    assert root.findtext("Header/Source/LEA") == "999"
    assert root.findtext("LALevelVacancies/NumberOfVacancies") == "2.00"
    assert root.findtext("LALevelVacancies/NoAgencyFTE") == "1.00"
    assert root.findtext("LALevelVacancies/NoAgencyHeadcount") == "1"
    qual = "Not recorded"
    assert _records(result.xml) == {
        "SW0000123456": {
            "AgencyWorker": "0",
            "SWENo": "SW0000123456",
            "FTE": "0.600000",
            "QualInst": qual,
            "OrgRole": "5",
            "RoleStartDate": "2020-01-06",
            "FTE30": "0.600000",
            "Cases30": "2",
            "WorkingDaysLost": "1.20",
            "Absat30Sept": "1",
            "ReasonAbsence": "OTH",
        },
        "SW0000000042": {
            "AgencyWorker": "0",
            "SWENo": "SW0000000042",
            "FTE": "1.000000",
            "QualInst": qual,
            "OrgRole": "4",
            "RoleStartDate": "2019-05-01",
            "RoleEndDate": "2025-06-30",
            "ReasonLeave": "1",
            "WorkingDaysLost": "0.00",
        },
        "SW0000000777": {
            "AgencyWorker": "0",
            "SWENo": "SW0000000777",
            "FTE": "0.800000",
            "QualInst": qual,
            "OrgRole": "5",
            "RoleStartDate": "2024-11-04",
            "StartOrigin": "1",
            "WorkingDaysLost": "16.00",
            "Absat30Sept": "0",
            "CFKSSstatus": "1",
        },
        "SW0000000009": {
            "AgencyWorker": "1",
            "SWENo": "SW0000000009",
            "FTE": "1.000000",
            "QualInst": qual,
            "OrgRole": "5",
            "FTE30": "1.000000",
            "Cases30": "1",
            "ContractWeeks": "52.1",
        },
    }
    names = {pk: name for pk, name, _why in result.left_out}
    assert names == {workers["eve"].pk: "Eve Return"}
    assert list(result.worker_ids) == sorted(workers[w].pk for w in ("ann", "bob", "cat", "dan"))


def test_xml_against_the_schema_is_refused_when_it_breaks_it():
    with pytest.raises(CensusReturnError, match="not valid against the census schema"):
        validate(b"<Message><LALevelVacancies/></Message>")


def test_a_year_with_no_social_worker_cannot_be_returned():
    with pytest.raises(CensusReturnError, match="no social worker to return"):
        build_return(2025, la_code="999")


def test_the_audit_entry_names_the_workers_in_the_return(workers, tmp_path):
    result = build_return(2025, la_code="999")
    target = write_return(result, tmp_path / "csww.xml")
    assert target.read_bytes() == result.xml
    entry = AuditEntry.objects.filter(verb="workforce_census_returned").get()
    assert entry.payload["workers"] == sorted(workers[w].pk for w in ("ann", "bob", "cat", "dan"))
    assert entry.payload["left_out"] == [workers["eve"].pk]
    assert entry.payload["year"] == 2025 and entry.payload["file"] == "csww.xml"


def test_a_failure_mid_write_leaves_no_file_and_no_audit_entry(workers, tmp_path, monkeypatch):
    result = build_return(2025, la_code="999")
    earlier = tmp_path / "csww.xml"
    earlier.write_bytes(b"last year's return")

    def broken(xml: bytes):
        yield xml[:100]
        raise OSError("disk full")

    monkeypatch.setattr(census_return, "_chunks", broken)
    with pytest.raises(OSError, match="disk full"):
        write_return(result, earlier)
    assert earlier.read_bytes() == b"last year's return"  # the old file is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csww.xml"]  # no half-written file left
    assert not AuditEntry.objects.filter(verb="workforce_census_returned").exists()

    fresh = tmp_path / "new.xml"
    monkeypatch.setattr(census_return, "_chunks", broken)
    with pytest.raises(OSError):
        write_return(result, fresh)
    assert not fresh.exists()


def test_a_failed_audit_leaves_no_file(workers, tmp_path, monkeypatch):
    result = build_return(2025, la_code="999")

    def refuse(**_kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(census_return.audit, "record", refuse)
    with pytest.raises(RuntimeError):
        write_return(result, tmp_path / "csww.xml")
    assert list(tmp_path.iterdir()) == []


def test_the_command_writes_a_valid_return(workers, tmp_path, settings):
    settings.GRIP_AUTHORITY_LA_CODE = "330"
    out: Path = tmp_path / "csww-2025.xml"
    call_command("workforce_census", "--year", "2025", "--out", str(out))
    xml = out.read_bytes()
    validate(xml)
    assert ET.fromstring(xml).findtext("Header/Source/LEA") == "330"
    assert len(_records(xml)) == 4
    assert AuditEntry.objects.filter(verb="workforce_census_returned").count() == 1


# --- the download page: the performance officer and the director ----------------------------------


def _signed_in(client, role):
    user = get_user_model().objects.create_user(username=f"census-{role}")
    RoleGrant.objects.create(user=user, role=role)
    client.force_login(user)
    return user


@time_machine.travel(datetime(2025, 10, 15, 9, 0, tzinfo=UTC))
def test_the_performance_officer_downloads_the_return_streamed_and_audited(workers, client):
    user = _signed_in(client, Role.PERFORMANCE_OFFICER)
    page = client.get(reverse("workforce:census_return"))
    assert page.status_code == 200
    # The census day of 2025 (30 September) has passed on 15 October 2025: 2025, 2024 and 2023 offered.
    assert [f"?year={y}" in page.content.decode() for y in (2025, 2024, 2023, 2026)] == [True, True, True, False]

    response = client.get(reverse("workforce:census_return"), {"year": "2025"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="csww-2025.xml"'
    xml = b"".join(response.streaming_content)
    validate(xml)
    assert len(_records(xml)) == 4
    entry = AuditEntry.objects.filter(verb="workforce_census_returned").get()
    assert entry.actor == user
    assert entry.payload["workers"] == sorted(workers[w].pk for w in ("ann", "bob", "cat", "dan"))


@time_machine.travel(datetime(2025, 10, 15, 9, 0, tzinfo=UTC))
def test_a_year_not_offered_is_not_found(workers, client):
    _signed_in(client, Role.DIRECTOR)
    assert client.get(reverse("workforce:census_return"), {"year": "2026"}).status_code == 404
    assert client.get(reverse("workforce:census_return"), {"year": "twenty"}).status_code == 404
    assert not AuditEntry.objects.filter(verb="workforce_census_returned").exists()


@pytest.mark.django_db(transaction=True)
def test_the_seeded_authority_gives_a_valid_return_that_agrees_with_the_census_measures(tmp_path):
    """The demo authority (as scripts/start seeds it, small profile) makes a valid 2025 return, and
    its authority-level figures are the census measures' own for 30 September 2025."""
    call_command("seed", "--profile", "small", "--seed", "5", "--end-date", "2026-03-31")
    out = tmp_path / "csww.xml"
    call_command("workforce_census", "--year", "2025", "--out", str(out))
    xml = out.read_bytes()
    validate(xml)
    census = census_for_year(2025)
    root = ET.fromstring(xml)
    assert D(root.findtext("LALevelVacancies/NumberOfVacancies")) == census["vacancies"].value
    assert D(root.findtext("LALevelVacancies/NoAgencyFTE")) == census["agency_fte"].value
    assert int(root.findtext("LALevelVacancies/NoAgencyHeadcount")) == len(census["agency_fte"].counted)
    records = root.findall("CSWWWorker")
    in_post_own = [r for r in records if r.findtext("AgencyWorker") == "0" and r.find("Absat30Sept") is not None]
    assert len(in_post_own) == census["headcount"].value  # every own social worker in post has a record
    leavers = [r for r in records if r.find("RoleEndDate") is not None]
    assert len(leavers) == len(census["leavers"].counted)
