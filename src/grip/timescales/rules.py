"""The timescale rules: read from reference/timescales/rules.toml, checked, and overlaid with the
authority's local settings.

The file is the only place a timescale's figure is written. Loading it checks every rule, and a
mistake stops the load with an error that names the rule and the field (an unknown unit or event,
a code that is not in the code list, a condition the event cannot answer, ...), so a bad edit
fails at start-up (a Django system check) or in the test suite, never as a wrong deadline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from grip.core.codelists import codes
from grip.core.reference import read_reference, reference_file
from grip.timescales.events import CATALOGUE

RULES_FILE = reference_file("timescales/rules.toml")

UNITS = ("working_days", "calendar_days", "weeks", "months", "hours")
BASES = ("statute", "guidance", "standard", "measure", "local")
KINDS = ("duty", "error")  # a deadline to meet, or a limit the law sets whose breach is a record to correct
CALENDARS = ("authority", "england")
RULE_FIELDS = frozenset(
    "key title source basis local start stop link amount unit then repeat applies_to except_for stop_filter"
    " met_before_start calendar until_first except_during age_from kind from_birth paused_while frequency_from".split()
)
# What may pause a rule's outstanding obligations (grip.timescales.pauses), and whose they are.
PAUSES = {"long_term_absence": "worker"}
PHASE_FIELDS = frozenset({"amount", "unit", "within", "age_under", "before_first"})
SETTINGS_FIELDS = frozenset({"due_soon_working_days"})
# [regimes]: the SSDA903 codes that put a looked-after child under another regime (code list of each).
REGIME_CODES = {
    "short_breaks": "legal_status",
    "placed_for_adoption": "placement_type",
    "temporary_move": "placement_type",
    "same_carer": "reason_new_episode",
}
REGIME_FIELDS = frozenset({*REGIME_CODES, "short_breaks_series_lapses_after_months"})
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class RulesFileError(ValueError):
    """The timescale rules file (or a local setting) says something the engine cannot run."""


@dataclass(frozen=True)
class Interval:
    amount: int
    unit: str

    def __str__(self) -> str:
        unit = self.unit.replace("_", " ")
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


@dataclass(frozen=True)
class Phase:
    """One interval of a repeating rule and the condition, at the previous stop event, under
    which it applies (no condition: always)."""

    interval: Interval
    within: Interval | None = None
    age_under: int | None = None
    before_first: str | None = None
    attributes: Mapping[str, frozenset[Any]] = field(default_factory=dict)

    @property
    def unconditional(self) -> bool:
        return self.within is None and self.age_under is None and self.before_first is None and not self.attributes


@dataclass(frozen=True)
class Regimes:
    """How SSDA903 episodes are read into periods of care, placements and series of short breaks
    (grip.timescales.loading): the codes of each regime, from the rules file's [regimes]."""

    short_breaks: frozenset[str] = frozenset()  # legal status: a series of short breaks (CPPCR reg 48)
    placed_for_adoption: frozenset[str] = frozenset()  # placement type: Adoption Agencies Regs 2005
    temporary_move: frozenset[str] = frozenset()  # placement type: not a new placement
    same_carer: frozenset[str] = frozenset()  # reason for new episode: a change with the same carer
    short_breaks_series_lapses_after_months: int = 12


@dataclass(frozen=True)
class Rule:
    key: str
    title: str
    source: str
    basis: str
    local: bool
    start: str
    stop: str
    link: str
    first: Interval
    then: tuple[Interval, ...] = ()
    repeat: tuple[Phase, ...] = ()
    repeat_same: bool = False  # `repeat = true`: later occurrences use `first` again
    applies_to: tuple[Mapping[str, frozenset[Any]], ...] = ()
    except_for: tuple[Mapping[str, frozenset[Any]], ...] = ()
    stop_filter: Mapping[str, frozenset[Any]] = field(default_factory=dict)
    met_before_start: bool = False
    calendar: str = "england"  # "authority" only for local rules: see `_calendar`
    until_first: str | None = None  # the clock stops at the first such event after its start
    except_during: str | None = None  # no clock while a span of this start event is open (care proceedings)
    age_from: int | None = None  # only for a child at least this old (years) when the clock starts
    kind: str = "duty"
    from_birth: bool = False  # an unborn child's clock starts at birth; nothing before it counts
    paused_while: str | None = None  # one of PAUSES: outstanding obligations are not listed meanwhile
    frequency_from: str | None = None  # an owner's own interval, while one is in force, replaces the rule's

    @property
    def repeats(self) -> bool:
        return bool(self.repeat)

    def with_interval(self, interval: Interval) -> Rule:
        """This (local) rule with another interval: the first deadline and, for `repeat = true`,
        every later one."""
        repeat = (Phase(interval),) if self.repeat_same else self.repeat
        return replace(self, first=interval, repeat=repeat)


@dataclass(frozen=True)
class RuleBook:
    rules: tuple[Rule, ...]
    due_soon_working_days: int
    regimes: Regimes = field(default_factory=Regimes)

    def get(self, key: str) -> Rule:
        for rule in self.rules:
            if rule.key == key:
                return rule
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(rule.key for rule in self.rules)


# Loading ------------------------------------------------------------------------------------------


@cache
def rule_book() -> RuleBook:
    """The rules as the file defines them (cached; local settings are applied by
    grip.timescales.engine.effective_rules)."""
    return load_rules(RULES_FILE)


def load_rules(path: Path) -> RuleBook:
    raw = read_reference(path, error=RulesFileError)
    return parse_rules(raw, where=str(path))


def parse_rules(raw: Mapping[str, Any], *, where: str = "rules") -> RuleBook:
    unknown = set(raw) - {"settings", "regimes", "rule"}
    if unknown:
        raise RulesFileError(
            f"{where}: unknown section(s) {', '.join(sorted(unknown))}; expected [settings], [regimes] and [[rule]]"
        )
    settings = raw.get("settings", {})
    if isinstance(settings, Mapping) and "calendar" in settings:
        raise RulesFileError(
            f"{where}: [settings] field 'calendar': there is no default calendar: national rules use the "
            "England calendar and local rules the authority's (docs/working-days.md)"
        )
    _no_unknown(settings, SETTINGS_FIELDS, f"{where}: [settings]")
    due_soon = settings.get("due_soon_working_days")
    if not isinstance(due_soon, int) or isinstance(due_soon, bool) or due_soon < 0:
        raise RulesFileError(f"{where}: [settings] field 'due_soon_working_days': expected a whole number >= 0")
    entries = raw.get("rule", [])
    if not isinstance(entries, list) or not entries:
        raise RulesFileError(f"{where}: no [[rule]] entries")
    rules: list[Rule] = []
    for number, entry in enumerate(entries, start=1):
        rules.append(_parse_rule(entry, number=number, where=where))
    seen: set[str] = set()
    for rule in rules:
        if rule.key in seen:
            raise RulesFileError(f"{where}: rule '{rule.key}': field 'key': the key is used by another rule")
        seen.add(rule.key)
    regimes = _regimes(raw.get("regimes", {}), where)
    return RuleBook(rules=tuple(rules), due_soon_working_days=due_soon, regimes=regimes)


def _regimes(raw: Any, where: str) -> Regimes:
    here = f"{where}: [regimes]"
    _no_unknown(raw, REGIME_FIELDS, here)
    found: dict[str, Any] = {}
    for name, list_name in REGIME_CODES.items():
        values = raw.get(name, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise RulesFileError(f"{here} field '{name}': expected a list of codes")
        bad = sorted(set(values) - set(codes(list_name)))
        if bad:
            raise RulesFileError(f"{here} field '{name}': not a code of {list_name}: {', '.join(map(repr, bad))}")
        found[name] = frozenset(values)
    lapse = raw.get("short_breaks_series_lapses_after_months", Regimes.short_breaks_series_lapses_after_months)
    if not isinstance(lapse, int) or isinstance(lapse, bool) or lapse <= 0:
        raise RulesFileError(f"{here} field 'short_breaks_series_lapses_after_months': expected whole months above 0")
    return Regimes(**found, short_breaks_series_lapses_after_months=lapse)


def _parse_rule(entry: Any, *, number: int, where: str) -> Rule:
    if not isinstance(entry, Mapping):
        raise RulesFileError(f"{where}: rule {number}: expected a table")
    key = entry.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise RulesFileError(f"{where}: rule {number}: field 'key': expected lower_case_words, got {key!r}")
    here = f"{where}: rule '{key}'"
    _no_unknown(entry, RULE_FIELDS, here)
    for name in ("title", "source", "start", "stop", "link"):
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise RulesFileError(f"{here}: field '{name}': required text is missing")
    basis = _choice(entry.get("basis"), BASES, f"{here}: field 'basis'")
    local = _flag(entry, "local", here)
    met_before_start = _flag(entry, "met_before_start", here)
    kind = _choice(entry.get("kind", "duty"), KINDS, f"{here}: field 'kind'")
    calendar = _calendar(entry, local=local, here=here)

    start = CATALOGUE.get(entry["start"])
    if start is None or not start.starts:
        raise RulesFileError(
            f"{here}: field 'start': unknown start event {entry['start']!r}; "
            f"expected one of {', '.join(sorted(n for n, e in CATALOGUE.items() if e.starts))}"
        )
    stop = CATALOGUE.get(entry["stop"])
    if stop is None or not stop.stops:
        raise RulesFileError(
            f"{here}: field 'stop': unknown stop event {entry['stop']!r}; "
            f"expected one of {', '.join(sorted(n for n, e in CATALOGUE.items() if e.stops))}"
        )
    if start.owner != stop.owner:
        raise RulesFileError(f"{here}: field 'stop': {stop.name} is about a {stop.owner}, {start.name} a {start.owner}")
    link = entry["link"]
    if link not in start.link_keys or link not in stop.link_keys:
        shared = sorted(set(start.link_keys) & set(stop.link_keys))
        raise RulesFileError(
            f"{here}: field 'link': {link!r} does not link {start.name} to {stop.name}; expected one of {shared}"
        )

    first = _interval(entry, here, "")
    then = tuple(_interval(item, here, f"then[{i}]") for i, item in enumerate(_list(entry, "then", here)))
    repeat_raw = entry.get("repeat", False)
    repeat_same = repeat_raw is True
    if repeat_same:
        repeat: tuple[Phase, ...] = (Phase(first),)
    elif repeat_raw is False:
        repeat = ()
    elif isinstance(repeat_raw, list) and repeat_raw:
        repeat = tuple(_phase(item, here, i, start) for i, item in enumerate(repeat_raw))
        if not repeat[-1].unconditional:
            raise RulesFileError(
                f"{here}: field 'repeat': the last interval must have no condition (it is the default)"
            )
    else:
        raise RulesFileError(f"{here}: field 'repeat': expected true, false or a list of intervals")
    if then and not repeat:
        raise RulesFileError(f"{here}: field 'then': a rule with later occurrences needs 'repeat' for the rest")

    units = {first.unit, *(i.unit for i in then), *(p.interval.unit for p in repeat)}
    if "hours" in units:
        if repeat or not (start.timestamp and stop.timestamp):
            raise RulesFileError(
                f"{here}: field 'unit': hours need a one-off rule whose start and stop events have a time "
                f"({start.name}, {stop.name} do not)"
            )
    if local and (then or (repeat and not repeat_same)):
        raise RulesFileError(
            f"{here}: field 'local': a local rule is one-off or 'repeat = true', so a local setting changes all of it"
        )
    applies_to = tuple(_conditions(c, start, f"{here}: field 'applies_to'") for c in _list(entry, "applies_to", here))
    except_for = tuple(_conditions(c, start, f"{here}: field 'except_for'") for c in _list(entry, "except_for", here))
    stop_filter = _conditions(entry.get("stop_filter", {}), stop, f"{here}: field 'stop_filter'")
    # met_before_start: linked by the owner, a stop since the owner's previous span counts; linked by
    # the record itself (a placement plan names its placement), a stop of any date counts.
    until_first = entry.get("until_first")
    if until_first is not None:
        event = CATALOGUE.get(until_first)
        if event is None or not event.stops or event.owner != start.owner:
            raise RulesFileError(
                f"{here}: field 'until_first': unknown event {until_first!r} about the same {start.owner}"
            )
        if local:
            raise RulesFileError(f"{here}: field 'until_first': not for a local rule")
    frequency_from = entry.get("frequency_from")
    if frequency_from is not None:
        event = CATALOGUE.get(frequency_from)
        if event is None or not event.starts or event.owner != start.owner or "amount" not in event.numbers:
            raise RulesFileError(
                f"{here}: field 'frequency_from': {frequency_from!r} is not an interval set for the same {start.owner}"
            )
    except_during = entry.get("except_during")
    if except_during is not None:
        event = CATALOGUE.get(except_during)
        if event is None or not event.starts or not event.until or event.owner != start.owner:
            raise RulesFileError(
                f"{here}: field 'except_during': {except_during!r} is not a start event with a span about the same"
                f" {start.owner}"
            )
    age_from = entry.get("age_from")
    if age_from is not None:
        if not isinstance(age_from, int) or isinstance(age_from, bool) or age_from <= 0:
            raise RulesFileError(f"{here}: field 'age_from': expected whole years above 0")
        if not start.has_birth:
            raise RulesFileError(f"{here}: field 'age_from': {start.name} has no date of birth to compare")
    from_birth = _flag(entry, "from_birth", here)
    if from_birth and not start.has_birth:
        raise RulesFileError(f"{here}: field 'from_birth': {start.name} has no date of birth to start from")
    paused_while = entry.get("paused_while")
    if paused_while is not None:
        _choice(paused_while, PAUSES, f"{here}: field 'paused_while'")
        if PAUSES[paused_while] != start.owner:
            raise RulesFileError(
                f"{here}: field 'paused_while': {paused_while} pauses a {PAUSES[paused_while]}'s rules, "
                f"{start.name} is about a {start.owner}"
            )
    return Rule(
        key=key,
        title=entry["title"].strip(),
        source=entry["source"].strip(),
        basis=basis,
        local=local,
        start=start.name,
        stop=stop.name,
        link=link,
        first=first,
        then=then,
        repeat=repeat,
        repeat_same=repeat_same,
        applies_to=applies_to,
        except_for=except_for,
        stop_filter=stop_filter,
        met_before_start=met_before_start,
        calendar=calendar,
        until_first=until_first,
        except_during=except_during,
        age_from=age_from,
        kind=kind,
        from_birth=from_birth,
        paused_while=paused_while,
        frequency_from=frequency_from,
    )


def _calendar(entry: Mapping[str, Any], *, local: bool, here: str) -> str:
    """The working-day calendar of a rule. Local closure days never stretch a statutory, guidance,
    standard or DfE-measure deadline: those rules use the England calendar (bank holidays only).
    A local rule uses the authority's (bank holidays and LocalClosureDay) unless it says "england"."""
    default = "authority" if local else "england"
    calendar = _choice(entry.get("calendar", default), CALENDARS, f"{here}: field 'calendar'")
    if calendar == "authority" and not local:
        raise RulesFileError(
            f"{here}: field 'calendar': only a local rule can use the authority calendar; local closure "
            "days never stretch a national deadline"
        )
    return calendar


def _interval(raw: Any, here: str, name: str) -> Interval:
    prefix = f"{name}." if name else ""
    if not isinstance(raw, Mapping):
        raise RulesFileError(f"{here}: field '{name}': expected {{ amount = ..., unit = ... }}")
    amount = raw.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise RulesFileError(f"{here}: field '{prefix}amount': expected a whole number above 0, got {amount!r}")
    unit = _choice(raw.get("unit"), UNITS, f"{here}: field '{prefix}unit'", what="unit")
    return Interval(amount, unit)


def _phase(raw: Any, here: str, i: int, start: Any) -> Phase:
    name = f"repeat[{i}]"
    if not isinstance(raw, Mapping):
        raise RulesFileError(f"{here}: field '{name}': expected a table")
    interval = _interval(raw, here, name)
    conditions = {k: v for k, v in raw.items() if k not in PHASE_FIELDS}
    within = _interval(raw["within"], here, f"{name}.within") if "within" in raw else None
    if within is not None and within.unit == "hours":
        raise RulesFileError(f"{here}: field '{name}.within.unit': hours are not a span of a placement or a post")
    age_under = raw.get("age_under")
    if age_under is not None:
        if not isinstance(age_under, int) or isinstance(age_under, bool) or age_under <= 0:
            raise RulesFileError(f"{here}: field '{name}.age_under': expected whole years above 0")
        if not start.has_birth:
            raise RulesFileError(f"{here}: field '{name}.age_under': {start.name} has no date of birth to compare")
    before_first = raw.get("before_first")
    if before_first is not None:
        event = CATALOGUE.get(before_first)
        if event is None or not event.stops or event.owner != start.owner:
            raise RulesFileError(
                f"{here}: field '{name}.before_first': unknown event {before_first!r} about the same {start.owner}"
            )
    attributes = _conditions(conditions, start, f"{here}: field '{name}'")
    return Phase(interval, within=within, age_under=age_under, before_first=before_first, attributes=attributes)


def _conditions(raw: Any, event: Any, here: str) -> dict[str, frozenset[Any]]:
    if not isinstance(raw, Mapping):
        raise RulesFileError(f"{here}: expected a table of field = [codes]")
    result: dict[str, frozenset[Any]] = {}
    for name, values in raw.items():
        allowed = event.attributes.get(name)
        if allowed is None:
            raise RulesFileError(
                f"{here}: {event.name} has no field {name!r}; expected one of {sorted(event.attributes) or 'none'}"
            )
        if not isinstance(values, list) or not values:
            raise RulesFileError(f"{here}.{name}: expected a list of codes")
        flags = isinstance(next(iter(allowed)), bool)
        bad = [v for v in values if not isinstance(v, bool if flags else str) or v not in allowed]
        if bad:
            raise RulesFileError(f"{here}.{name}: not a code of {name}: {', '.join(map(repr, bad))}")
        result[name] = frozenset(values)
    return result


def _list(entry: Mapping[str, Any], name: str, here: str) -> list[Any]:
    value = entry.get(name, [])
    if not isinstance(value, list):
        raise RulesFileError(f"{here}: field '{name}': expected a list")
    return value


def _flag(entry: Mapping[str, Any], name: str, here: str) -> bool:
    value = entry.get(name, False)
    if not isinstance(value, bool):
        raise RulesFileError(f"{here}: field '{name}': expected true or false")
    return value


def _choice(value: Any, allowed: Iterable[str], here: str, *, what: str = "value") -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise RulesFileError(f"{here}: unknown {what} {value!r}; expected one of {', '.join(allowed)}")
    return value


def _no_unknown(table: Mapping[str, Any], known: frozenset[str], here: str) -> None:
    if not isinstance(table, Mapping):
        raise RulesFileError(f"{here}: expected a table")
    unknown = sorted(set(table) - known)
    if unknown:
        raise RulesFileError(f"{here}: unknown field(s) {', '.join(unknown)}")


# Local settings ------------------------------------------------------------------------------------


def check_setting(*, rule_key: str, amount: int, unit: str, book: RuleBook | None = None) -> Rule:
    """The rule a local setting changes, or RulesFileError saying why it cannot."""
    book = book or rule_book()
    try:
        rule = book.get(rule_key)
    except KeyError:
        raise RulesFileError(f"No timescale rule called {rule_key!r}") from None
    if not rule.local:
        raise RulesFileError(f"Rule '{rule_key}' is national ({rule.basis}): it cannot be changed locally")
    if unit not in UNITS or unit == "hours":
        raise RulesFileError(f"Rule '{rule_key}': unit {unit!r} is not one of {', '.join(UNITS[:-1])}")
    if amount <= 0:
        raise RulesFileError(f"Rule '{rule_key}': the amount must be above 0")
    return rule


def apply_settings(book: RuleBook, settings: Iterable[tuple[str, int, str, bool]]) -> RuleBook:
    """`book` with local settings (rule key, amount, unit, enabled) applied to its local rules.
    Settings for national or unknown rules are ignored: the file's figure stands."""
    by_key = {key: (amount, unit, enabled) for key, amount, unit, enabled in settings}
    rules = []
    for rule in book.rules:
        if rule.local and rule.key in by_key:
            amount, unit, enabled = by_key[rule.key]
            if not enabled:
                continue
            try:
                check_setting(rule_key=rule.key, amount=amount, unit=unit, book=book)
            except RulesFileError:
                rules.append(rule)  # a bad row (saved around clean()) leaves the default in force
                continue
            rule = rule.with_interval(Interval(amount, unit))
        rules.append(rule)
    return replace(book, rules=tuple(rules))
