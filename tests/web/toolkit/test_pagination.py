"""Pagination: which page a query string gives, and the GOV.UK component's links (worked out by
hand for each case from the component's guidance: previous, next, the first and last pages, and
the pages either side of this one with "⋯" for the pages left out)."""

import pytest
from django.template import engines

from grip.web.toolkit.pagination import page_links, page_of, previous_next_links

ITEMS = list(range(1, 251))  # 250 items, 100 a page: pages 1 (1-100), 2 (101-200) and 3 (201-250)


@pytest.mark.parametrize(
    ("asked", "page", "first", "last"),
    [
        (None, 1, 1, 100),
        ("2", 2, 101, 200),
        (3, 3, 201, 250),
        ("9", 3, 201, 250),  # past the end: the last page
        ("0", 1, 1, 100),
        ("-2", 1, 1, 100),
        ("two", 1, 1, 100),
        ("", 1, 1, 100),
    ],
)
def test_the_page_asked_for_or_the_nearest_there_is(asked, page, first, last):
    shown = page_of(ITEMS, number=asked, per_page=100)
    assert (shown.number, shown.object_list[0], shown.object_list[-1]) == (page, first, last)


def _numbers(links):
    return ["…" if item.get("ellipsis") else item["number"] for item in links["items"]]


def test_one_page_has_no_pagination():
    assert page_links(page_of(ITEMS[:100], number=1, per_page=100)) is None
    assert page_links(page_of([], number=1, per_page=100)) is None


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        (1, [1, 2, 3, "…", 10]),
        (5, [1, 2, 3, 4, 5, 6, 7, "…", 10]),
        (6, [1, "…", 4, 5, 6, 7, 8, 9, 10]),
        (10, [1, "…", 8, 9, 10]),
    ],
)
def test_ten_pages_show_two_either_side_and_both_ends(number, shown):
    links = page_links(page_of(range(1000), number=number, per_page=100), "stage=looked_after")
    assert _numbers(links) == shown
    assert [item["number"] for item in links["items"] if item.get("current")] == [number]


def test_links_keep_the_query_and_point_at_the_neighbouring_pages():
    links = page_links(page_of(ITEMS, number=2, per_page=100), "metric=received&team=4")
    assert links["previous"] == {"href": "?metric=received&team=4&page=1"}
    assert links["next"] == {"href": "?metric=received&team=4&page=3"}
    assert links["items"][0] == {"number": 1, "href": "?metric=received&team=4&page=1", "current": False}

    first = page_links(page_of(ITEMS, number=1, per_page=100))
    assert first["previous"] is None and first["next"] == {"href": "?page=2"}
    assert page_links(page_of(ITEMS, number=3, per_page=100))["next"] is None


def test_a_list_not_counted_has_previous_and_next_only():
    assert previous_next_links(number=1, has_previous=False, has_next=False) is None
    assert previous_next_links(number=1, has_previous=False, has_next=True, query="verb=viewed") == {
        "previous": None,
        "next": {"href": "?verb=viewed&page=2"},
    }
    assert previous_next_links(number=4, has_previous=True, has_next=False) == {
        "previous": {"href": "?page=3"},
        "next": None,
    }


def test_the_macro_renders_the_govuk_component():
    template = engines["jinja2"].from_string(
        '{% from "toolkit/pagination.html" import pagination %}{{ pagination(links, label="Pages of the list") }}'
    )
    html = template.render({"links": page_links(page_of(ITEMS, number=2, per_page=100), "q=a")})
    assert '<nav class="govuk-pagination" aria-label="Pages of the list"' in html
    assert 'href="?q=a&amp;page=1" rel="prev"' in html and 'href="?q=a&amp;page=3" rel="next"' in html
    assert 'aria-label="Page 2" aria-current="page"' in html
    assert template.render({"links": None}).strip() == ""
