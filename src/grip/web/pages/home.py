"""The home page: what the signed-in user can do in Grip (signing in and out is in grip.accounts)."""

from django.shortcuts import render

from grip.access.decorators import SIGNED_IN, access_rule


@access_rule(SIGNED_IN)
def home(request):
    return render(request, "home.html", {"can_search_audit_log": request.user.has_perm("audit.search_audit_log")})
