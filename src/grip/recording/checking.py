"""The check-your-answers step of a decision recorded through a page (a case closure, a return
interview held or declined, a management oversight note, a change of placement): the form is sent
once to be checked, shown back as answers, then sent again to be recorded or changed. What was
typed travels in hidden fields, so "Change" brings back the form exactly as it was left.

A page asks `step(request)` which send this is; the template `recording/_check.html` draws the
answers, the button that records them and the "Change" buttons beside each answer.
"""

from __future__ import annotations

from dataclasses import dataclass

CHECKED = "check"  # the `step` of a POST from the check-your-answers page: record it
CHANGE = "change"  # ... or go back to the form to change the answers
TO_CHECK = ""  # the form sent from the form page: check it, then show the answers


@dataclass(frozen=True)
class Answer:
    question: str  # as the summary list's key: "Date the case closed"
    answer: str
    field: str  # the id of the form field it changes, for the visually hidden "Change ..." text


def step(request) -> str:
    """Which send of the form this POST is: CHECKED, CHANGE or TO_CHECK."""
    sent = request.POST.get("step", TO_CHECK)
    return sent if sent in (CHECKED, CHANGE) else TO_CHECK
