"""Every URL of Grip, discovered from the URL configuration, and how to fill its arguments from
the access tests' world (tests/access/conftest.py). Shared by the access matrix and the test that
no page names a child its reader may not see."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from grip.access.decorators import CONTACT, PARTNER_TOKEN

# Namespaces guarded by their own framework (the access matrix checks each on its own).
SELF_GUARDED = {"admin"}


def discover(patterns=None, namespace: str = ""):
    """(url name with namespace, pattern, view callback) for every URL pattern outside SELF_GUARDED."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SELF_GUARDED:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from discover(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else None, entry, entry.callback


def grip_urls():
    return list(discover())


def rule_of(view):
    rule = getattr(view, "access_rule", None)
    view_class = getattr(view, "view_class", None)
    return rule or getattr(view_class, "access_rule", None)


def url_for(name: str, pattern: URLPattern, world, key: str | None = None) -> str:
    params = set(pattern.pattern.converters)
    if not params:
        return reverse(name)
    if rule_of(pattern.callback).kind == PARTNER_TOKEN:
        assert params == {"reference"}, f"{name}: the matrix fills only a report's reference, not {params}"
        return reverse(name, kwargs={"reference": world.reports[key or next(iter(world.reports))].reference})
    assert params == {"pk"}, f"{name}: the matrix knows how to fill only a child's or contact's pk, not {params}"
    records = world.contacts if rule_of(pattern.callback).kind == CONTACT else world.children
    return reverse(name, kwargs={"pk": records[key or next(iter(records))].pk})
