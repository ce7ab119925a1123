"""The home page: what the signed-in user may open in Grip, offered by grip.web.pages.navigation
(signing in and out is in grip.accounts)."""

from django.shortcuts import render

from grip.access.decorators import SIGNED_IN, access_rule
from grip.web.pages.navigation import home_offers


@access_rule(SIGNED_IN)
def home(request):
    return render(request, "home.html", {"offers": home_offers(request.user)})
