"""Long lists shown a page at a time, with the GOV.UK pagination component under them.

`page_of` cuts a list or query into pages with Django's Paginator: a page number that is not a
number (or is below 1) is the first page, one past the end is the last. `page_links` gives the component's
parameters (previous, next, and the page numbers around this one, with "⋯" between); a list too
big to count (the audit log) has only previous and next: `previous_next_links`. Templates render
either with the one macro, ``{% from "toolkit/pagination.html" import pagination %}``.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator

ON_EACH_SIDE = 2  # page numbers shown either side of the current page
ON_ENDS = 1  # page numbers always shown at each end


def page_of(items, *, number, per_page: int) -> Page:
    """The page numbered `number` (from the query string, so anything) of `items`: the first page
    for no number, not a number, or one below 1; the last page for one past the end."""
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    return Paginator(items, per_page).get_page(number)


def page_href(query: str, number: int) -> str:
    """The link to page `number` of the list the query string `query` (without `page`) asks for."""
    return f"?{query}&page={number}" if query else f"?page={number}"


def page_links(page: Page, query: str = "") -> dict | None:
    """govukPagination parameters for a page of a counted list; None when there is only one page."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None
    items = [
        {"ellipsis": True}
        if number == paginator.ELLIPSIS
        else {"number": number, "href": page_href(query, number), "current": number == page.number}
        for number in paginator.get_elided_page_range(page.number, on_each_side=ON_EACH_SIDE, on_ends=ON_ENDS)
    ]
    return {
        "previous": {"href": page_href(query, page.previous_page_number())} if page.has_previous() else None,
        "next": {"href": page_href(query, page.next_page_number())} if page.has_next() else None,
        "items": items,
    }


def previous_next_links(*, number: int, has_previous: bool, has_next: bool, query: str = "") -> dict | None:
    """govukPagination parameters for a list that is not counted: previous and next only."""
    if not (has_previous or has_next):
        return None
    return {
        "previous": {"href": page_href(query, number - 1)} if has_previous else None,
        "next": {"href": page_href(query, number + 1)} if has_next else None,
    }
