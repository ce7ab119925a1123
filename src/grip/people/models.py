"""People: children known to children's social care and the adults and siblings around them.

Identifiers and characteristics are named and coded as the CIN census (ChildIdentifiers,
ChildCharacteristics) and SSDA903 Header module name them.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from simple_history.models import HistoricalRecords

from grip.core.fields import RecordedModel, coded_field, dates_in_order, in_codelist, validate_code_list

NO_DISABILITY = "NONE"  # CIN census Disability code for "no disability" (an empty list: not yet recorded)
# CIN census validation rule 8790 (csc-validator-be-cin cin2025_26, shared/peer-data/csc-validator-be-cin/derived).
NONE_WITH_OTHERS = "“No disability” (NONE) cannot be recorded with a disability (CIN rule 8790)."
UPN_PATTERN = re.compile(r"^[A-Z][0-9]{12}$|^[A-Z][0-9]{11}[A-Z]$")  # CIN census UPN format


def nhs_number_is_valid(value: str) -> bool:
    """Modulus 11 check digit, as the NHS Data Dictionary defines it."""
    if not re.fullmatch(r"[0-9]{10}", value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(value[9])


class Person(RecordedModel):
    """A child (has an LA child ID) or an adult in a child's family network."""

    la_child_id = models.CharField(
        "LA child ID",
        max_length=15,
        unique=True,
        null=True,
        blank=True,
        help_text="CIN census LAchildID / SSDA903 CHILD: the authority's own identifier.",
    )
    upn = models.CharField("UPN", max_length=13, blank=True, db_index=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, db_index=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="For an unborn child (CIN ExpectedPersonBirthDate)."
    )
    sex = coded_field("sex", blank=True)
    ethnicity = coded_field("ethnicity", blank=True)
    # CIN census Disabilities: NONE records "no disability"; an empty list means not yet recorded
    # (the two are different facts, and only the first is an answer the census accepts).
    disabilities = models.JSONField(
        default=list, blank=True, help_text="CIN Disability codes: NONE for no disability; empty until recorded."
    )
    address = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    date_of_death = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name", "date_of_birth"]),
            # Front door matching (grip.frontdoor.matching): candidates by date of birth, expected
            # date of birth, and one name's initial with the start of the other, whatever the case
            # (an equality then a range, so that every database plans them the same way).
            models.Index(fields=["date_of_birth"], name="people_person_dob_idx"),
            models.Index(fields=["expected_date_of_birth"], name="people_person_edd_idx"),
            models.Index(
                models.Func(
                    Upper("first_name"), template="SUBSTR(%(expressions)s, 1, 1)", output_field=models.CharField()
                ),
                Upper("last_name"),
                name="people_first_initial_idx",
            ),
            models.Index(
                models.Func(
                    Upper("last_name"), template="SUBSTR(%(expressions)s, 1, 1)", output_field=models.CharField()
                ),
                Upper("first_name"),
                name="people_last_initial_idx",
            ),
        ]
        constraints = [
            in_codelist("sex", "sex", blank=True),
            in_codelist("ethnicity", "ethnicity", blank=True),
            models.CheckConstraint(
                condition=Q(la_child_id__isnull=True)
                | Q(date_of_birth__isnull=False)
                | Q(expected_date_of_birth__isnull=False),
                name="people_child_has_birth_or_expected_date",
                violation_error_message="A child needs a date of birth or, if unborn, an expected date of birth.",
            ),
            dates_in_order("date_of_birth", "date_of_death", "Date of death cannot be before date of birth."),
            models.CheckConstraint(
                condition=~Q(la_child_id=""),
                name="people_la_child_id_not_blank",
                violation_error_message="An LA child ID cannot be blank: leave it empty for an adult.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_child_record(self) -> bool:
        return bool(self.la_child_id)

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None

    def age_on(self, on: date) -> int | None:
        if self.date_of_birth is None or on < self.date_of_birth:
            return None
        dob = self.date_of_birth
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.upn and not UPN_PATTERN.match(self.upn):
            errors["upn"] = "UPN must be a letter then 12 digits, or a letter, 11 digits and a letter."
        if self.nhs_number and not nhs_number_is_valid(self.nhs_number):
            errors["nhs_number"] = "NHS number must be 10 digits with a valid check digit."
        if errors:
            raise ValidationError(errors)
        validate_code_list(self.disabilities, "disability", "disabilities")
        if NO_DISABILITY in self.disabilities and len(self.disabilities) > 1:
            raise ValidationError({"disabilities": NONE_WITH_OTHERS})


class Relationship(RecordedModel):
    """`relative` is the `relationship_type` of `person` (e.g. relative is person's parent)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships")
    relative = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="related_to")
    relationship_type = coded_field("relationship_type", max_length=20)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            in_codelist("relationship_type", "relationship_type"),
            models.CheckConstraint(
                condition=~Q(person=models.F("relative")),
                name="people_relationship_not_to_self",
                violation_error_message="A person cannot be related to themselves.",
            ),
            models.UniqueConstraint(
                fields=["person", "relative", "relationship_type"],
                name="people_relationship_once",
                violation_error_message="This relationship is already recorded.",
            ),
            dates_in_order("started_on", "ended_on", "A relationship cannot end before it starts."),
        ]

    def __str__(self) -> str:
        return f"{self.relative} is {self.get_relationship_type_display()} of {self.person}"
