"""Grip's page views: the dashboard, sign in and out, and the child search page."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    return render(request, "home.html")


@login_required
def child_search(request):
    q = request.GET.get("q", "").strip()
    results: list = []
    return render(request, "child_search.html", {"q": q, "results": results})


class LoginView(auth_views.LoginView):
    template_name = "login.html"
    redirect_authenticated_user = True
