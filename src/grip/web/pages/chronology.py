"""The child's journey as a chronology the reader can narrow: key events only (the default: what
changed in the child's involvement, without every visit and contact), all events, or one kind of
work. The events are grip.cases.journey's; which are key and how they group is a page's choice."""

from __future__ import annotations

from dataclasses import dataclass

from grip.cases.journey import JourneyEvent

KEY = "key"
ALL = "all"
# The kinds of event in each group, as a reader looks for them; a kind in no group is "Other".
GROUPS: dict[str, tuple[str, frozenset[str]]] = {
    "front-door": ("Front door", frozenset({"contact"})),
    "early-help": (
        "Early help",
        frozenset(
            {
                "early_help",
                "early_help_ended",
                "early_help_assessment",
                "early_help_assessment_completed",
                "taf_meeting",
            }
        ),
    ),
    "need": (
        "Referral, assessment and plans",
        frozenset({"referral", "assessment", "assessment_authorised", "cin_plan", "cin_closed"}),
    ),
    "protection": (
        "Child protection",
        frozenset(
            {
                "strategy_requested",
                "strategy_discussion",
                "section47",
                "section47_completed",
                "conference",
                "cp_plan",
                "cp_plan_ended",
            }
        ),
    ),
    "care": ("Looked after", frozenset({"looked_after", "looked_after_ended", "looked_after_review", "missing"})),
    "leaving-care": (
        "Leaving care",
        frozenset({"care_leaver", "care_leaver_ended", "care_leaver_contact", "pathway_plan"}),
    ),
    "visits": ("Visits", frozenset({"visit"})),
    "allocation": ("Allocation", frozenset({"allocation"})),
}
OTHER = "other"
# Key events: where the child's involvement changed (a decision, a plan, a status), not the
# routine work within it (visits, reviews, contacts with a care leaver, allocations).
KEY_KINDS = frozenset(
    {
        "contact",
        "early_help",
        "early_help_ended",
        "referral",
        "assessment_authorised",
        "cin_plan",
        "cin_closed",
        "strategy_requested",
        "strategy_discussion",
        "section47",
        "section47_completed",
        "conference",
        "cp_plan",
        "cp_plan_ended",
        "looked_after",
        "looked_after_ended",
        "missing",
        "care_leaver",
        "care_leaver_ended",
    }
)


@dataclass(frozen=True)
class Chronology:
    shown: list[JourneyEvent]
    total: int
    show: str  # what was asked for: KEY, ALL or a group
    choices: list[tuple[str, str]]  # (value, text) for the "Show" select


def _group_of(kind: str) -> str:
    return next((name for name, (_text, kinds) in GROUPS.items() if kind in kinds), OTHER)


def chronology(events: list[JourneyEvent], *, show: str) -> Chronology:
    """`events` narrowed to what `show` asks for (an unknown value shows the key events)."""
    present = {_group_of(e.kind) for e in events}
    groups = [(name, text) for name, (text, _kinds) in GROUPS.items() if name in present]
    if OTHER in present:
        groups.append((OTHER, "Other"))
    choices = [(KEY, "Key events"), (ALL, "All events"), *groups]
    if show not in {value for value, _text in choices}:
        show = KEY
    if show == ALL:
        shown = events
    elif show == KEY:
        shown = [e for e in events if e.kind in KEY_KINDS]
    else:
        shown = [e for e in events if _group_of(e.kind) == show]
    return Chronology(shown=shown, total=len(events), show=show, choices=choices)
