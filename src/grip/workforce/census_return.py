"""The Children's social work workforce census return for a collection year, as the XML DfE collects
(the schema in grip/reference/workforce/csww_2022.xsd), produced from the live record.

The return reads the same records as the census measures (grip.workforce.census.WorkforceRecords),
so its figures are the measures' figures:

- LALevelVacancies: vacant social worker FTE on the census day (NumberOfVacancies), agency FTE
  (NoAgencyFTE) and agency headcount (NoAgencyHeadcount) in post on the census day;
- one CSWWWorker per social worker in the year: everyone in post on the census day (the authority's
  own and agency workers), and the authority's own starters and leavers in the year to it. Each is
  described by their terms on the census day, or on their last day in post if they left:
  AgencyWorker, SWENo (Social Work England number), FTE, QualInst, OrgRole, RoleStartDate (own
  workers), StartOrigin (starters), RoleEndDate (the leaving date) and ReasonLeave (leavers), FTE30
  and Cases30 (case holders on the census day, the caseload measure's people), WorkingDaysLost
  (sickness in the year, as the absence measure counts it), ContractWeeks (agency workers: weeks in
  post in the year), Absat30Sept and ReasonAbsence (own workers in post on the census day) and
  CFKSSstatus (in the ASYE then).

A worker with no Social Work England number recorded cannot be returned (SWENo is required): they
are left out and named in `left_out`, for HR to put right before the return is sent.

`write_return` writes the file atomically (a temporary file in the same folder, renamed over the
target only when complete) and records in the audit log which workers it contains.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from django.db import transaction

from grip.audit import services as audit
from grip.core.codelists import codelist
from grip.core.reference import named_source, read_reference, reference_file
from grip.workforce.census import RULES_FILE, CensusConfigError, WorkforceRecords, census_rules
from grip.workforce.establishment import Asye, Registration
from grip.workforce.models import Absence, Worker

Progress = Callable[[float], None]
CHUNK = 64 * 1024
TWO_PLACES, SIX_PLACES, ONE_PLACE = Decimal("0.01"), Decimal("0.000001"), Decimal("0.1")
DAYS_IN_WEEK = Decimal(7)


class CensusReturnError(ValueError):
    """The return cannot be made or is not valid against the schema; the message says why."""


@dataclass(frozen=True)
class ReturnRules:
    schema: Path
    software_code: str
    org_role: dict[str, str]
    reason_absence: dict[str, str]
    asye_status: str
    qualification_unrecorded: str
    swe_digits: int


def _mapping(section: dict, name: str, list_name: str) -> dict[str, str]:
    value = section.get(name)
    if not isinstance(value, dict) or not value:
        raise CensusConfigError(f"return.{name}: a table of {list_name} codes is needed")
    known = codelist(list_name)
    for code, written in value.items():
        if code not in known or not isinstance(written, str) or not written:
            raise CensusConfigError(
                f"return.{name}: {code!r} = {written!r} is not a {list_name} code and its census code"
            )
    return dict(value)


def load_return_rules(path: Path = RULES_FILE) -> ReturnRules:
    raw = read_reference(path, error=CensusConfigError)
    section = raw.get("return")
    if not isinstance(section, dict):
        raise CensusConfigError("return: missing, or not a table")
    named_source(section, key="return", path=path, error=CensusConfigError)
    schema = reference_file(str(section.get("schema", "")))
    if not schema.is_file():
        raise CensusConfigError(f"return.schema: no schema file {section.get('schema')!r} under grip/reference")
    texts = {}
    for name in ("software_code", "asye_status", "qualification_institution_not_recorded"):
        if not isinstance(section.get(name), str) or not section[name]:
            raise CensusConfigError(f"return.{name}: some text is needed")
        texts[name] = section[name]
    digits = section.get("swe_digits")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 12:
        raise CensusConfigError(f"return.swe_digits: a whole number from 1 to 12, not {digits!r}")
    return ReturnRules(
        schema=schema,
        software_code=texts["software_code"],
        org_role=_mapping(section, "org_role", "worker_role"),
        reason_absence=_mapping(section, "reason_absence", "absence_type"),
        asye_status=texts["asye_status"],
        qualification_unrecorded=texts["qualification_institution_not_recorded"],
        swe_digits=digits,
    )


@cache
def return_rules() -> ReturnRules:
    return load_return_rules()


@cache
def _schema(path: Path):
    import xmlschema  # imported when first needed: only the return uses it

    return xmlschema.XMLSchema(str(path))


def validate(xml: bytes, rules: ReturnRules | None = None) -> None:
    """Raise CensusReturnError listing the first problems if `xml` is not valid against the schema."""
    schema = _schema((rules or return_rules()).schema)
    problems = [f"{error.path}: {error.reason}" for error in schema.iter_errors(xml.decode("utf-8"))]
    if problems:
        raise CensusReturnError("The return is not valid against the census schema: " + "; ".join(problems[:5]))


@dataclass(frozen=True)
class CensusReturn:
    year: int
    on: date
    xml: bytes
    worker_ids: tuple[int, ...]  # the workers the return describes, one record each
    left_out: tuple[tuple[int, str, str], ...]  # (worker id, name, why) of those who could not be returned


def _two(value: Decimal) -> str:
    return str(value.quantize(TWO_PLACES, ROUND_HALF_UP))


def _fte(value: Decimal) -> str:
    return str(value.quantize(SIX_PLACES, ROUND_HALF_UP))


def _sub(parent: ET.Element, tag: str, text: Any) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = str(text)
    return element


def _swe_number(number: str, digits: int) -> str:
    letters, rest = number[:2], number[2:]
    return f"{letters}{rest.zfill(digits)}"


def build_return(
    year: int,
    *,
    la_code: str,
    made_at: datetime | None = None,
    records: WorkforceRecords | None = None,
    progress: Progress | None = None,
) -> CensusReturn:
    """The census return of collection year `year` (as at its census day), validated against the schema."""
    rules = return_rules()
    records = records or WorkforceRecords.load()
    day = census_rules().census_date(year)
    census = records.census_on(day)
    year_from = census.year_from
    in_post = {person.pk: terms for person, terms in records.social_workers_on(day)}
    returned: dict[int, date] = {pk: day for pk in in_post}  # worker -> the day they are described as at
    for pk, person in records.people.items():
        if pk in returned:
            continue
        left_in_year = person.left_on is not None and year_from <= person.left_on <= day
        last_day = person.left_on - timedelta(days=1) if left_in_year else day
        terms = records.social_worker_on(pk, last_day)
        started_in_year = year_from <= person.started_on <= day
        if terms is not None and not records.agency(terms) and (left_in_year or started_in_year):
            returned[pk] = last_day
    numbers = dict(Registration.objects.filter(worker__in=list(returned)).values_list("worker_id", "swe_number"))
    coded = {
        pk: (origin, reason)
        for pk, origin, reason in Worker.objects.filter(pk__in=list(returned)).values_list(
            "pk", "start_origin", "leaving_reason"
        )
    }
    asye = {a.worker_id: a for a in Asye.objects.filter(worker__in=list(returned))}
    away = {
        a.worker_id: a.absence_type
        for a in Absence.objects.filter(worker__in=list(in_post), started_on__lte=day).order_by("started_on")
        if a.ended_on is None or a.ended_on >= day
    }
    lost = {c.worker_id: c.amount for c in census["days_lost"].counted}
    cases = {c.worker_id: c for c in census["caseload"].counted}

    message = ET.Element("Message")
    header = ET.SubElement(message, "Header")
    details = ET.SubElement(header, "CollectionDetails")
    _sub(details, "Collection", "CSWW")
    _sub(details, "Year", year)
    _sub(details, "ReferenceDate", day.isoformat())
    source = ET.SubElement(header, "Source")
    _sub(source, "SourceLevel", "L")
    _sub(source, "LEA", la_code)
    _sub(source, "SoftwareCode", rules.software_code)
    _sub(source, "DateTime", (made_at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    vacancies = ET.SubElement(message, "LALevelVacancies")
    _sub(vacancies, "NumberOfVacancies", _two(census["vacancies"].value))
    _sub(vacancies, "NoAgencyFTE", _two(census["agency_fte"].value))
    _sub(vacancies, "NoAgencyHeadcount", len(census["agency_fte"].counted))

    order = sorted(returned, key=lambda pk: (records.people[pk].name, pk))
    written, left_out = [], []
    for index, pk in enumerate(order, start=1):
        person = records.people[pk]
        if pk not in numbers:
            left_out.append((pk, person.name, "no Social Work England number recorded"))
            continue
        as_at = returned[pk]
        terms = records.social_worker_on(pk, as_at)
        agency = records.agency(terms)
        record = ET.SubElement(message, "CSWWWorker")
        _sub(record, "AgencyWorker", "1" if agency else "0")
        _sub(record, "SWENo", _swe_number(numbers[pk], rules.swe_digits))
        _sub(record, "FTE", _fte(terms.fte))
        _sub(record, "QualInst", rules.qualification_unrecorded)
        if terms.role in rules.org_role:
            _sub(record, "OrgRole", rules.org_role[terms.role])
        if not agency:
            _sub(record, "RoleStartDate", person.started_on.isoformat())
            origin = coded[pk][0]
            if year_from <= person.started_on <= day and origin:
                _sub(record, "StartOrigin", origin)
        if as_at != day:  # a leaver in the year
            _sub(record, "RoleEndDate", person.left_on.isoformat())
            if coded[pk][1]:
                _sub(record, "ReasonLeave", coded[pk][1])
        if pk in cases:
            _sub(record, "FTE30", _fte(cases[pk].fte))
            _sub(record, "Cases30", int(cases[pk].amount))
        if not agency:
            _sub(record, "WorkingDaysLost", _two(lost.get(pk, Decimal(0))))
        else:
            first = max(person.started_on, year_from)
            _sub(record, "ContractWeeks", str((Decimal((day - first).days + 1) / DAYS_IN_WEEK).quantize(ONE_PLACE)))
        if not agency and as_at == day:
            _sub(record, "Absat30Sept", "1" if pk in away else "0")
            if pk in away and away[pk] in rules.reason_absence:
                _sub(record, "ReasonAbsence", rules.reason_absence[away[pk]])
        course = asye.get(pk)
        if course and course.started_on <= as_at and (course.completed_on is None or course.completed_on > as_at):
            _sub(record, "CFKSSstatus", rules.asye_status)
        written.append(pk)
        if progress:
            progress(index / len(order))
    if not written:
        raise CensusReturnError(f"There is no social worker to return for {year}: the census needs at least one.")
    ET.indent(message)
    xml = ET.tostring(message, encoding="utf-8", xml_declaration=True) + b"\n"
    validate(xml, rules)
    return CensusReturn(year, day, xml, tuple(sorted(written)), tuple(left_out))


def _chunks(xml: bytes) -> Iterator[bytes]:
    for start in range(0, len(xml), CHUNK):
        yield xml[start : start + CHUNK]


def record_return(result: CensusReturn, *, file: str, actor: Any = None, request: Any = None) -> None:
    """The audit entry of a return made: its year, the file, and the workers it names (and those left out)."""
    audit.record(
        actor=actor,
        verb="workforce_census_returned",
        payload={
            "year": result.year,
            "census_date": result.on.isoformat(),
            "file": file,
            "workers": list(result.worker_ids),
            "worker_count": len(result.worker_ids),
            "left_out": [pk for pk, _name, _why in result.left_out],
        },
        request=request,
    )


def chunks(result: CensusReturn) -> Iterator[bytes]:
    """The XML in pieces, for a streamed download."""
    return _chunks(result.xml)


def write_return(result: CensusReturn, path: Path | str, *, actor: Any = None, request: Any = None) -> Path:
    """Write `result` to `path` whole or not at all, and record in the audit log which workers it names.

    The XML goes to a temporary file in the same folder (so the rename cannot cross file systems),
    is flushed to disk, then renamed over `path` inside the transaction that writes the audit entry:
    a failure at any step removes the temporary file and leaves `path` as it was."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in _chunks(result.xml):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        with transaction.atomic():
            record_return(result, file=path.name, actor=actor, request=request)
            os.replace(temporary, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return path
