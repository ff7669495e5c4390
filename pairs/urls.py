from django.urls import path

from . import views

app_name = "pairs"

# Included under o/<slug:org_slug>/programmes/<int:programme_id>/.
urlpatterns = [
    path("candidates/", views.candidates, name="candidates"),
    path("candidates/<int:profile_id>/", views.candidate, name="candidate"),
    path("review/", views.review, name="review"),
    path("applications/", views.applications, name="applications"),
    path("matching/", views.matching, name="matching"),
    path("matching/publish/", views.publish, name="publish"),
    path("matching/<int:pair_id>/", views.proposal, name="proposal"),
    path("pairs/", views.dashboard, name="pairs"),
    path("pairs/export.csv", views.export, name="export"),
    path("pairs/<int:pair_id>/", views.pair_detail, name="pair"),
    path("me/", views.my_profile, name="my_profile"),
    path("me/pair/", views.partnership, name="my_pair"),
    path("steering/pairs/", views.my_pairs, name="my_pairs"),
]
