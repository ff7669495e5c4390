"""The survey form refuses what the model refuses, beside the field."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from surveys.forms import SurveyForm
from surveys.models import CLOSES_BEFORE_OPENING, Survey


@pytest.mark.django_db
def test_the_surveys_own_rule_on_its_dates_is_said_next_to_the_closing_date(programme):
    """The model's validation runs in the form: closing before opening is the model's rule."""
    backwards = {"opens_on": date(2027, 2, 10), "closes_on": date(2027, 2, 1)}
    with pytest.raises(ValidationError) as refused:
        Survey(programme=programme, title="Backwards", **backwards).full_clean()
    assert refused.value.message_dict == {"closes_on": [CLOSES_BEFORE_OPENING]}
    form = SurveyForm(
        {"title": "Backwards", "kind": "custom", "audience": "everyone", **backwards},
        instance=Survey(programme=programme),
    )
    assert form.errors == {"closes_on": [CLOSES_BEFORE_OPENING]}
