"""The Jinja2 environment for Grip's templates (TEMPLATES OPTIONS "environment"): where templates
are found, and the filters and globals every template may use.

Templates are found in each app's ``jinja2/`` directory (Django's loader, APP_DIRS) and, under the
``govuk_frontend_jinja/`` prefix, in the govuk-frontend-jinja package, so templates can do::

    {% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}
    {% extends "govuk_frontend_jinja/template.html" %}

Filters: ``long_date``, ``short_date``, ``when`` and ``duration`` (grip.core.formatting).
Globals: ``url``, ``static``, ``label`` (a code's label), ``stage_tags`` (the GOV.UK tag of each
stage of a child's involvement), ``error_of`` and ``value_of`` (grip.web.toolkit.forms),
``opening_fields`` and ``authority_name``. Django's Jinja2 backend adds ``request``, ``csrf_input``
and ``csrf_token``; the service navigation comes from a context processor
(grip.web.pages.navigation.context), as the pages sit beside this module, not below it.
"""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, Undefined

from grip.access.opening import opening_fields
from grip.cases.selectors import STAGE_LABELS
from grip.core.codelists import label
from grip.core.formatting import duration, long_date, short_date, when
from grip.web.toolkit.forms import error_of, value_of

# GOV.UK tag colour of each stage, the same on every page.
STAGE_TAG_CLASSES = {
    "looked_after": "govuk-tag--purple",
    "child_protection": "govuk-tag--orange",
    "child_in_need": "govuk-tag--blue",
    "care_leaver": "govuk-tag--turquoise",
    "early_help": "govuk-tag--green",
    "contact": "govuk-tag--light-blue",
    "closed": "govuk-tag--grey",
    "no_involvement": "govuk-tag--grey",
}
STAGE_TAGS = {stage: {"text": text, "classes": STAGE_TAG_CLASSES[stage]} for stage, text in STAGE_LABELS.items()}


def url(viewname: str, *args, **kwargs) -> str:
    """``{{ url("web:child-search") }}``; positional and keyword URL arguments are passed on."""
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    app_loader = options.pop("loader")
    options["loader"] = ChoiceLoader(
        [
            app_loader,
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    options["autoescape"] = True
    # The GOV.UK macros test and print optional params freely; Django's DEBUG default
    # (DebugUndefined) would print "{{ no such element }}" into the page.
    options["undefined"] = Undefined
    env = Environment(**options)
    env.filters.update(long_date=long_date, short_date=short_date, when=when, duration=duration)
    env.globals.update(
        static=static,
        url=url,
        label=label,
        stage_tags=STAGE_TAGS,
        error_of=error_of,
        value_of=value_of,
        opening_fields=opening_fields,  # the reason a restricted record was opened with, carried on
        authority_name=settings.GRIP_AUTHORITY_NAME,
    )
    return env
