from django import forms

from organisations.forms import Form, ModelForm
from programmes.forms import DateInput
from programmes.models import SuccessMeasure

from .models import (
    TWO_CHOICES,
    WRITE_THE_QUESTION,
    HardMeasure,
    MeasureGroup,
    Question,
    QuestionKind,
    Survey,
)


class SurveyForm(ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "kind", "audience", "intro", "opens_on", "closes_on"]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "intro": forms.Textarea(attrs={"rows": 3}),
        }


class HardMeasureForm(ModelForm):
    """A hard measure; its rules (dates in order, percentages 0-100, whole counts) are the
    model's `clean`, each said next to its field."""

    success_measure = forms.ModelChoiceField(
        queryset=SuccessMeasure.objects.none(),  # the programme's, set in __init__
        required=False,
        empty_label="None of them",
        label="Success measure",
        help_text="The success measure of the programme's purpose this figure shows, if any.",
    )

    class Meta:
        model = HardMeasure
        fields = [
            "name",
            "success_measure",
            "group",
            "group_detail",
            "unit",
            "unit_label",
            "before_value",
            "before_on",
            "after_value",
            "after_on",
            "source",
            "note",
        ]
        widgets = {
            "before_on": DateInput(),
            "after_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["success_measure"].queryset = SuccessMeasure.objects.filter(
            programme=self.instance.programme
        )


class MeasureFilterForm(Form):
    group = forms.ChoiceField(
        label="Measured for", choices=[("", "Any group"), *MeasureGroup.choices], required=False
    )


class QuestionForm(ModelForm):
    choices_text = forms.CharField(
        label="Choices",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Choice questions only: one choice per line, at least two.",
    )

    class Meta:
        model = Question
        fields = ["text", "kind", "required", "category", "key"]
        labels = {"text": "Question", "required": "Required: respondents must answer it"}
        help_texts = {
            "category": "Groups the results in the evaluation report.",
            "key": "Optional. The same key on a question of the baseline and of the evaluation "
            "survey measures the change between them; letters, numbers, - and _.",
        }
        error_messages = {"text": {"required": WRITE_THE_QUESTION}}
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    field_order = ["text", "kind", "choices_text", "required", "category", "key"]

    def __init__(self, *args: object, paired_with: str = "", **kwargs: object) -> None:
        """`paired_with`: the partner survey a question is paired with; its key and kind stay
        (the service refuses a change to them whatever is posted)."""
        super().__init__(*args, **kwargs)
        self.fields["key"].label = "Pairing key"
        if not self.instance.kind:
            self.initial["kind"] = QuestionKind.AGREE  # a new question: the commonest kind
        if self.instance.pk and self.instance.choices:
            self.fields["choices_text"].initial = "\n".join(self.instance.choices)
        stays = f"Stays as it is: “{paired_with}” asks this question the same way."
        for name in ("kind", "key") if paired_with else ():
            self.fields[name].disabled = True
            self.fields[name].help_text = stays
        if paired_with and self.instance.kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            del self.fields["choices_text"]  # its kind stays, and takes no choices

    def clean_text(self) -> str:
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise forms.ValidationError(WRITE_THE_QUESTION)
        return text

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        typed = cleaned.get("choices_text") or ""
        choices = [c.strip() for c in typed.splitlines() if c.strip()]
        if cleaned.get("kind") in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            twice = sorted({c for c in choices if choices.count(c) > 1})
            if len(choices) < 2:
                self.add_error("choices_text", TWO_CHOICES)
            elif twice:
                message = f"Give each choice once: “{twice[0]}” is there twice."
                self.add_error("choices_text", message)
        cleaned["choices"] = choices
        return cleaned

    def values(self) -> dict[str, object]:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        data["choices"] = self.cleaned_data["choices"]
        return data


def answer_field(question: Question) -> forms.Field:
    """The form field a respondent answers a question with."""
    common = {"label": question.text, "required": False}
    if question.kind == QuestionKind.AGREE:
        return forms.TypedChoiceField(
            choices=[(n, str(n)) for n in range(1, 6)],
            coerce=int,
            widget=forms.RadioSelect,
            help_text="1 = strongly disagree, 5 = strongly agree",
            **common,
        )
    if question.kind == QuestionKind.SCALE10:
        return forms.TypedChoiceField(
            choices=[(n, str(n)) for n in range(0, 11)],
            coerce=int,
            widget=forms.RadioSelect,
            help_text="0 = not at all, 10 = completely",
            **common,
        )
    if question.kind == QuestionKind.SINGLE:
        return forms.ChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common
        )
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choices],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)


QUOTE_LABEL = "You may quote this answer anonymously in results and reports"
QUOTE_HELP = (
    "Without this tick nobody else ever reads your words; they only count towards how many "
    "people wrote an answer."
)


def quote_field_name(question: Question) -> str:
    return f"q{question.pk}_quote"


class ResponseForm(Form):
    """One field per question; each free-text question is followed by its quoting consent."""

    def __init__(self, *args: object, questions: list[Question], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            field = answer_field(question)
            if question.required:
                field.label = f"{question.text} *"
            self.fields[f"q{question.pk}"] = field
            if question.kind == QuestionKind.TEXT:
                self.fields[quote_field_name(question)] = forms.BooleanField(
                    label=QUOTE_LABEL, help_text=QUOTE_HELP, required=False
                )

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def fields_with_errors(self) -> list[forms.BoundField]:
        """For the error summary, which links to each field that needs attention."""
        return [field for field in self if field.errors]

    def quotable(self) -> set[int]:
        """The free-text questions whose answer the respondent allows to be quoted."""
        return {
            q.pk
            for q in self.questions
            if q.kind == QuestionKind.TEXT and self.cleaned_data.get(quote_field_name(q))
        }
