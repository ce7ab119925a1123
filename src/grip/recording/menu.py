"""What may be recorded on a child's case, offered on the child's record (grip.web.pages.children).

Each recording page is listed once here, with the capability it needs and, where it applies only
at some stages, the stages it applies to; the record offers a user the entries they may use for
that child today. The pages check the same capability themselves (their `access_rule`).
"""

from __future__ import annotations

from dataclasses import dataclass

from grip.access.capabilities import (
    ASSIGN_AN_IRO,
    AUTHORISE_AN_ASSESSMENT,
    CLOSE_A_CASE,
    RECORD_A_CASE_NOTE,
    RECORD_A_CASE_STEP,
    RECORD_A_CHILD_PROTECTION_CONFERENCE,
    RECORD_A_CIN_PLAN,
    RECORD_A_LOOKED_AFTER_REVIEW,
    RECORD_A_VISIT,
    RECORD_CHILD_PROTECTION,
    RECORD_EARLY_HELP,
    RECORD_LEAVING_CARE,
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
_ON_A_PLAN = frozenset({"child_protection"})  # a child protection plan's reviews and core groups
_CARE_LEAVER = frozenset({"care_leaver"})
# The needs assessment is of an eligible child, still looked after (CPPCR 2010 reg 42); one recorded
# late may be recorded once they are a care leaver.
_ELIGIBLE_OR_LEAVER = frozenset({"looked_after", "care_leaver"})
# A child may come into care from any stage with an open case (a care leaver under 18 may return).
_MAY_COME_INTO_CARE = frozenset({"child_in_need", "child_protection", "care_leaver"})
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
    # A section 47 enquiry runs on any open case (a child already on a plan or looked after too).
    Recordable(
        "Record a section 47 enquiry’s outcome",
        "recording:protection-section47-outcome",
        RECORD_CHILD_PROTECTION,
        _OPEN_EPISODE,
    ),
    Recordable(
        "Record an initial child protection conference",
        "recording:protection-initial-conference",
        RECORD_A_CHILD_PROTECTION_CONFERENCE,
        _OPEN_EPISODE,
    ),
    Recordable(
        "Record a review child protection conference",
        "recording:protection-review-conference",
        RECORD_A_CHILD_PROTECTION_CONFERENCE,
        _ON_A_PLAN,
    ),
    Recordable("Record a core group meeting", "recording:protection-core-group", RECORD_CHILD_PROTECTION, _ON_A_PLAN),
    Recordable(
        "Record the child becoming looked after", "recording:care-start", RECORD_LOOKED_AFTER_CARE, _MAY_COME_INTO_CARE
    ),
    Recordable("Assign or change the IRO", "recording:care-iro", ASSIGN_AN_IRO, _LOOKED_AFTER),
    Recordable(
        "Record a change of legal status", "recording:care-legal-status", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER
    ),
    Recordable("Record a care plan", "recording:care-plan", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable("Record a placement plan", "recording:care-placement-plan", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable("Record a looked-after review", "recording:care-review", RECORD_A_LOOKED_AFTER_REVIEW, _LOOKED_AFTER),
    Recordable("Record a change of placement", "recording:care-placement", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable("Record a health assessment", "recording:care-health", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable("Record a personal education plan", "recording:care-education", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable("Record a child missing or back", "recording:care-missing", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable("Record a return interview", "recording:care-return-interview", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable(
        "Record a contact with a care leaver", "recording:leaving-care-contact", RECORD_LEAVING_CARE, _CARE_LEAVER
    ),
    Recordable(
        "Record a needs assessment (pathway plan)",
        "recording:leaving-care-needs-assessment",
        RECORD_LEAVING_CARE,
        _ELIGIBLE_OR_LEAVER,
    ),
    Recordable("Pathway plan and reviews", "recording:leaving-care-pathway-plan", RECORD_LEAVING_CARE, _CARE_LEAVER),
    Recordable("End care leaver support", "recording:leaving-care-end", RECORD_LEAVING_CARE, _CARE_LEAVER),
    # A case on a child protection plan or looked after stays open (grip.cases.services.closure).
    Recordable("Close the case", "recording:case-close", CLOSE_A_CASE, _IN_NEED),
    Recordable("Record the end of care", "recording:care-end", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
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
