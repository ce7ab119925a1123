"""One list of audit verbs (grip.audit.verbs): what is written is what the search can filter.

The verbs the source writes are read from the source itself (every literal handed to the audit
log), independently of the list, so a new verb that is written but not listed fails here even if
no test happens to write it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from grip.access.roles import Role
from grip.audit.models import AuditEntry
from grip.audit.services import record
from grip.audit.verbs import VERBS, UnknownVerb

from .test_views import signed_in_as

SOURCE = Path(__file__).resolve().parents[2] / "src" / "grip"
# Calls that hand a verb to the audit log as a positional string, beside `verb=` keywords.
POSITIONAL_VERB_CALLS = {"_shown"}


def _written_verbs() -> dict[str, str]:
    """Every string literal the production source hands the audit log as a verb: `verb="..."`
    (also both arms of `"a" if x else "b"`, and `verb = "..."` assignments in the audit services),
    and the first string argument of the helpers in POSITIONAL_VERB_CALLS."""
    written: dict[str, str] = {}

    def strings(node) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.IfExp):
            return strings(node.body) + strings(node.orelse)
        return []

    for path in SOURCE.rglob("*.py"):
        if {"tests", "migrations"} & set(path.parts) or path.name == "verbs.py":
            continue
        where = str(path.relative_to(SOURCE))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            found: list[str] = []
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "verb":
                        found += strings(keyword.value)
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in POSITIONAL_VERB_CALLS:
                    found += [s for arg in node.args for s in strings(arg)][:1]
            elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "verb" for t in node.targets):
                found += strings(node.value)
            for verb in found:
                written.setdefault(verb, where)
    return written


def test_every_verb_the_source_writes_is_listed():
    written = _written_verbs()
    assert len(written) > 40, "the scan found too few verbs to be reading the source"
    missing = {verb: where for verb, where in written.items() if verb not in VERBS}
    assert not missing, f"written but not in grip.audit.verbs.VERBS: {missing}"


def test_every_listed_verb_is_written_somewhere():
    never = sorted(set(VERBS) - set(_written_verbs()))
    assert not never, f"listed in grip.audit.verbs.VERBS but never written: {never}"


@pytest.mark.django_db
def test_an_unknown_verb_is_refused_and_nothing_is_written():
    before = AuditEntry.objects.count()
    with pytest.raises(UnknownVerb, match="'contact_decide' is not an audit verb"):
        record(actor=None, verb="contact_decide", payload={})
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_the_search_filters_every_verb(client):
    signed_in_as(client, Role.SYSTEM_ADMINISTRATOR)
    for verb in VERBS:
        record(actor=None, verb=verb, payload={"marker": f"entry-of-{verb}-end"})
    for verb, label in VERBS.items():
        html = client.get(reverse("audit:log"), {"verb": verb}).content.decode()
        assert f'<option value="{verb}" selected>{label}</option>' in html, verb
        results = html.split('data-testid="audit-log-results"')[1]
        shown = [v for v in VERBS if f"entry-of-{v}-end" in results]
        assert shown == [verb], (verb, shown)
