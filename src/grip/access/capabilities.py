"""Who may do what in Grip: each capability, named as a person would say it, and the roles that have it.

This is the one place the policy is written. Pages declare `access_rule(ROLES, roles=X.roles)`
(grip.access.decorators), services and pages ask `X.held_by(user)`, and the home page and the
service navigation offer a page only to the roles its capability names.

Which children a capability reaches is scope, not policy: grip.access.scope (WHOLE_AUTHORITY and
TOLD_OF_RESTRICTED_MATCHES in grip.access.roles) and, for the teams a manager is in charge of,
grip.workforce.selectors.teams_managed_by.
"""

from __future__ import annotations

from dataclasses import dataclass

from grip.access.roles import Role, has_role

_FRONT_DOOR = frozenset({Role.FRONT_DOOR_PRACTITIONER, Role.FRONT_DOOR_MANAGER})
_MANAGERS = frozenset({Role.FRONT_DOOR_MANAGER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.DIRECTOR})
_ALLOCATORS = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.DIRECTOR})
_ADMINISTRATOR = frozenset({Role.SYSTEM_ADMINISTRATOR})
_STAFF = frozenset(Role) - {Role.PARTNER_AGENCY_USER}


@dataclass(frozen=True)
class Capability:
    what: str  # plain English: "allocate a case"
    roles: frozenset[Role]

    def held_by(self, user) -> bool:
        return has_role(user, *self.roles)


# --- children's records -------------------------------------------------------------------------
# A partner agency user sees no child's record (only its organisation's contacts), nor does a
# system administrator (who keeps Grip running, not cases), so a search could never find one for
# them, and neither holds cases.
_CASE_STAFF = _STAFF - _ADMINISTRATOR
SEARCH_FOR_A_CHILD = Capability("search for a child", _CASE_STAFF)
HOLD_CASES = Capability("hold cases: my cases and my overdue items", _CASE_STAFF)
RECORD_A_CASE_STEP = Capability(
    "record a case step (a strategy discussion, starting and completing an assessment)",
    _FRONT_DOOR | {Role.SOCIAL_WORKER} | _MANAGERS,
)
# The visits a child's social worker makes (a manager may record one they made or were told of).
RECORD_A_VISIT = Capability("record a visit to a child", frozenset({Role.SOCIAL_WORKER}) | _ALLOCATORS)
# Anyone working the child's case writes what they did; management oversight is a manager's alone.
RECORD_A_CASE_NOTE = Capability(
    "write a case note", _FRONT_DOOR | {Role.SOCIAL_WORKER, Role.INDEPENDENT_REVIEWING_OFFICER} | _MANAGERS
)
RECORD_MANAGEMENT_OVERSIGHT = Capability("write a management oversight note", _MANAGERS)
# A manager in charge of the worker's team authorises a completed assessment (grip.recording.assessments).
AUTHORISE_AN_ASSESSMENT = Capability("authorise an assessment", _ALLOCATORS)
RECORD_A_CIN_PLAN = Capability(
    "record a child in need plan: its start, reviews and end", frozenset({Role.SOCIAL_WORKER}) | _ALLOCATORS
)
# A looked-after child's care is recorded by the social workers and managers who hold cases; the
# independent reviewing officer chairs the child's reviews, so records those too.
RECORD_LOOKED_AFTER_CARE = Capability(
    "record a looked-after child's care (placements, health, education, missing episodes)",
    frozenset({Role.SOCIAL_WORKER}) | _ALLOCATORS,
)
RECORD_A_LOOKED_AFTER_REVIEW = Capability(
    "record a looked-after review", frozenset({Role.SOCIAL_WORKER, Role.INDEPENDENT_REVIEWING_OFFICER}) | _ALLOCATORS
)
# A child's protection (section 47 outcomes, core groups) is recorded by those who hold the case.
RECORD_CHILD_PROTECTION = Capability(
    "record child protection work: a section 47 enquiry's outcome, core group meetings",
    frozenset({Role.SOCIAL_WORKER}) | _ALLOCATORS,
)
# Child protection conferences are chaired by independent reviewing officers (conference chairs)
# in many authorities, who record the conference they chaired; the case holders record them too.
RECORD_A_CHILD_PROTECTION_CONFERENCE = Capability(
    "record a child protection conference (initial or review)",
    frozenset({Role.SOCIAL_WORKER, Role.INDEPENDENT_REVIEWING_OFFICER}) | _ALLOCATORS,
)
# A care leaver's support (contacts, pathway plans and reviews, the needs assessment, ending it)
# is recorded by their social worker and the managers who allocate. Personal advisers do most of
# this work, but Grip has no personal adviser role yet (grip.access.roles): add it here when it comes.
RECORD_LEAVING_CARE = Capability(
    "record a care leaver's support (contacts, pathway plans and reviews, its end)",
    frozenset({Role.SOCIAL_WORKER}) | _ALLOCATORS,
)
# Closing a case is a manager's decision: the CIN episode closes with its census reason, its plan
# ends and the case leaves whoever held it (grip.allocation.services.case_close_and_end_allocation).
CLOSE_A_CASE = Capability("close a case", _ALLOCATORS)
# Managers who allocate cases assign each looked-after child's independent reviewing officer.
ASSIGN_AN_IRO = Capability("assign a looked-after child's independent reviewing officer", _ALLOCATORS)
# Early help workers (family support workers, lead practitioners in other agencies) are not a role
# in Grip: early help is recorded by the front door, which decides it and takes step ups, by social
# workers, who step cases down to it, and by the managers who allocate early help cases.
RECORD_EARLY_HELP = Capability(
    "record early help: its start, assessment, team around the family meetings, closure, step up and step down",
    _FRONT_DOOR | {Role.SOCIAL_WORKER} | _ALLOCATORS,
)

# --- the front door -----------------------------------------------------------------------------
OPEN_THE_FRONT_DOOR_QUEUE = Capability("open the front door queue", _FRONT_DOOR)
RECORD_A_CONTACT = Capability("record a contact", _FRONT_DOOR)
DECIDE_A_CONTACT = Capability("decide a contact", _FRONT_DOOR)
SIGN_OFF_A_DECISION = Capability("sign off a contact decision", _MANAGERS)
TELL_THE_FRONT_DOOR = Capability(
    "tell the front door about a worry (a partner agency's report)", frozenset({Role.PARTNER_AGENCY_USER})
)
SEE_THE_FRONT_DOOR = Capability("see how the front door is doing", _FRONT_DOOR | _MANAGERS | {Role.PERFORMANCE_OFFICER})

# --- who holds which case -----------------------------------------------------------------------
# Each within the teams they are in charge of (teams_managed_by): a team queue is where they do it.
ALLOCATE_A_CASE = Capability("allocate a case", _ALLOCATORS)
# A case no team has held yet; a director is in charge of every team, so may send any case anywhere.
SEND_A_CASE_TO_A_TEAM = Capability("send a case to a team", _FRONT_DOOR | {Role.DIRECTOR})
SEE_THE_UNALLOCATED_REGISTER = Capability(
    "see the unallocated register",
    _ALLOCATORS | {Role.PERFORMANCE_OFFICER, Role.QUALITY_ASSURANCE_LEAD, Role.FRONT_DOOR_MANAGER},
)
SEE_CASES_HELD_BY_ABSENT_WORKERS = Capability(
    "see cases held by an absent worker", _ALLOCATORS | {Role.PERFORMANCE_OFFICER, Role.QUALITY_ASSURANCE_LEAD}
)
CHECK_ALLOCATION_RECORDS = Capability(
    "check the allocation records agree (reconciliation)",
    frozenset({Role.SERVICE_MANAGER, Role.DIRECTOR, Role.PERFORMANCE_OFFICER, Role.QUALITY_ASSURANCE_LEAD}),
)
# HR is not a role in Grip: the establishment (posts, who fills them, starters, leavers, changes of
# terms, registration, the ASYE) is kept by the managers in charge of each team (teams_managed_by):
# a team manager for their own team, a service manager for their service area's, the director for all.
MANAGE_THE_ESTABLISHMENT = Capability(
    "manage the establishment: posts, who fills them, starters, leavers and changes of terms", _ALLOCATORS
)
SEE_CASELOADS = Capability("see caseloads", _ALLOCATORS | {Role.PERFORMANCE_OFFICER, Role.QUALITY_ASSURANCE_LEAD})
# The workforce census measures and their trends, and the people behind them: a director and a
# performance officer for the authority, a service manager for their area, a team manager for their
# team (which units is grip.workforce.overview.units_for).
SEE_THE_WORKFORCE = Capability(
    "see the workforce: posts, vacancies, agency, turnover and sickness, with the published figures",
    _ALLOCATORS | {Role.PERFORMANCE_OFFICER},
)

# --- absence and supervision (issue 15) ------------------------------------------------------------
# A manager records absences and supervision for the workers of the teams they are in charge of
# (grip.workforce.selectors.may_manage_team); the worker supervised agrees the record of their own.
RECORD_AN_ABSENCE = Capability("record a worker's absence and their return", _ALLOCATORS)
SEE_WHO_IS_OFF = Capability("see who is off in my teams and what they hold", _ALLOCATORS)
RECORD_SUPERVISION = Capability("record a supervision session", _ALLOCATORS)
CONFIRM_MY_SUPERVISION = Capability("confirm the record of my supervision", _CASE_STAFF)
# The staff pulse survey: anyone on the staff answers it, anonymously; managers and those who report
# on the workforce see its results, only for groups of five or more (grip.workforce.pulse).
ANSWER_THE_PULSE_SURVEY = Capability("answer the staff pulse survey", _STAFF)
SEE_THE_PULSE_SURVEY = Capability(
    "see the staff pulse survey's results", _ALLOCATORS | {Role.PERFORMANCE_OFFICER, Role.QUALITY_ASSURANCE_LEAD}
)
SEE_SUPERVISION_MEASURES = Capability("see my teams' supervision: timeliness, decisions, span of control", _ALLOCATORS)

# --- chasing overdue work -----------------------------------------------------------------------
CHASE_A_TEAM = Capability("chase a team's overdue work", _ALLOCATORS)
SEE_ESCALATED_ITEMS = Capability(
    "see a service area's escalated items", frozenset({Role.SERVICE_MANAGER, Role.DIRECTOR})
)
CHASE_THE_WHOLE_AUTHORITY = Capability(
    "see the whole authority's overdue work",
    frozenset({Role.PERFORMANCE_OFFICER, Role.QUALITY_ASSURANCE_LEAD, Role.DIRECTOR}),
)

# --- returns to the DfE ----------------------------------------------------------------------------
# The children's social work workforce census return names every social worker: the performance
# officer who makes the return, and the director who signs it off.
DOWNLOAD_THE_WORKFORCE_CENSUS = Capability(
    "download the workforce census return", frozenset({Role.PERFORMANCE_OFFICER, Role.DIRECTOR})
)

# --- the audit log ------------------------------------------------------------------------------
SEE_WHO_VIEWED_A_RECORD = Capability("see who viewed a record", _MANAGERS)
SEARCH_THE_AUDIT_LOG = Capability("search the audit log", _ADMINISTRATOR)
ANSWER_A_SUBJECT_ACCESS_REQUEST = Capability(
    "answer a subject access request", frozenset({Role.DIRECTOR, Role.QUALITY_ASSURANCE_LEAD})
)

# --- access and administration ------------------------------------------------------------------
MANAGE_ACCESS = Capability("manage access: roles, restricted records and exceptions", _ADMINISTRATOR)
# A manager restricts a record they work with, and is named on it (grip.access.services).
RESTRICT_A_RECORD = Capability("restrict a child's record", _MANAGERS)
RESET_A_SECOND_FACTOR = Capability("reset someone's second factor", _ADMINISTRATOR)
ADMINISTER_GRIP = Capability("administer Grip: teams, workers and local settings", _ADMINISTRATOR)
