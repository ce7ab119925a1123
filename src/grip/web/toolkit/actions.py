"""Pages that do several things, each a POST naming its `action` (a button's value): the one way
to run the action asked for.

A page keeps a dict of its actions, name to handler; every handler takes the request and the page's
own arguments and returns what to tell the user, or raises a ValidationError the page shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.core.exceptions import ValidationError
from django.http import HttpRequest


def run_action[Result](
    request: HttpRequest, actions: Mapping[str, Callable[..., Result]], *args, unknown: str, **kwargs
) -> Result:
    """Run the handler of the POSTed `action` with the request and `args`; a ValidationError with
    the message `unknown` when the POST names none of `actions`."""
    handler = actions.get(request.POST.get("action", ""))
    if handler is None:
        raise ValidationError(unknown)
    return handler(request, *args, **kwargs)
