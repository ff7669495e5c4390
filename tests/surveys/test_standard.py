"""The standard surveys every programme starts with."""

import pytest

from surveys.models import Survey, SurveyKind


@pytest.mark.django_db
def test_a_programme_starts_with_the_three_standard_surveys(programme):
    kinds = set(Survey.objects.filter(programme=programme).values_list("kind", flat=True))
    assert kinds == {SurveyKind.BASELINE, SurveyKind.INITIAL, SurveyKind.EVALUATION}
    evaluation = Survey.objects.get(programme=programme, kind=SurveyKind.EVALUATION)
    texts = " ".join(evaluation.questions.values_list("text", flat=True))
    assert "belonged in the room" in texts and "present yourself at your best" in texts
    categories = set(evaluation.questions.values_list("category", flat=True))
    assert {
        "learning",
        "career",
        "enabling",
        "emotional",
        "reciprocal",
        "organisational",
    } <= categories
