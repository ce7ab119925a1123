"""Permissions as predicates (django-rules): object permissions that other apps check by name."""

import rules

from grip.access import capabilities
from grip.access.scope import children_visible_to


@rules.predicate
def can_open_child(user, child) -> bool:
    return child is not None and children_visible_to(user).filter(pk=child.pk).exists()


@rules.predicate
def is_manager(user) -> bool:
    return capabilities.SEE_WHO_VIEWED_A_RECORD.held_by(user)


@rules.predicate
def is_system_administrator(user) -> bool:
    return capabilities.SEARCH_THE_AUDIT_LOG.held_by(user)


@rules.predicate
def handles_subject_access_requests(user) -> bool:
    return capabilities.ANSWER_A_SUBJECT_ACCESS_REQUEST.held_by(user)


rules.add_perm("people.view_child", can_open_child)
rules.add_perm("audit.view_viewers_of_child", can_open_child & is_manager)
rules.add_perm("audit.search_audit_log", is_system_administrator)
rules.add_perm("audit.export_child", can_open_child & handles_subject_access_requests)
