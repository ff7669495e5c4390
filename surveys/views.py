import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from organisations.permissions import requires
from programmes.permissions import Perm

from .forms import (
    HardMeasureForm,
    MeasureFilterForm,
    QuestionForm,
    ResponseForm,
    SurveyForm,
    quote_field_name,
)
from .models import (
    Answer,
    HardMeasure,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyKind,
)
from .selectors import (
    free_text_result,
    hard_measures_of,
    paired_questions,
    questions_locked_because,
    submitted_count,
    survey_results,
    survey_threshold,
    surveys_for,
    surveys_with_completion,
)
from .services import (
    MAX_QUESTIONS,
    MissingAnswers,
    QuestionsLocked,
    SurveyError,
    hard_measure_delete,
    hard_measure_save,
    is_for,
    question_delete,
    question_move,
    question_save,
    response_save,
    survey_save,
)


def _survey(request: HttpRequest, survey_id: int) -> Survey:
    survey = get_object_or_404(Survey.objects.filter(programme=request.programme), pk=survey_id)
    survey.programme = request.programme  # its threshold and time zone without more queries
    return survey


@requires(Perm.VIEW_PROGRAMME, post=Perm.EDIT_PROGRAMME)
def surveys(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """Those who run the programme build surveys and see completion; everyone else answers."""
    runs = Perm.EDIT_PROGRAMME in request.programme_perms
    form = SurveyForm(request.POST or None, instance=Survey(programme=request.programme))
    if request.method == "POST" and form.is_valid():
        survey = survey_save(programme=request.programme, values=form.cleaned_data)
        messages.success(request, f"“{survey}” created. Add its questions.")
        return redirect(
            "surveys:edit", org_slug=org_slug, programme_id=programme_id, survey_id=survey.pk
        )
    sees_all = runs or Perm.SURVEY_RESULTS in request.programme_perms
    return render(
        request,
        "surveys/list.html",
        {
            "tab": "surveys",
            "runs": runs,
            "form": form,
            "all_surveys": surveys_with_completion(request.programme) if sees_all else [],
            "mine": surveys_for(request.programme, request.user),
            "today": timezone.localdate(),
            "sees_completion": Perm.SURVEY_RESULTS in request.programme_perms,
        },
        status=400 if form.errors else 200,
    )


def _edit_page(
    request: HttpRequest,
    survey: Survey,
    *,
    survey_form: SurveyForm | None = None,
    question_form: QuestionForm | None = None,
    refusal: SurveyError | None = None,
) -> HttpResponse:
    """The survey builder; a refused form is shown as it was sent (400), and a change to the
    questions of a survey that has opened is refused (409), saying why."""
    locked = questions_locked_because(survey)
    questions = _with_partners(survey)
    if isinstance(refusal, QuestionsLocked) or (question_form and locked):
        status = 409
    else:
        status = 400 if survey_form or question_form or refusal else 200
    return render(
        request,
        "surveys/edit.html",
        {
            "tab": "surveys",
            "survey": survey,
            "survey_form": survey_form or SurveyForm(instance=survey),
            "question_form": question_form or QuestionForm(instance=Question(survey=survey)),
            "questions": questions,
            "any_paired": any(partner for _, partner in questions),
            "locked": locked,
            "refusal": str(refusal) if refusal else "",
            "most_questions": MAX_QUESTIONS,
        },
        status=status,
    )


def _with_partners(survey: Survey) -> list[tuple[Question, Question | None]]:
    """Each question with the partner survey's question it is paired with, if any."""
    paired = paired_questions(survey)
    return [(q, paired.get(q.key)) for q in Question.objects.filter(survey=survey)]


def _back_to_edit(survey: Survey, org_slug: str, question: Question | None = None) -> HttpResponse:
    url = reverse("surveys:edit", args=[org_slug, survey.programme_id, survey.pk]) + (
        f"#question-{question.pk}" if question else ""
    )
    return redirect(url)


def _question(survey: Survey, question_id: int) -> Question:
    question = get_object_or_404(Question.objects.filter(survey=survey), pk=question_id)
    question.survey = survey
    return question


def _form_error(form: QuestionForm, error: SurveyError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


@requires(Perm.EDIT_PROGRAMME)
def edit(request: HttpRequest, org_slug: str, programme_id: int, survey_id: int) -> HttpResponse:
    return _edit_page(request, _survey(request, survey_id))


@requires(post=Perm.EDIT_PROGRAMME)
def save(request: HttpRequest, org_slug: str, programme_id: int, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id)
    # The form checks a copy: the page around it shows the survey as saved.
    form = SurveyForm(request.POST, instance=copy.copy(survey))
    if form.is_valid():
        try:
            survey_save(programme=request.programme, values=form.cleaned_data, survey=survey)
        except SurveyError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, "Survey saved.")
            return _back_to_edit(survey, org_slug)
    return _edit_page(request, survey, survey_form=form)


@requires(post=Perm.EDIT_PROGRAMME)
def add_question(
    request: HttpRequest, org_slug: str, programme_id: int, survey_id: int
) -> HttpResponse:
    survey = _survey(request, survey_id)
    form = QuestionForm(request.POST, instance=Question(survey=survey))
    if form.is_valid():
        try:
            question = question_save(survey=survey, values=form.values())
        except QuestionsLocked as error:
            return _edit_page(request, survey, refusal=error)
        except SurveyError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Question added.")
            return _back_to_edit(survey, org_slug, question)
    return _edit_page(request, survey, question_form=form)


@requires(Perm.EDIT_PROGRAMME, post=Perm.EDIT_PROGRAMME)
def question(
    request: HttpRequest, org_slug: str, programme_id: int, survey_id: int, question_id: int
) -> HttpResponse:
    """Change one question before the survey opens."""
    survey = _survey(request, survey_id)
    question = _question(survey, question_id)
    # The form changes a copy: the page shows the question as saved until it saves.
    partner = paired_questions(survey).get(question.key)
    form = QuestionForm(
        request.POST or None,
        instance=copy.copy(question),
        prefix="edit",
        paired_with=str(partner.survey) if partner else "",
    )
    locked = questions_locked_because(survey)
    if request.method == "POST" and not locked and form.is_valid():
        try:
            question_save(survey=survey, values=form.values(), question=question)
        except QuestionsLocked as error:
            locked = str(error)
        except SurveyError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Question saved.")
            return _back_to_edit(survey, org_slug, question)
    status = 409 if request.method == "POST" and locked else 400 if form.errors else 200
    return render(
        request,
        "surveys/question.html",
        {
            "tab": "surveys",
            "survey": survey,
            "question": question,
            "number": question.position + 1,  # positions run 0, 1, 2...
            "form": form,
            "locked": locked,
            "partner": partner,
        },
        status=status,
    )


@requires(post=Perm.EDIT_PROGRAMME)
def remove_question(
    request: HttpRequest, org_slug: str, programme_id: int, survey_id: int, question_id: int
) -> HttpResponse:
    survey = _survey(request, survey_id)
    question = _question(survey, question_id)
    try:
        question_delete(question=question)
    except SurveyError as error:
        return _edit_page(request, survey, refusal=error)
    messages.success(request, f"Question removed: “{question.text}”.")
    return _back_to_edit(survey, org_slug)


@requires(post=Perm.EDIT_PROGRAMME)
def move_question(
    request: HttpRequest, org_slug: str, programme_id: int, survey_id: int, question_id: int
) -> HttpResponse:
    """Move a question one place up or down (`direction`); works without JavaScript."""
    survey = _survey(request, survey_id)
    question = _question(survey, question_id)
    direction = request.POST.get("direction")
    try:
        if direction not in ("up", "down"):
            raise SurveyError("Say whether to move the question up or down.")
        position = question_move(question=question, direction=direction)
    except SurveyError as error:
        return _edit_page(request, survey, refusal=error)
    messages.success(request, f"Question moved {direction}: it is now question {position + 1}.")
    return _back_to_edit(survey, org_slug, question)


@requires(Perm.EDIT_PROGRAMME)
def preview(request: HttpRequest, org_slug: str, programme_id: int, survey_id: int) -> HttpResponse:
    """The survey as a respondent sees it, on the same page and form, with nothing to send."""
    survey = _survey(request, survey_id)
    form = ResponseForm(questions=list(Question.objects.filter(survey=survey)))
    return _respond_page(request, survey, form, preview=True)


def _respond_page(
    request: HttpRequest,
    survey: Survey,
    form: ResponseForm,
    *,
    preview: bool = False,
    response: Response | None = None,
    my_answers: list[tuple[str, str, str]] | None = None,
) -> HttpResponse:
    return render(
        request,
        "surveys/respond.html",
        {
            "tab": "surveys",
            "survey": survey,
            "form": form,
            "preview": preview,
            "sent": bool(response and response.submitted_at),
            "open": preview or survey.is_open(),
            "threshold": survey_threshold(survey),
            "my_answers": my_answers or [],
        },
        status=400 if form.errors else 200,
    )


@requires(Perm.VIEW_PROGRAMME, post=Perm.VIEW_PROGRAMME)
def respond(request: HttpRequest, org_slug: str, programme_id: int, survey_id: int) -> HttpResponse:
    """Answer a survey: save a draft and come back, or send. One response per person."""
    survey = _survey(request, survey_id)
    if not is_for(survey, request.user):
        raise Http404("This survey is not for you.")  # as a resource of another audience
    questions = list(Question.objects.filter(survey=survey))
    response = Response.objects.filter(survey=survey, respondent=request.user).first()
    mine = {a.question_id: a for a in Answer.objects.filter(response=response)} if response else {}
    saved = _saved_fields(questions, mine)
    form = ResponseForm(
        request.POST if request.method == "POST" else None, questions=questions, initial=saved
    )
    if request.method == "POST" and form.is_valid():
        submit = "send" in request.POST
        try:
            response_save(
                survey=survey,
                respondent=request.user,
                answers=form.answers(),
                quotable=form.quotable(),
                submit=submit,
            )
        except MissingAnswers as error:
            form.add_error(None, str(error))
            for question_id in error.question_ids:
                form.add_error(f"q{question_id}", "Answer this question to send.")
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Thank you: your answers are sent."
                if submit
                else "Draft saved; come back any time.",
            )
            return redirect("surveys:list", org_slug=org_slug, programme_id=programme_id)
    my_answers = [_my_answer(q, mine[q.pk]) for q in questions if q.pk in mine]
    return _respond_page(request, survey, form, response=response, my_answers=my_answers)


QUOTES_SHOWN = 10  # of each question on the results page; all of them on its own pages
QUOTES_PAGE_SIZE = 50


def _results_pending(request: HttpRequest, survey: Survey) -> HttpResponse:
    return render(
        request,
        "surveys/results_pending.html",
        {"tab": "surveys", "survey": survey, "submitted": submitted_count(survey)},
    )


@requires(Perm.SURVEY_RESULTS)
def results(request: HttpRequest, org_slug: str, programme_id: int, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id)
    if not survey.has_closed():
        return _results_pending(request, survey)
    outcomes = survey.kind in (SurveyKind.BASELINE, SurveyKind.EVALUATION)
    sees_measures = outcomes and Perm.READ_MEASURES in request.programme_perms
    measures = (
        list(hard_measures_of(request.programme)[: PANEL_MEASURES + 1]) if sees_measures else []
    )
    return render(
        request,
        "surveys/results.html",
        {
            "tab": "surveys",
            "results": survey_results(survey),
            "measures": measures[:PANEL_MEASURES],
            "more_measures": len(measures) > PANEL_MEASURES,
            "sees_measures": sees_measures,
            "quotes_shown": QUOTES_SHOWN,
            "first_quotes": f":{QUOTES_SHOWN}",
        },
    )


@requires(Perm.SURVEY_RESULTS)
def quotes(
    request: HttpRequest, org_slug: str, programme_id: int, survey_id: int, question_id: int
) -> HttpResponse:
    """Every answer to a free-text question that the results may quote, a page at a time."""
    survey = _survey(request, survey_id)
    if not survey.has_closed():
        return _results_pending(request, survey)
    question = get_object_or_404(
        Question.objects.filter(survey=survey, kind=QuestionKind.TEXT), pk=question_id
    )
    question.survey = survey
    summary = free_text_result(question)
    return render(
        request,
        "surveys/quotes.html",
        {
            "tab": "surveys",
            "survey": survey,
            "question": question,
            "summary": summary,
            "page": Paginator(summary.quotes, QUOTES_PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )


# --- The organisation's hard measures --------------------------------------------------------

MEASURES_PAGE_SIZE = 25
PANEL_MEASURES = 8  # beside a survey's results; the rest on the hard measures page


def _measure(request: HttpRequest, measure_id: int) -> HardMeasure:
    measure = get_object_or_404(
        HardMeasure.objects.filter(programme=request.programme), pk=measure_id
    )
    measure.programme = request.programme
    return measure


def _saved(request: HttpRequest, form: HardMeasureForm, measure: HardMeasure | None) -> bool:
    """Save a valid form through the service; a rule the service refuses goes beside its field."""
    if not form.is_valid():
        return False
    values = {field: form.cleaned_data[field] for field in HardMeasureForm.Meta.fields}
    try:
        hard_measure_save(programme=request.programme, values=values, measure=measure)
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
        return False
    return True


@requires(Perm.READ_MEASURES, post=Perm.RECORD_MEASURES)
def measures(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """The figures from the organisation's own systems that the purpose named: everyone who
    reads the evaluation report reads them; the coordinator records them."""
    records = Perm.RECORD_MEASURES in request.programme_perms
    form = HardMeasureForm(request.POST or None, instance=HardMeasure(programme=request.programme))
    if request.method == "POST" and _saved(request, form, None):
        messages.success(request, "Hard measure recorded.")
        return redirect("surveys:measures", org_slug=org_slug, programme_id=programme_id)
    filters = MeasureFilterForm(request.GET or None)
    group = filters.cleaned_data["group"] if filters.is_valid() else ""
    page = Paginator(hard_measures_of(request.programme, group=group), MEASURES_PAGE_SIZE)
    return render(
        request,
        "surveys/measures.html",
        {
            "tab": "measures",
            "records": records,
            "form": form,
            "filters": filters,
            "page": page.get_page(request.GET.get("page")),
        },
        status=400 if form.errors else 200,
    )


@requires(Perm.RECORD_MEASURES, post=Perm.RECORD_MEASURES)
def measure_edit(
    request: HttpRequest, org_slug: str, programme_id: int, measure_id: int
) -> HttpResponse:
    measure = _measure(request, measure_id)
    # The form changes a copy: the page shows the measure as saved until it saves.
    form = HardMeasureForm(request.POST or None, instance=copy.copy(measure))
    if request.method == "POST" and _saved(request, form, measure):
        messages.success(request, f"“{measure}” saved.")
        return redirect("surveys:measures", org_slug=org_slug, programme_id=programme_id)
    return render(
        request,
        "surveys/measure_edit.html",
        {"tab": "measures", "measure": measure, "form": form},
        status=400 if form.errors else 200,
    )


@requires(post=Perm.RECORD_MEASURES)
def measure_delete(
    request: HttpRequest, org_slug: str, programme_id: int, measure_id: int
) -> HttpResponse:
    measure = _measure(request, measure_id)
    name = str(measure)
    hard_measure_delete(measure=measure)
    messages.success(request, f"“{name}” deleted.")
    return redirect("surveys:measures", org_slug=org_slug, programme_id=programme_id)


def _saved_fields(questions: list[Question], mine: dict[int, Answer]) -> dict[str, object]:
    """A saved draft as the form's initial data, quoting consent included."""
    saved: dict[str, object] = {}
    for question in questions:
        if question.pk not in mine:
            continue
        saved[f"q{question.pk}"] = mine[question.pk].value
        if question.kind == QuestionKind.TEXT:
            saved[quote_field_name(question)] = mine[question.pk].may_quote
    return saved


def _my_answer(question: Question, answer: Answer) -> tuple[str, str, str]:
    """(question, the respondent's own answer, their quoting choice for free text)."""
    value = answer.value
    readable = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if question.kind != QuestionKind.TEXT:
        return question.text, readable, ""
    quoting = "may be quoted anonymously" if answer.may_quote else "not to be quoted"
    return question.text, readable, quoting
