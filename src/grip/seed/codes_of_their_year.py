"""Codes as they were in the year a seeded record belongs to.

The generator draws today's codes (reference/seed/parameters.toml). A record dated in a year when
the code did not exist yet is given the code it replaced, so that every seeded record passes the
model's check that a code is valid in its own collection year (grip.core.codelists.check_valid_on).
"""

from __future__ import annotations

from datetime import date

from grip.core.codelists import codelist, collection_year

# placement_type: K3 (supported accommodation registered with Ofsted, 16-17) is first listed for
# 2024-25 (csc-validator-be-903 rule 146; reference/codelists/index.toml). Before it a young person
# in supported accommodation was recorded as H5 (semi-independent living accommodation not subject
# to children's homes regulations), the code the regulation of that accommodation replaced.
EARLIER_CODE = {"placement_type": {"K3": "H5"}}


def of_its_year(list_name: str, code: str, on: date) -> str:
    """`code`, or the code it replaced if `code` was not yet valid in the collection year of `on`."""
    if codelist(list_name).valid_in(code, collection_year(on)):
        return code
    return EARLIER_CODE.get(list_name, {}).get(code, code)
