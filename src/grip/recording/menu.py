"""What may be recorded on a child's case, offered on the child's record (grip.web.pages.children).

Each recording page is listed once here, with the capability it needs and, where it applies only
at some stages, the stages it applies to; the record offers a user the entries they may use for
that child today. The pages check the same capability themselves (their `access_rule`).
"""

from __future__ import annotations

from dataclasses import dataclass

from grip.access.capabilities import RECORD_A_LOOKED_AFTER_REVIEW, RECORD_LOOKED_AFTER_CARE, Capability


@dataclass(frozen=True)
class Recordable:
    text: str  # the link: "Record a visit"
    view: str  # the page's URL name; it takes the child's pk
    capability: Capability
    stages: frozenset[str] = frozenset()  # the child's stages it applies to (grip.cases.selectors); empty: any


# Each area adds its pages here, in the order the record lists them.
_LOOKED_AFTER = frozenset({"looked_after"})
RECORDABLE: tuple[Recordable, ...] = (
    Recordable("Record a looked-after review", "recording:care-review", RECORD_A_LOOKED_AFTER_REVIEW, _LOOKED_AFTER),
    Recordable("Record a change of placement", "recording:care-placement", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable("Record a health assessment", "recording:care-health", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable("Record a personal education plan", "recording:care-education", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable("Record a child missing or back", "recording:care-missing", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
    Recordable("Record a return interview", "recording:care-return-interview", RECORD_LOOKED_AFTER_CARE, _LOOKED_AFTER),
)


def offered(user, *, stage: str) -> list[Recordable]:
    """The entries this user may use on a child at `stage`."""
    return [r for r in RECORDABLE if r.capability.held_by(user) and (not r.stages or stage in r.stages)]
