"""Grip's page views: the home page, offering what the user may open (grip.web.navigation; signing
in and out is in grip.accounts)."""

from django.shortcuts import render

from grip.access.decorators import SIGNED_IN, access_rule
from grip.web.navigation import home_offers


@access_rule(SIGNED_IN)
def home(request):
    return render(request, "home.html", {"offers": home_offers(request.user)})
