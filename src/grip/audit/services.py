"""Writing to the audit log, and checking it has not been tampered with.

Every other app writes its audit entries through `record` (or the three shortcuts below it),
inside the same transaction as the change it records, so a change and its entry are committed
together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models, router, transaction
from django.http import HttpRequest
from django.utils import timezone

from grip.people.models import Person

from . import storage
from .chain import HASHED_FIELDS, canonical_ip, clean_text, entry_hash, plain_payload
from .keys import signing_key
from .models import AuditEntry
from .verbs import check_verb
from .verification import ChainReport, verify_chain

__all__ = ["ChainReport", "client_ip", "record", "record_export", "record_search", "record_view", "verify_chain"]

USER_AGENT_LENGTH = AuditEntry._meta.get_field("user_agent").max_length
LABEL_LENGTH = AuditEntry._meta.get_field("actor_label").max_length


def record(
    *,
    actor: Any,
    verb: str,
    target: models.Model | None = None,
    child: Person | None = None,
    payload: dict | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Append one entry to the audit log, in the caller's transaction (or its own if none).

    `actor` is the user who acted (None or an anonymous user for the system or a failed sign-in).
    `child` defaults to `target` when that is a Person, or to `target.child` when it has one, so
    "everything about this child" finds changes to the child's records too.
    Costs one SELECT ... FOR UPDATE, one INSERT and one UPDATE. The chain head stays locked until
    the transaction ends and every other audited action waits for it, so in a long transaction
    call this last, just before commit.
    """
    check_verb(verb)
    connection = connections[router.db_for_write(AuditEntry)]
    key_id, key = signing_key()
    # savepoint=False: inside a caller's transaction this adds no statements of its own.
    with transaction.atomic(using=connection.alias, savepoint=False):
        last_id, last_hash = storage.lock_head(connection)
        signed_in = actor is not None and getattr(actor, "is_authenticated", False)
        entry = AuditEntry(
            id=last_id + 1,
            at=timezone.now(),  # taken under the lock, so time order follows chain order
            actor=actor if signed_in else None,
            actor_label=clean_text(actor.get_username())[:LABEL_LENGTH] if signed_in else "",
            verb=verb,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None and target.pk is not None else "",
            child_id=child.pk if child is not None else _child_id_of(target),
            payload=plain_payload(payload or {}),
            ip_address=client_ip(request),
            user_agent=_user_agent(request),
            previous_hash=last_hash,
            key_id=key_id,
        )
        entry.hash = entry_hash(entry.previous_hash, {name: getattr(entry, name) for name in HASHED_FIELDS}, key=key)
        storage.append(connection, entry)
    return entry


def record_view(*, user: Any, child: Person, request: HttpRequest | None, reason: str = "") -> AuditEntry:
    """`user` opened a page showing `child`'s record: `viewed`, or `restricted_opened` with the
    `reason` asked for when a restricted record is opened under an exception."""
    payload: dict[str, Any] = {"path": request.path if request is not None else ""}
    if reason:
        payload["reason"] = reason
    verb = "restricted_opened" if reason else "viewed"
    return record(actor=user, verb=verb, target=child, child=child, payload=payload, request=request)


def record_search(*, user: Any, query: str, result_child_ids: list[int], request: HttpRequest | None) -> AuditEntry:
    """`user` searched for `query` and was shown these children (in the order shown)."""
    payload = {"query": query, "result_child_ids": list(result_child_ids), "result_count": len(result_child_ids)}
    return record(actor=user, verb="searched", payload=payload, request=request)


def record_export(
    *,
    user: Any,
    what: str,
    child_ids: Iterable[int],
    row_count: int,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """`user` took `row_count` rows of `what` out of Grip (a download, a return, a subject access
    request) naming the children `child_ids`: every export says which children's data left, so
    "who has had this child's data" is answered from the log. One child's export is also filed under
    that child (the entry's `child`), like a view of the record."""
    children = sorted({int(pk) for pk in child_ids})
    payload = {"what": what, "row_count": row_count, "children": children, "child_count": len(children)}
    child = Person(pk=children[0]) if len(children) == 1 else None
    return record(actor=user, verb="exported", child=child, payload=payload, request=request)


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from. X-Forwarded-For is believed only behind a proxy the
    settings trust, and then only its last address: the one that proxy itself saw."""
    if request is None:
        return None
    candidates = []
    if getattr(settings, "GRIP_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        candidates.append(forwarded.split(",")[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in filter(None, candidates):
        try:
            return canonical_ip(candidate)
        except ValueError:
            continue
    return None


def _user_agent(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return clean_text(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_LENGTH]


def _child_id_of(target: models.Model | None) -> int | None:
    if isinstance(target, Person):
        return target.pk
    try:
        field = target._meta.get_field("child") if target is not None else None
    except FieldDoesNotExist:
        return None
    if field is not None and field.is_relation and field.related_model is Person:
        return getattr(target, field.attname)
    return None
