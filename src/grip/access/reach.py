"""How the work puts a child within someone's reach: the part of scope that other apps own.

Scope (grip.access.scope) decides which children a user may open. Part of the answer is plain
role policy, which access owns (the whole-authority roles, independent reviewing officers,
restricted records). The rest follows the work, and the records of the work belong to the apps
above access: a social worker sees the children allocated to them, a team the cases waiting in its
queue (grip.allocation). Access may not import those apps (docs/architecture.md), so each one
registers here, when Django starts (its AppConfig.ready), how its records bring a child within a
user's reach. Scope asks every registered reach and joins the answers with OR.

A reach is a function of the user and their roles giving a condition on children (``Person``
rows, the child being ``OuterRef("pk")`` inside any subquery), or None when it can bring no child.
The first reach registered with ``first=True`` is the hot path: opening a record asks it in the
same query that loads the child (``child_access``), and the others only if it says no.

Registering is closed once Django is ready, and `registered()` is what the scope tests check, so a
reach cannot appear or go missing unnoticed (tests/access/test_reach.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from grip.access.roles import Role

Condition = Callable[[object, frozenset[Role]], Q | None]


@dataclass(frozen=True)
class Reach:
    name: str  # plain English, for the tests and the docs: "allocated to them or their team"
    owner: str  # the app whose records these are
    condition: Condition
    first: bool = False


_REACHES: list[Reach] = []


def register(*, name: str, owner: str, condition: Condition, first: bool = False) -> None:
    """Called from an app's AppConfig.ready: its records put children within reach this way."""
    if any(r.name == name for r in _REACHES):
        return  # ready() may run twice (tests that reload apps); the first registration stands
    if first and any(r.first for r in _REACHES):
        raise ValueError("Only one reach can be asked first")
    _REACHES.append(Reach(name=name, owner=owner, condition=condition, first=first))


def registered() -> tuple[Reach, ...]:
    """Every reach, the one asked first (if any) leading."""
    return tuple(sorted(_REACHES, key=lambda r: not r.first))
