"""Every verb the audit log holds, with the words the audit log search shows for it: one list.

`grip.audit.services.record` refuses a verb that is not here, so every entry written can be
found by what it records; a test holds the source to it (every verb written is listed, every
verb listed is written somewhere). Grouped by what the entry is about.
"""

from __future__ import annotations

VERBS: dict[str, str] = {
    # Children's records read
    "viewed": "Viewed a child’s record",
    "restricted_opened": "Opened a restricted record (with a reason)",
    "restricted_match_shown": "Told a restricted record matches a contact",
    "record_not_found": "Asked for a record not theirs to see, or none",
    "searched": "Searched",
    "exported": "Exported (children named)",
    "register_viewed": "Viewed the unallocated register (children listed)",
    "team_queue_viewed": "Viewed a team’s queue (children listed)",
    "reallocation_list_viewed": "Viewed the reallocation list (children listed)",
    "reconciliation_viewed": "Viewed the allocation reconciliation (children listed)",
    "caseload_viewed": "Viewed a caseload (children listed)",
    "chase_list_viewed": "Viewed a chase list (children listed)",
    "who_is_off_viewed": "Viewed who is off and the cases they hold (children listed)",
    "supervision_viewed": "Viewed a supervision record (children listed)",
    "supervision_measures_viewed": "Viewed teams’ supervision measures (children listed)",
    "workforce_list_viewed": "Viewed the workers or posts behind a workforce figure (people listed)",
    "digest_sent": "Sent a chase-list digest by e-mail (children named)",
    # The front door
    "contact_received": "Received a contact",
    "contact_claimed": "Started work on a contact",
    "contact_matched": "Matched a contact to a child",
    "mash_check_requested": "Asked an agency for a MASH check",
    "mash_check_answered": "Recorded an agency’s MASH check answer",
    "contact_decided": "Decided a contact",
    "contact_signed_off": "Signed off a front-door decision",
    "outcome_sent": "Told the referrer the outcome",
    "referral_opened": "Opened a referral",
    "referral_closed_nfa": "Closed a referral with no further action",
    # Children's cases
    "strategy_discussion_requested": "Asked for a strategy discussion",
    "strategy_discussion_held": "Recorded a strategy discussion held",
    "assessment_started": "Started an assessment",
    "visit_recorded": "Recorded a visit",
    "case_note_recorded": "Wrote a case note",
    "assessment_submitted": "Completed an assessment and submitted it for authorisation",
    "assessment_authorised": "Authorised an assessment",
    "authorisation_queue_viewed": "Viewed the assessments waiting for authorisation (children listed)",
    "cin_plan_started": "Started a child in need plan",
    "cin_plan_ended": "Ended a child in need plan",
    "cin_plan_reviewed": "Recorded a child in need plan review",
    "looked_after_review_held": "Recorded a looked-after review",
    "placement_changed": "Recorded a change of placement",
    "health_assessment_recorded": "Recorded a health assessment",
    "education_plan_recorded": "Recorded a personal education plan",
    "iro_assigned": "Assigned a child’s independent reviewing officer",
    "looked_after_started": "Recorded a child becoming looked after",
    "legal_status_changed": "Recorded a change of legal status",
    "care_plan_recorded": "Recorded a care plan",
    "placement_plan_recorded": "Recorded a placement plan",
    "looked_after_ceased": "Recorded a child ceasing to be looked after",
    "missing_recorded": "Recorded a child missing",
    "missing_returned": "Recorded a child’s return from missing",
    "return_interview_offered": "Recorded a return interview offered",
    "return_interview_recorded": "Recorded a return interview held or declined",
    "section47_outcome_recorded": "Recorded a section 47 enquiry’s outcome",
    "initial_conference_held": "Recorded an initial child protection conference",
    "review_conference_held": "Recorded a review child protection conference",
    "core_group_recorded": "Recorded a core group meeting",
    "care_leaver_contact_recorded": "Recorded a contact with a care leaver",
    "pathway_needs_assessment_recorded": "Recorded a needs assessment for a pathway plan",
    "pathway_plan_made": "Recorded a pathway plan made",
    "pathway_plan_reviewed": "Recorded a pathway plan review",
    "care_leaver_support_ended": "Ended a care leaver’s support",
    "case_closed": "Closed a case (the CIN episode, with the census reason)",
    "early_help_started": "Started early help",
    "early_help_assessment_started": "Started an early help assessment",
    "early_help_assessment_completed": "Completed an early help assessment",
    "taf_meeting_recorded": "Recorded a team around the family meeting",
    "early_help_closed": "Closed early help",
    "early_help_stepped_up": "Stepped early help up to children’s social care",
    # Allocation and the workforce
    "case_allocated": "Allocated a case",
    "case_reallocated": "Reallocated a case",
    "case_transfer_requested": "Sent a case to a team",
    "case_transfer_accepted": "Accepted a transfer",
    "case_transfer_declined": "Declined a transfer",
    "allocation_ended": "Ended an allocation",
    "case_transfer_withdrawn": "Withdrew a transfer (the case closed)",
    "absence_recorded": "Recorded an absence",
    "worker_leaving_recorded": "Recorded a leaving date",
    # The establishment and people's history (issue 15)
    "post_added": "Added a funded post",
    "post_edited": "Corrected a post",
    "post_ended": "Ended a post’s funding",
    "post_filled": "Put a worker in a post",
    "post_vacated": "Recorded a post vacant",
    "starter_recorded": "Recorded a starter",
    "leaver_recorded": "Recorded a leaver and the reason",
    "terms_changed": "Changed a worker’s terms",
    "registration_recorded": "Recorded a Social Work England registration",
    "asye_started": "Recorded an ASYE started",
    "asye_completed": "Recorded an ASYE completed",
    "absence_ended": "Recorded a worker back from absence (and their return-to-work meeting)",
    "supervision_recorded": "Recorded a supervision session",
    "supervision_decision_recorded": "Recorded a management decision on a case in supervision",
    "supervision_confirmed": "Confirmed the record of their supervision",
    # Access
    "role_granted": "Granted a role",
    "role_revoked": "Revoked a role",
    "restricted": "Restricted a record",
    "unrestricted": "Lifted a record’s restriction",
    "exception_granted": "Granted an exception",
    "exception_revoked": "Revoked an exception",
    "admin_added": "Added in the Django admin",
    "admin_changed": "Changed in the Django admin",
    "admin_deleted": "Deleted in the Django admin",
    # Signing in
    "signed_in": "Signed in",
    "sign_in_failed": "Failed to sign in",
    "signed_out": "Signed out",
    "session_ended": "Session ended (leaving date or account closed)",
    "password_changed": "Changed their password",
    "second_factor_set_up": "Set up a second factor",
    "authenticator_replaced": "Replaced their authenticator app",
    "recovery_code_used": "Used a recovery code",
    "recovery_codes_regenerated": "Made new recovery codes",
    "second_factor_reset": "Reset someone’s second factor",
    "council_account_linked": "Linked a council account",
    # The partner API
    "api_read": "Partner API read a report",
    "api_record_not_found": "Partner API asked for a report not its own, or none",
    "partner_token_created": "Made a partner API key",
    "partner_token_revoked": "Revoked a partner API key",
}


class UnknownVerb(ValueError):
    """An audit entry with a verb the audit log search would not know."""


def check_verb(verb: str) -> None:
    if verb not in VERBS:
        raise UnknownVerb(f"{verb!r} is not an audit verb: add it, with its label, to grip.audit.verbs.VERBS")
