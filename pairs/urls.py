from django.urls import path

from . import views

app_name = "pairs"

# Included under o/<slug:org_slug>/programmes/<int:programme_id>/. Each form posts to a URL of
# its own; the pages themselves only answer GET.
urlpatterns = [
    path("candidates/", views.candidates, name="candidates"),
    path("candidates/<int:profile_id>/", views.candidate, name="candidate"),
    path("candidates/<int:profile_id>/notes/", views.add_note, name="add_note"),
    path(
        "candidates/<int:profile_id>/data-export/",
        views.prepare_data_export,
        name="prepare_data_export",
    ),
    path("candidates/<int:profile_id>/decision/", views.record_decision, name="record_decision"),
    path(
        "candidates/<int:profile_id>/decision/words/",
        views.suggest_words,
        name="suggest_words",
    ),
    path("candidates/decide/", views.decide_candidates, name="decide_candidates"),
    path("review/", views.review, name="review"),
    path("applications/open/", views.open_applications, name="open_applications"),
    path("applications/close/", views.close_applications, name="close_applications"),
    path("matching/", views.matching, name="matching"),
    path("matching/run/", views.run_matching, name="run_matching"),
    path("matching/swap/", views.swap_pairs, name="swap_pairs"),
    path("matching/by-hand/", views.pair_by_hand, name="pair_by_hand"),
    path("matching/publish/", views.publish, name="publish"),
    path("matching/<int:pair_id>/lock/", views.lock_pair, name="lock_pair"),
    path("matching/<int:pair_id>/unlock/", views.unlock_pair, name="unlock_pair"),
    path("matching/<int:pair_id>/forbid/", views.forbid_pair, name="forbid_pair"),
    path("pairs/", views.dashboard, name="pairs"),
    path("pairs/export.csv", views.export, name="export"),
    path("pairs/<int:pair_id>/", views.pair_detail, name="pair"),
    path("pairs/<int:pair_id>/status/", views.set_pair_status, name="set_pair_status"),
    path("pairs/<int:pair_id>/steward/", views.set_steward, name="set_steward"),
    path(
        "pairs/<int:pair_id>/concerns/<int:concern_id>/",
        views.act_on_concern,
        name="act_on_concern",
    ),
    path("me/", views.my_profile, name="my_profile"),
    path("me/profile/", views.save_profile, name="save_profile"),
    path("me/diversity/", views.save_diversity, name="save_diversity"),
    path("me/diversity/withdraw/", views.withdraw_diversity, name="withdraw_diversity"),
    path("me/pair/", views.partnership, name="my_pair"),
    path("me/pair/agreement/", views.propose_agreement, name="propose_agreement"),
    path(
        "me/pair/agreement/<int:version>/confirm/",
        views.confirm_agreement,
        name="confirm_agreement",
    ),
    path("me/pair/goals/", views.add_goal, name="add_goal"),
    path("me/pair/goals/<int:goal_id>/remove/", views.remove_goal, name="remove_goal"),
    path("me/pair/meetings/", views.log_meeting, name="log_meeting"),
    path(
        "me/pair/meetings/<int:meeting_id>/reflection/",
        views.save_reflection,
        name="save_reflection",
    ),
    path("me/pair/meetings/<int:meeting_id>/pulse/", views.send_pulse, name="send_pulse"),
    path("me/pair/concerns/", views.raise_concern, name="raise_concern"),
    path("steering/pairs/", views.my_pairs, name="my_pairs"),
    path("steering/pairs/<int:pair_id>/checkin/", views.log_checkin, name="log_checkin"),
]
