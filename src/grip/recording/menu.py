"""What may be recorded on a child's case, offered on the child's record (grip.web.pages.children).

Each recording page is listed once here, with the capability it needs and, where it applies only
at some stages, the stages it applies to; the record offers a user the entries they may use for
that child today. The pages check the same capability themselves (their `access_rule`).
"""

from __future__ import annotations

from dataclasses import dataclass

from grip.access.capabilities import (
    AUTHORISE_AN_ASSESSMENT,
    RECORD_A_CASE_NOTE,
    RECORD_A_CASE_STEP,
    RECORD_A_CIN_PLAN,
    RECORD_A_LOOKED_AFTER_REVIEW,
    RECORD_A_VISIT,
    RECORD_EARLY_HELP,
    RECORD_LOOKED_AFTER_CARE,
    Capability,
)


@dataclass(frozen=True)
class Recordable:
    text: str  # the link: "Record a visit"
    view: str  # the page's URL name; it takes the child's pk
    capability: Capability
    stages: frozenset[str] = frozenset()  # the child's stages it applies to (grip.cases.selectors); empty: any


# Each area adds its pages here, in the order the record lists them.
# An assessment (or a new one) runs on any open CIN episode; a CIN plan is for a child in need.
_OPEN_EPISODE = frozenset({"child_in_need", "child_protection", "looked_after"})
_IN_NEED = frozenset({"child_in_need"})
_LOOKED_AFTER = frozenset({"looked_after"})
# Early help starts for a child with no case open, or as a step down from a child in need's case;
# its steps are recorded while it is open (the child's stage is then early help).
_EARLY_HELP_STARTS = frozenset({"contact", "closed", "no_involvement", "child_in_need"})
_EARLY_HELP = frozenset({"early_help"})
RECORDABLE: tuple[Recordable, ...] = (
    # Visits are made under a plan or regime: a child in need, on a protection plan, looked after,
    # a care leaver (grip.timescales rules cin_visit, cp_visit, looked_after_visit, care_leaver_visit).
    Recordable(
        "Record a visit",
        "recording:visit-new",
        RECORD_A_VISIT,
        frozenset({"child_in_need", "child_protection", "looked_after", "care_leaver"}),
    ),
    Recordable("Add a case note", "recording:case-note-new", RECORD_A_CASE_NOTE),
    Recordable("Complete the assessment", "recording:assessment-complete", RECORD_A_CASE_STEP, _OPEN_EPISODE),
    Recordable("Authorise the assessment", "recording:assessment-authorise", AUTHORISE_AN_ASSESSMENT, _OPEN_EPISODE),
    Recordable("Child in need plan and reviews", "recording:cin-plan", RECORD_A_CIN_PLAN, _IN_NEED),
    Recordable("Record a looked-after review", "recording:care-review", RECORD_A_LOOKED_AFTER_REVIEW, _LOOKED_AFTER),
    Recordable("Record a change of placement", "recording:care-placement", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable("Record a health assessment", "recording:care-health", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable("Record a personal education plan", "recording:care-education", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable("Record a child missing or back", "recording:care-missing", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable("Record a return interview", "recording:care-return-interview", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable("Start early help", "recording:early-help", RECORD_EARLY_HELP, _EARLY_HELP_STARTS),
    Recordable("Early help: the plan so far", "recording:early-help", RECORD_EARLY_HELP, _EARLY_HELP),
    Recordable("Record the early help assessment", "recording:early-help-assessment", RECORD_EARLY_HELP, _EARLY_HELP),
    Recordable(
        "Record a team around the family meeting", "recording:early-help-meeting", RECORD_EARLY_HELP, _EARLY_HELP
    ),
    Recordable("Record an early help plan review", "recording:early-help-review", RECORD_EARLY_HELP, _EARLY_HELP),
    Recordable("Close early help", "recording:early-help-close", RECORD_EARLY_HELP, _EARLY_HELP),
    Recordable("Step up to children’s social care", "recording:early-help-step-up", RECORD_EARLY_HELP, _EARLY_HELP),
)


def offered(user, *, stage: str) -> list[Recordable]:
    """The entries this user may use on a child at `stage`."""
    return [r for r in RECORDABLE if r.capability.held_by(user) and (not r.stages or stage in r.stages)]
