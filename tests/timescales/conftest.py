import pytest

from grip.core.calendar import authority_calendar
from grip.timescales.rules import rule_book


@pytest.fixture(autouse=True)
def fresh_caches():
    # A LocalClosureDay made (and rolled back) in one test must not stay in the cached calendar.
    authority_calendar.cache_clear()
    rule_book.cache_clear()
    yield
    authority_calendar.cache_clear()
    rule_book.cache_clear()
