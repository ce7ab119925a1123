"""The establishment pages, included at /workforce/ (config/urls.py). A team, post or worker is
chosen with a query parameter (?team=, ?post=, ?worker=), never a path parameter."""

from django.urls import path

from .views import census, frequency, overview, people, posts, pulse

app_name = "workforce"

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("behind/", overview.behind, name="behind"),
    path("team/", posts.team, name="team"),
    path("post/", posts.post, name="post"),
    path("post/filling/", posts.filling, name="filling"),
    path("starter/", people.starter, name="starter"),
    path("worker/", people.worker, name="worker"),
    path("worker/terms/", people.terms, name="terms"),
    path("worker/leaving/", people.leaver, name="leaver"),
    path("worker/registration/", people.registration, name="registration"),
    path("census-return/", census.census_return, name="census_return"),
    path("pulse/", pulse.pulse, name="pulse"),
    path("pulse/results/", pulse.pulse_results_page, name="pulse_results"),
    path("worker/supervision-frequency/", frequency.supervision_frequency, name="supervision_frequency"),
]
