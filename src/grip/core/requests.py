"""Reading a request's query string."""

from __future__ import annotations

from django.http import HttpRequest


def whole_number(request: HttpRequest, name: str) -> int | None:
    """`?name=12` as 12; absent, empty or not plain digits (a filter typed wrong) as None."""
    value = request.GET.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() else None
