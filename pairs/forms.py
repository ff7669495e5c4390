from collections.abc import Sequence
from datetime import date

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.utils import timezone

from organisations.forms import (
    CanonicalChoices,
    FilterForm,
    Form,
    LoadedRowField,
    ModelForm,
    MultipleRowsField,
)
from organisations.models import User
from organisations.roles import Side
from programmes.forms import DateInput

from .models import (
    PREFER_NOT_TO_SAY,
    TRAITS,
    Agreement,
    CheckInStatus,
    ConcernActionKind,
    Decision,
    DiversityDimension,
    LearningGoal,
    MatchingSettings,
    Meeting,
    Pair,
    PairEvent,
    Profile,
    Pulse,
    RedFlagKind,
    SupervisionWish,
)
from .models.relationships import SCALE
from .pulse import COMMENT_PRIVACY, PULSE_PRIVACY

MAX_CSV_BYTES = 2 * 1024 * 1024
# The most any free text (a note, a one-pager section) may hold; the database would take more.
LONG_TEXT = 10_000


def _max_length(model: type[models.Model], field: str) -> int:
    return model._meta.get_field(field).max_length


def limited_formfield(field: models.Field, **kwargs: object) -> forms.Field | None:
    """A model form's field; free text gets LONG_TEXT as its limit."""
    if isinstance(field, models.TextField):
        kwargs.setdefault("max_length", LONG_TEXT)
    return field.formfield(**kwargs)


class CohortImportForm(Form):
    file = forms.FileField(
        label="Cohort file (CSV)",
        help_text="Columns: name, email, side, department, grade, line_manager_email. Every row "
        "is checked first; if any is wrong, nothing is imported.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB; split the cohort.")
        return upload


class ProfileFilterForm(FilterForm):
    q = forms.CharField(label="Name, e-mail or department", required=False)
    side = forms.ChoiceField(choices=[("", "Both sides"), *Side.choices], required=False)
    decision = forms.ChoiceField(choices=[("", "Any decision"), *Decision.choices], required=False)


class ProfileForm(ModelForm):
    class Meta:
        model = Profile
        formfield_callback = limited_formfield
        fields = [
            "full_name",
            "job_title",
            "department",
            "function",
            "location",
            "hoped_learning",
            "aspirations",
            "openness",
            "values_diversity",
            "curiosity",
            "challenges_status_quo",
            "listening",
            "meeting_preference",
            "availability",
        ]
        labels = {
            "full_name": "Name",
            "openness": "Open and willing to learn and be challenged (1-5)",
            "values_diversity": "Clear about the value of diversity (1-5)",
            "curiosity": "Curious (1-5)",
            "challenges_status_quo": "Willing to challenge the status quo (1-5)",
            "listening": "Able to listen (1-5)",
        }
        widgets = {
            "hoped_learning": forms.Textarea(attrs={"rows": 5}),
            "aspirations": forms.Textarea(attrs={"rows": 5}),
        }

    def clean_grade(self) -> int | None:
        grade = self.cleaned_data["grade"]
        if grade is not None and not 1 <= grade <= 50:
            raise forms.ValidationError("Give a whole number from 1 to 50.")
        return grade


DIVERSITY_OPTIONS: dict[str, list[tuple[str, str]]] = {
    DiversityDimension.GENDER: [
        ("woman", "Woman"),
        ("man", "Man"),
        ("non_binary", "Non-binary"),
        ("self_described", "In another way"),
    ],
    DiversityDimension.ETHNICITY: [
        ("asian", "Asian or Asian British"),
        ("black", "Black, Black British, Caribbean or African"),
        ("mixed", "Mixed or multiple ethnic groups"),
        ("white", "White"),
        ("other", "Another ethnic group"),
    ],
    DiversityDimension.AGE_BAND: [
        ("under_30", "Under 30"),
        ("30_44", "30-44"),
        ("45_59", "45-59"),
        ("60_plus", "60 or over"),
    ],
    DiversityDimension.DISABILITY: [("yes", "Yes"), ("no", "No")],
    DiversityDimension.NEURODIVERGENCE: [("yes", "Yes"), ("no", "No")],
    DiversityDimension.SOCIO_ECONOMIC: [
        ("professional", "Professional background"),
        ("intermediate", "Intermediate background"),
        ("working_class", "Working-class background"),
    ],
    DiversityDimension.SEXUAL_ORIENTATION: [
        ("heterosexual", "Heterosexual"),
        ("lgb", "Gay, lesbian or bisexual"),
        ("other", "In another way"),
    ],
    DiversityDimension.CARING: [("yes", "Yes"), ("no", "No")],
}


class DiversityForm(Form):
    """Every question allows "prefer not to say"; nothing is kept without the consent box."""

    consent = forms.BooleanField(
        label="I give my consent for this one purpose",
        error_messages={"required": "Tick the box to give your consent, or leave this section."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for dimension in DiversityDimension:
            self.fields[dimension.value] = forms.ChoiceField(
                label=dimension.label,
                choices=[
                    ("", "—"),
                    *DIVERSITY_OPTIONS[dimension],
                    (PREFER_NOT_TO_SAY, "Prefer not to say"),
                ],
                required=False,
            )

    def answers(self) -> dict[str, str]:
        return {
            d.value: self.cleaned_data[d.value]
            for d in DiversityDimension
            if self.cleaned_data.get(d.value)
        }


class SelectionNoteForm(Form):
    red_flag = forms.ChoiceField(
        label="Red flag", choices=[("", "No red flag"), *RedFlagKind.choices], required=False
    )
    text = forms.CharField(
        label="Private note",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=LONG_TEXT,
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if not cleaned.get("text", "").strip() and not cleaned.get("red_flag"):
            self.add_error("text", "Write a note or choose a red flag.")
        return cleaned


DEFAULT_DECISION_WORDS = {
    Decision.SELECTED: (
        "You have been selected for {programme}",
        "Thank you for putting yourself forward. We are delighted to tell you that you have been "
        "selected for {programme}. We will introduce you to your partner soon.",
    ),
    Decision.WAIT_LISTED: (
        "{programme}: you are on the waiting list",
        "Thank you for putting yourself forward for {programme}. The places are full for now; you "
        "are on the waiting list and we will be in touch if a place opens.",
    ),
    Decision.NOT_SELECTED: (
        "{programme}: thank you for applying",
        "Thank you for putting yourself forward for {programme}. This time we have not been able "
        "to offer you a place. We would welcome you in a future cohort.",
    ),
}


def suggested_words(programme: str) -> dict[str, dict[str, str]]:
    """Each decision's label and suggested e-mail, by decision, for the candidate page."""
    return {
        decision.value: {
            "label": decision.label,
            "subject": subject.format(programme=programme),
            "body": body.format(programme=programme),
        }
        for decision, (subject, body) in DEFAULT_DECISION_WORDS.items()
    }


class DecisionForm(Form):
    """Starts on `decision` (a pending candidate on "Selected") with its suggested words."""

    decision = forms.ChoiceField(
        choices=[(d.value, d.label) for d in Decision if d != Decision.PENDING]
    )
    subject = forms.CharField(max_length=200, help_text="The e-mail the person receives.")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)

    def __init__(
        self, *args: object, words: dict[str, dict[str, str]], decision: str, **kwargs: object
    ) -> None:
        chosen = words.get(decision, words[Decision.SELECTED])
        kwargs["initial"] = {
            "decision": decision if decision in words else Decision.SELECTED,
            "subject": chosen["subject"],
            "body": chosen["body"],
        }
        super().__init__(*args, **kwargs)
        self.words = words

    def clean_subject(self) -> str:
        subject = self.cleaned_data["subject"]
        if "\n" in subject or "\r" in subject:
            raise forms.ValidationError("Write the subject on one line.")
        return subject


class MatchingSettingsForm(ModelForm):
    class Meta:
        model = MatchingSettings
        fields = [
            "diversity_weight",
            "department_weight",
            "function_weight",
            "location_weight",
            "grade_gap_weight",
            "min_grade_gap",
        ]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        for name in self.Meta.fields[:-1]:
            value = cleaned.get(name)
            if value is not None and not 0 <= value <= 10:
                self.add_error(name, "Choose a weight from 0 to 10.")
        if cleaned.get("min_grade_gap") is not None and cleaned["min_grade_gap"] > 20:
            self.add_error("min_grade_gap", "Choose a gap of at most 20 grades.")
        return cleaned


def _loaded_choices(field: forms.ModelChoiceField, choices: Sequence[tuple[int, str]]) -> None:
    """Offer choices already loaded (one query for the whole page), in their order; what is
    posted is still looked up in the field's queryset."""
    field.choices = CanonicalChoices([("", field.empty_label), *choices])


class SwapForm(Form):
    """Two proposed pairs chosen from `proposed`, a list the page has loaded once."""

    first = forms.ModelChoiceField(
        queryset=Pair.objects.none(),
        label="Swap the junior partner of",
        empty_label="Choose a pair",
    )
    second = forms.ModelChoiceField(
        queryset=Pair.objects.none(), label="with the one of", empty_label="Choose a pair"
    )

    def __init__(
        self,
        *args: object,
        queryset: QuerySet[Pair],
        proposed: Sequence[tuple[int, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            self.fields[name].queryset = queryset
            _loaded_choices(self.fields[name], proposed)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            self.add_error("second", "Choose two different pairs.")
        return cleaned


def _person_label(profile: Profile) -> str:
    details = [profile.department, f"grade {profile.grade}" if profile.grade else ""]
    shown = ", ".join(detail for detail in details if detail)
    return f"{profile.full_name} ({shown})" if shown else profile.full_name


class HandPairForm(Form):
    """Any unmatched senior with any unmatched junior: one list per side, from `unmatched`, the
    unmatched people the page has loaded once (what is posted is one of them, or refused)."""

    senior = LoadedRowField(
        label="Senior partner",
        empty_label="Choose a senior partner",
        required=True,
        error_messages={"required": "Choose the senior partner."},
    )
    junior = LoadedRowField(
        label="Junior partner",
        empty_label="Choose a junior partner",
        required=True,
        error_messages={"required": "Choose the junior partner."},
    )

    def __init__(self, *args: object, unmatched: Sequence[Profile], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for side in (Side.SENIOR, Side.JUNIOR):
            self.fields[side].set_rows([p for p in unmatched if p.side == side], _person_label)


class BulkDecisionForm(DecisionForm):
    """One decision, and one e-mail in the coordinator's words, for every candidate chosen."""

    profiles = MultipleRowsField(
        queryset=Profile.objects.none(),
        label="Candidates chosen",
        error_messages={
            "required": "Choose at least one candidate: tick the box beside each one you decide."
        },
    )

    def __init__(
        self,
        *args: object,
        candidates: QuerySet[Profile],
        chosen: Sequence[str] = (),
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["profiles"].queryset = candidates
        self.initial["profiles"] = list(chosen)
        self.order_fields(["profiles"])

    def chosen(self) -> set[str]:
        """The ids ticked, as posted, so a refused form comes back with the same boxes ticked."""
        return {str(pk) for pk in (self["profiles"].value() or [])}


class ApplicationForm(ProfileForm):
    """Putting oneself forward: the profile's essentials and the one-page statement."""

    side = forms.ChoiceField(
        label="I would take part on the",
        choices=Side.choices,
        widget=forms.RadioSelect,
        help_text="Senior side: executives and senior leaders. Junior side: more junior "
        "colleagues, often from less privileged groups.",
    )

    class Meta(ProfileForm.Meta):
        # The grade drives the minimum-gap rule: given when applying, then the coordinator's.
        fields = [
            field
            for field in ProfileForm.Meta.fields
            if field not in {"function", *(name for name, _ in TRAITS)}
        ] + ["grade", "line_manager_email"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name in ("job_title", "department", "hoped_learning", "aspirations"):
            self.fields[name].required = True


class PairStatusForm(Form):
    status = forms.ChoiceField(
        label="Change to",
        choices=[("completed", "Completed"), ("ended_early", "Ended early")],
    )
    note = forms.CharField(
        label="Note",
        max_length=_max_length(PairEvent, "note"),
        required=False,
        help_text="Kept in the pair's history. Ending early is without blame.",
    )


class AgreementForm(ModelForm):
    class Meta:
        model = Agreement
        formfield_callback = limited_formfield
        fields = ["meeting_frequency", "meeting_place", "confidentiality", "ground_rules"]
        widgets = {
            "confidentiality": forms.Textarea(attrs={"rows": 3}),
            "ground_rules": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "meeting_frequency": "E.g. an hour every three weeks.",
            "meeting_place": "Somewhere neutral, even online.",
        }

    @classmethod
    def for_pair(
        cls, pair: Pair, current: Agreement | None, data: object = None
    ) -> "AgreementForm":
        """A proposal of the pair's next version, starting from the current one, which stays
        as it is whatever is posted."""
        initial = model_to_dict(current, fields=cls._meta.fields) if current else None
        return cls(data, instance=Agreement(pair=pair), initial=initial)


class GoalForm(Form):
    text = forms.CharField(
        label="A learning goal of mine", max_length=_max_length(LearningGoal, "text")
    )


class MeetingForm(ModelForm):
    reflection = forms.CharField(
        label="My private reflection",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only you will ever see this.",
        max_length=LONG_TEXT,
    )

    class Meta:
        model = Meeting
        formfield_callback = limited_formfield
        fields = ["date", "duration_minutes", "mode", "location", "shared_notes"]
        widgets = {"date": DateInput(), "shared_notes": forms.Textarea(attrs={"rows": 3})}

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError("Log a meeting once it has happened.")
        return day

    def clean_duration_minutes(self) -> int:
        minutes = self.cleaned_data["duration_minutes"]
        if not 5 <= minutes <= 600:
            raise forms.ValidationError("Choose between 5 and 600 minutes.")
        return minutes


class PulseForm(ModelForm):
    class Meta:
        model = Pulse
        fields = ["spoke_openly", "learned", "partner_learned", "going", "comment"]
        widgets = {
            name: forms.RadioSelect(attrs={"class": "form-check-inline"})
            for name in ["spoke_openly", "learned", "partner_learned", "going"]
        }
        help_texts = {"comment": COMMENT_PRIVACY}

    privacy = PULSE_PRIVACY  # said above the form

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name in ("spoke_openly", "learned", "partner_learned", "going"):
            self.fields[name].choices = SCALE  # no blank option: every answer is chosen


class ReflectionForm(Form):
    text = forms.CharField(
        label="My private reflection",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=LONG_TEXT,
    )


class ConcernForm(Form):
    text = forms.CharField(
        label="What worries you",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=LONG_TEXT,
        help_text="Only the coordinator reads this. Your partner is not told.",
    )
    supervision = forms.ChoiceField(
        label="Would you like a supervisor's help with it too?",
        choices=SupervisionWish.choices,
        required=False,
        initial=SupervisionWish.NO,
        widget=forms.RadioSelect,
        help_text="An urgent one reaches the coordinator at once. A supervisor sees nothing about "
        "your pair unless you agree.",
    )


class CheckInForm(Form):
    day = forms.DateField(label="Date", widget=DateInput())
    status = forms.ChoiceField(choices=CheckInStatus.choices)
    note = forms.CharField(
        label="Note for the coordinator",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=LONG_TEXT,
    )

    def clean_day(self) -> date:
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError("Log a check-in once it has happened.")
        return day


class ConcernActionForm(Form):
    kind = forms.ChoiceField(label="What I did", choices=ConcernActionKind.choices)
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=LONG_TEXT
    )


class StewardForm(Form):
    steering_member = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Steering-group member who checks in",
        empty_label="Nobody yet",
    )

    def __init__(self, *args: object, stewards: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steering_member"].queryset = stewards


class UnmatchedFilterForm(FilterForm):
    name = forms.CharField(label="Name", required=False, max_length=100)
    side = forms.ChoiceField(choices=[("", "Both sides"), *Side.choices], required=False)


class StewardedFilterForm(FilterForm):
    name = forms.CharField(label="Name", required=False, max_length=100)
    overdue = forms.BooleanField(label="Check-in overdue only", required=False)


class DashboardFilterForm(FilterForm):
    status = forms.ChoiceField(
        choices=[
            ("", "Any status"),
            ("active", "Active"),
            ("completed", "Completed"),
            ("ended_early", "Ended early"),
        ],
        required=False,
    )
    steward = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="Any steering member",
        label="Steering member",
    )
    flagged = forms.BooleanField(label="Needing attention only", required=False)
    sort = forms.ChoiceField(
        choices=[
            ("attention", "Needing attention first"),
            ("last_meeting", "Quietest first"),
            ("meetings", "Fewest meetings first"),
            ("checkin", "Oldest check-in first"),
            ("name", "Name"),
        ],
        required=False,
    )

    def __init__(self, *args: object, stewards: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steward"].queryset = stewards
