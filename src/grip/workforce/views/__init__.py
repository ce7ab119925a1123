"""The establishment pages (issue 15): a team's posts and who fills them, and the forms through
which the managers in charge of a team record posts, starters, leavers, changes of terms,
registration and the ASYE (grip.workforce.services). Who may: MANAGE_THE_ESTABLISHMENT's roles,
each for the teams they are in charge of (teams_managed_by); any other team, post or worker is
"not found". A team, post or worker is chosen with a query parameter (?team=, ?post=, ?worker=):
only a child's `pk` goes in a path (tests/access/discovery.py)."""
