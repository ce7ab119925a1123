"""The Jinja2 environment for Grip's templates (TEMPLATES OPTIONS "environment").

Templates are found in each app's ``jinja2/`` directory (Django's loader, APP_DIRS) and, under the
``govuk_frontend_jinja/`` prefix, in the govuk-frontend-jinja package, so templates can do::

    {% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}
    {% extends "govuk_frontend_jinja/template.html" %}

Django's Jinja2 backend adds ``request``, ``csrf_input`` and ``csrf_token`` to every context.
"""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, Undefined

from grip.access.opening import opening_fields
from grip.web.navigation import navigation


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
    env.globals.update(
        static=static,
        url=url,
        service_navigation=navigation,
        opening_fields=opening_fields,  # the reason a restricted record was opened with, carried on
        authority_name=settings.GRIP_AUTHORITY_NAME,
    )
    return env
