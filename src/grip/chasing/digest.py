"""The daily digest: each worker and manager is e-mailed what is overdue and due soon on their list.

- a worker: the cases they hold and their own supervision (grip.chasing.lists.for_worker's items);
- a team manager: their team's list;
- a service manager: the escalated items of their service area.

The obligations are computed once for the whole authority and shared out, so a run costs one engine
pass, not one per person. Each section is then scoped to its recipient exactly as their chase list
page is (grip.chasing.lists.visible_to): a restricted child they may not open is counted, never named.
`send_digests` can run twice (or on two workers at once) without sending twice: each user's digest
for the day is claimed in `DigestSent`, the e-mail sent and the send audited (to whom, which
children it named) in one transaction, so a failed send leaves no claim and no entry.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from grip.access.roles import Role, roles_of
from grip.audit import services as audit
from grip.chasing.lists import CHASING_FILE, ChaseItem, ChasingConfigError, for_authority, visible_to
from grip.chasing.models import DigestSent
from grip.core.formatting import long_date
from grip.core.reference import named_source, read_reference
from grip.workforce.models import Worker


@cache
def subject() -> str:
    """The digest e-mail's subject line (chasing.toml, [digest])."""
    section = read_reference(CHASING_FILE, error=ChasingConfigError).get("digest")
    if not isinstance(section, dict):
        raise ChasingConfigError(f"{CHASING_FILE.name}: a [digest] table is required")
    text = section.get("subject")
    if not isinstance(text, str) or not text.strip():
        raise ChasingConfigError(f"{CHASING_FILE.name}: digest.subject must be the e-mail's subject line")
    named_source(section, key="digest", path=CHASING_FILE, error=ChasingConfigError)
    return text


@dataclass
class Digest:
    user: object
    sections: list[tuple[str, list[ChaseItem], int]]  # title, items the user may see, restricted left out

    @property
    def items(self) -> list[ChaseItem]:
        return [item for _title, items, _hidden in self.sections for item in items]

    @property
    def children(self) -> list[int]:
        """The children the digest names (by record number)."""
        return sorted({item.child.pk for item in self.items if item.child is not None})


def digests(*, on: date) -> list[Digest]:
    """What each user with a worker in post would be sent on `on` (only those with something on it)."""
    items = for_authority(on=on)
    by_holder: dict[int, list[ChaseItem]] = defaultdict(list)
    by_team: dict[int, list[ChaseItem]] = defaultdict(list)
    escalated_by_area: dict[int, list[ChaseItem]] = defaultdict(list)
    for item in items:
        if item.holder is not None:
            by_holder[item.holder.pk].append(item)
        if item.team is not None:
            by_team[item.team.pk].append(item)
            if item.escalated:
                escalated_by_area[item.team.service_area_id].append(item)
    found = []
    workers = Worker.objects.filter(user__isnull=False, user__is_active=True).select_related("user", "team")
    for worker in workers:
        if not worker.in_post_on(on):
            continue
        roles = roles_of(worker.user)
        lists = []
        if by_holder.get(worker.pk):
            lists.append(("Your cases and supervision", by_holder[worker.pk]))
        if Role.TEAM_MANAGER in roles and by_team.get(worker.team_id):
            lists.append((f"{worker.team.name}", by_team[worker.team_id]))
        if Role.SERVICE_MANAGER in roles and escalated_by_area.get(worker.team.service_area_id):
            lists.append(("Escalated in your service area", escalated_by_area[worker.team.service_area_id]))
        sections = []
        for title, listed in lists:
            shown = visible_to(worker.user, listed)
            if shown.items or shown.hidden:
                sections.append((title, shown.items, shown.hidden))
        if sections:
            found.append(Digest(worker.user, sections))
    return found


def _line(item: ChaseItem) -> str:
    o = item.obligation
    who = f"{item.child.full_name} ({item.child.la_child_id})" if item.child else f"Supervision of {item.holder}"
    when = f"overdue by {o.days_over_text}" if o.status == "overdue" else "due"
    if item.is_record_error:
        when = f"record error: past the legal limit by {o.days_over_text}"
    return f"- {who}: {o.title}, {when} ({o.due:%d %b %Y})"


def body(digest: Digest, *, on: date) -> str:
    """Plain text: names and LA child IDs only, never case detail (e-mail leaves the system)."""
    lines = [f"What is overdue and due this week, as at {long_date(on)}.", ""]
    for title, items, hidden in digest.sections:
        overdue = sum(1 for i in items if i.obligation.status == "overdue")
        lines += [f"{title}: {overdue} overdue, {len(items) - overdue} due soon", *map(_line, items[:50])]
        if len(items) > 50:
            lines.append(f"... and {len(items) - 50} more: see Grip.")
        if hidden:
            records = "child’s record is" if hidden == 1 else "children’s records are"
            lines.append(f"{hidden} more {records} restricted and not listed.")
        lines.append("")
    lines.append(f"Open Grip to see and act on these: {getattr(settings, 'GRIP_BASE_URL', '')}/chase/mine/")
    return "\n".join(lines)


@dataclass(frozen=True)
class RunResult:
    sent: int
    already_sent: int
    failed: int


def send_digests(*, on: date | None = None) -> RunResult:
    """Send the day's digests. Safe to run again: a user already sent (or being sent) today is skipped."""
    on = on or timezone.localdate()
    sent = already = failed = 0
    for digest in digests(on=on):
        email = getattr(digest.user, "email", "")
        if not email:
            continue
        overdue = sum(1 for i in digest.items if i.obligation.status == "overdue")
        try:
            with transaction.atomic():
                claim = DigestSent.objects.create(
                    user=digest.user, day=on, overdue=overdue, due_soon=len(digest.items) - overdue
                )
                send_mail(subject(), body(digest, on=on), None, [email])
                claim.sent_at = timezone.now()
                claim.save(update_fields=["sent_at"])
                # Last before commit: the audit chain's head stays locked until then.
                audit.record(
                    actor=None,
                    verb="digest_sent",
                    target=claim,
                    payload={"to": email, "user": digest.user.pk, "day": str(on), "children": digest.children},
                )
        except IntegrityError:
            already += 1
            continue
        except Exception:  # noqa: BLE001 - any failure to send: nothing is kept, so a re-run retries
            failed += 1
            continue
        sent += 1
    return RunResult(sent, already, failed)
