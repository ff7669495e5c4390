"""What surveys hold about a person: their own responses. Erased, a response stays linked to
nobody, so every aggregate stays true; only what they wrote in their own words goes."""

from organisations.models import Organisation, User
from organisations.personal_data import Erasure, Records, record

from .models import Answer, QuestionKind, Response


def surveys_export(organisation: Organisation, person: User) -> dict[str, Records]:
    responses = Response.objects.filter(
        survey__programme__organisation=organisation, respondent=person
    ).select_related("survey")
    answers = Answer.objects.filter(response__in=responses).select_related("question")
    by_response: dict[int, Records] = {}
    for answer in answers.order_by("question__position", "question_id"):
        by_response.setdefault(answer.response_id, []).append(
            {
                "question": answer.question.text,
                "answer": answer.value,
                "may_quote": answer.may_quote,
            }
        )
    return {
        "Your survey answers": [
            record(
                r,
                "side",
                "submitted_at",
                survey=r.survey.title,
                answers=by_response.get(r.pk, []),
            )
            for r in responses
        ]
    }


def surveys_erase(erasure: Erasure) -> int:
    responses = erasure.rows(Response.objects, "survey__programme", "respondent")
    own_words = Answer.objects.filter(response__in=responses, question__kind=QuestionKind.TEXT)
    touched = own_words.update(value="", may_quote=False)
    return touched + responses.update(respondent=None)
