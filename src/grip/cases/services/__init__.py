"""The write side of cases: every change to a child's case goes through a service here.

Each service is keyword-only, runs in one transaction, locks the row two people could change at
once, checks the request against the record (plain-English `ValidationError`s naming the field),
and writes its audit entry inside the same transaction. One module per part of the journey; this
package hands their services on under one name (`from grip.cases import services`).
"""

from .assessments import NO_FACTORS, assessment_authorise, assessment_submit
from .care import (
    education_plan_record,
    health_assessment_record,
    looked_after_review_hold,
    placement_change,
)
from .closure import CLOSED_AFTER_ASSESSMENT, case_close
from .early_help import (
    FROM_EARLY_HELP,
    early_help_assessment_complete,
    early_help_assessment_start,
    early_help_close,
    early_help_from_contact,
    early_help_start,
    early_help_step_up,
    taf_meeting_record,
)
from .leaving_care import (
    care_leaver_contact_record,
    care_leaver_support_end,
    pathway_needs_assessment_record,
    pathway_plan_record,
    pathway_plan_review_record,
)
from .looked_after import (
    care_plan_record,
    iro_assign,
    legal_status_change,
    looked_after_cease,
    looked_after_start,
    placement_plan_record,
)
from .missing import missing_record, missing_return, return_interview_offer, return_interview_record
from .notes import MANAGEMENT_OVERSIGHT, case_note_record
from .plans import cin_plan_end, cin_plan_review_record, cin_plan_start
from .protection import (
    core_group_record,
    initial_conference_hold,
    review_conference_hold,
    section47_outcome_record,
)
from .referrals import (
    MIN_REASON,
    NFA_AT_REFERRAL,
    SECTION47,
    assessment_start,
    referral_close_nfa,
    referral_open,
    strategy_discussion_hold,
    strategy_discussion_request,
)
from .visits import visit_record

__all__ = [
    "CLOSED_AFTER_ASSESSMENT",
    "case_close",
    "FROM_EARLY_HELP",
    "MANAGEMENT_OVERSIGHT",
    "case_note_record",
    "visit_record",
    "MIN_REASON",
    "NO_FACTORS",
    "NFA_AT_REFERRAL",
    "SECTION47",
    "assessment_authorise",
    "care_leaver_contact_record",
    "care_leaver_support_end",
    "pathway_needs_assessment_record",
    "pathway_plan_record",
    "pathway_plan_review_record",
    "assessment_start",
    "assessment_submit",
    "cin_plan_end",
    "cin_plan_review_record",
    "cin_plan_start",
    "core_group_record",
    "care_plan_record",
    "early_help_assessment_complete",
    "early_help_assessment_start",
    "early_help_close",
    "early_help_from_contact",
    "early_help_start",
    "early_help_step_up",
    "education_plan_record",
    "iro_assign",
    "legal_status_change",
    "looked_after_cease",
    "looked_after_start",
    "placement_plan_record",
    "health_assessment_record",
    "initial_conference_hold",
    "looked_after_review_hold",
    "missing_record",
    "missing_return",
    "placement_change",
    "referral_close_nfa",
    "referral_open",
    "return_interview_offer",
    "return_interview_record",
    "review_conference_hold",
    "section47_outcome_record",
    "strategy_discussion_hold",
    "strategy_discussion_request",
    "taf_meeting_record",
]
