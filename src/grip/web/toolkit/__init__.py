"""The page toolkit every app's views use (issue 13): GOV.UK form fields and their error summary
(`forms`), the one GOV.UK date and time input (`dates`), pagination (`pagination`), the one
dispatcher for pages with several POST actions (`actions`) and the one page renderer (`pages`).

It imports only Django, Jinja2 and grip.core, so any app may use it (see docs/architecture.md).
"""
