"""The day a child becomes eligible, against a day-by-day count written from the Act and the
regulations (Children Act 1989 Sch 2 para 19B(2); CPPCR 2010 reg 40), for any run of episodes."""

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from grip.core.calendar import add_months
from grip.timescales.eligibility import eligible_children
from grip.timescales.events import Frame


def birthday(birth: date, years: int) -> date:
    return add_months(birth, 12 * years)


def by_hand(birth: date, episodes: list[tuple[date, date | None, bool]], on: date) -> date | None:
    """Walk the days: eligible on the first day aged 16 or 17, looked after (not on a short break),
    having been looked after (not on short breaks) on 91 days since the 14th birthday before it."""
    counted = 0
    day = birthday(birth, 14)
    while day <= on:
        in_care = any(s <= day and (e is None or day < e) and not brk for s, e, brk in episodes)
        if in_care and birthday(birth, 16) <= day < birthday(birth, 18) and counted >= 91:
            return day
        counted += in_care
        day += timedelta(days=1)
    return None


@st.composite
def histories(draw):
    birth = draw(st.dates(min_value=date(2005, 1, 1), max_value=date(2012, 12, 31)))
    day = birth + timedelta(days=draw(st.integers(min_value=12 * 365, max_value=17 * 365)))
    episodes = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        day += timedelta(days=draw(st.sampled_from([0, 0, 1, 30, 200])))  # gap (0: the next episode)
        length = draw(st.integers(min_value=1, max_value=400))
        episodes.append((day, day + timedelta(days=length), draw(st.booleans()) and draw(st.booleans())))
        day += timedelta(days=length)
    if draw(st.booleans()):
        s, _e, brk = episodes[-1]
        episodes[-1] = (s, None, brk)  # still looked after
    on = episodes[0][0] + timedelta(days=draw(st.integers(min_value=0, max_value=2000)))
    return birth, episodes, on


def frame(birth: date, episodes, on: date) -> Frame:
    known = [(s, e if e is not None and e <= on else None, brk) for s, e, brk in episodes if s <= on]
    n = len(known)
    return Frame(
        id=np.arange(n, dtype=np.int64),
        owner=np.ones(n, dtype=np.int64),
        day=np.array([s for s, _e, _b in known], dtype="datetime64[D]"),
        until=np.array([e if e is not None else "NaT" for _s, e, _b in known], dtype="datetime64[D]"),
        birth=np.array([birth] * n, dtype="datetime64[D]"),
        attrs={
            "legal_status": np.array(["V3" if b else "C2" for _s, _e, b in known], dtype=str),
            "placement_type": np.array(["U4"] * n, dtype=str),
        },
    ), known


@settings(max_examples=300, deadline=None)
@given(histories())
def test_the_eligible_day_is_the_first_day_the_law_makes_the_child_eligible(history):
    birth, episodes, on = history
    found, known = frame(birth, episodes, on)
    if not len(found):
        return
    eligible = eligible_children(found, np.array([""] * len(found), dtype=str), on=np.datetime64(on, "D"))

    expected = by_hand(birth, known, on)
    got = eligible.day[0].astype(date) if len(eligible) else None
    assert got == expected
