"""The one page renderer: a template with the request's notices (the messages left by the page
that redirected here, shown once) and the status a form page answers with: 400 while the page
shows errors, so nothing is mistaken for a success.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(request: HttpRequest, template: str, context: dict, *, status: int | None = None) -> HttpResponse:
    """Render `template` with `context` and `notices`; the status is `status` if given, else 400
    when `context["errors"]` lists any error and 200 otherwise."""
    context = {"notices": list(messages.get_messages(request)), **context}
    if status is None:
        status = 400 if context.get("errors") else 200
    return render(request, template, context, status=status)
