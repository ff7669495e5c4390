from collections.abc import Iterable, Sequence
from datetime import datetime

from django import forms
from django.utils import timezone

from organisations.forms import (
    EmailAddressField,
    FilterForm,
    Form,
    LoadedRowField,
    ModelForm,
    NameField,
)
from organisations.models import User
from pairs.models import Pair
from programmes.forms import DateTimeInput, MemberLookupMixin

from .models import (
    DEFAULT_GROUND_RULES,
    Concerning,
    Outcome,
    Route,
    SupervisionSession,
    Supervisor,
    SupervisorKind,
    Urgency,
)

TEXT_MAX = 10_000


def pair_label(pair: Pair) -> str:
    return f"{pair.senior.full_name} and {pair.junior.full_name}"


class ReferralForm(Form):
    """Asking for supervision: which pair (when there is a choice), whom it concerns, what it is
    about and how urgent it is."""

    pair = LoadedRowField(
        label="The pair",
        empty_label="Choose the pair",
        required=True,
        error_messages={"required": "Choose the pair it is about."},
    )
    concerning = forms.ChoiceField(
        label="Whom it concerns", choices=Concerning.choices, widget=forms.RadioSelect
    )
    person = forms.ChoiceField(
        label="Which partner",
        required=False,
        error_messages={"invalid_choice": "Choose which of this pair's partners it concerns."},
    )
    text = forms.CharField(
        label="What it is about",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_MAX,
        help_text="Only the coordinator, and a supervisor if one takes it on, read this.",
    )
    urgency = forms.ChoiceField(
        choices=Urgency.choices,
        initial=Urgency.ROUTINE,
        widget=forms.RadioSelect,
        help_text="Urgent means someone's safety or wellbeing is at risk: the coordinator is "
        "e-mailed at once.",
    )

    def __init__(self, *args: object, pairs: Iterable[Pair], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        pairs = list(pairs)
        self.fields["pair"].set_rows(pairs, pair_label)
        if len(pairs) == 1:
            self.fields["pair"].initial = pairs[0].pk
            self.fields["pair"].widget = forms.HiddenInput()
        self.fields["person"].choices = [
            ("", "—"),
            *_partner_choices(self._pairs_in_question(pairs)),
        ]

    def _pairs_in_question(self, pairs: list[Pair]) -> list[Pair]:
        """The pair already chosen (typed in, or the page was opened for it), else every pair:
        its two partners are all "Which partner" offers, not everyone of every pair."""
        chosen = self.data.get(self.add_prefix("pair")) if self.is_bound else None
        chosen = chosen or self.initial.get("pair") or self.fields["pair"].initial
        in_question = [pair for pair in pairs if str(pair.pk) == str(chosen)]
        return in_question or pairs

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        pair, person = cleaned.get("pair"), cleaned.get("person")
        if cleaned.get("concerning") == Concerning.PERSON:
            partners = {str(pair.senior.user_id), str(pair.junior.user_id)} if pair else set()
            if "person" not in self.errors and (not person or person not in partners):
                self.add_error("person", self.fields["person"].error_messages["invalid_choice"])
        cleaned["person_user"] = (
            User.objects.filter(pk=person).first()
            if person and cleaned.get("concerning") == Concerning.PERSON
            else None
        )
        return cleaned


def _partner_choices(pairs: Sequence[Pair]) -> list[tuple[str, object]]:
    """Each pair's partners who have an account, by name, grouped under the pair when more than
    one pair is offered."""
    partners = {
        pair.pk: [
            (str(profile.user_id), profile.full_name)
            for profile in (pair.senior, pair.junior)
            if profile.user_id
        ]
        for pair in pairs
    }
    if len(pairs) == 1:
        return partners[pairs[0].pk]
    return [(pair_label(pair), partners[pair.pk]) for pair in pairs if partners[pair.pk]]


class RouteForm(Form):
    route = forms.ChoiceField(
        label="Where it goes", choices=Route.choices, widget=forms.RadioSelect
    )
    suits_group = forms.BooleanField(
        label="I have read it and it suits a group: nothing in it needs one-to-one care",
        required=False,
    )
    summary = forms.CharField(
        label="Anonymised summary for the group",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text="Group supervision only. No names, roles or details that identify anyone.",
    )
    note = forms.CharField(
        label="Note for the record",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if cleaned.get("route") == Route.GROUP:
            if not cleaned.get("suits_group"):
                self.add_error("suits_group", "Confirm that this suits a group.")
            if not cleaned.get("summary", "").strip():
                self.add_error("summary", "Write what the group will see.")
        return cleaned


class ReasonForm(Form):
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AssignForm(Form):
    supervisor = LoadedRowField(label="Supervisor", empty_label=None)

    def __init__(self, *args: object, supervisors: Sequence[Supervisor], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].set_rows(
            supervisors,
            lambda s: f"{s.user} ({s.get_kind_display().lower()}, up to {s.capacity} cases)",
        )


class SessionForm(ModelForm):
    class Meta:
        model = SupervisionSession
        fields = ["starts_at", "duration_minutes", "mode", "place"]
        widgets = {"starts_at": DateTimeInput()}
        help_texts = {"starts_at": "In the organisation's time zone."}

    def clean_starts_at(self) -> datetime:
        starts_at = self.cleaned_data["starts_at"]
        if starts_at < timezone.now():
            raise forms.ValidationError("Book a session that is still to come.")
        return starts_at

    def clean_duration_minutes(self) -> int:
        minutes = self.cleaned_data["duration_minutes"]
        if not 15 <= minutes <= 240:
            raise forms.ValidationError("Choose between 15 and 240 minutes.")
        return minutes


class NoteForm(Form):
    text = forms.CharField(
        label="A note for yourself",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX,
        help_text="Supervision notes are yours alone: nobody else can read them.",
    )


class OutcomeForm(Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    close = forms.BooleanField(label="Close the case", required=False)


class ConcludeForm(Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)


class SupervisorPlaceForm(ModelForm):
    class Meta:
        model = Supervisor
        fields = ["kind", "capacity", "background"]
        labels = {"capacity": "Active cases at most"}

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if not 1 <= capacity <= 50:
            raise forms.ValidationError("Choose between 1 and 50 cases.")
        return capacity


class SupervisorAddForm(MemberLookupMixin, Form):
    """A supervisor for this programme: a colleague at once, or anyone by invitation."""

    email = EmailAddressField(label="E-mail address")
    full_name = NameField(label="Their name", required=False, help_text="If you invite them.")
    kind = forms.ChoiceField(choices=SupervisorKind.choices, initial=SupervisorKind.INTERNAL)
    capacity = forms.IntegerField(
        label="Active cases at most", min_value=1, max_value=50, initial=3
    )

    def __init__(self, *args: object, organisation: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation


class FacilitationForm(Form):
    facilitator = LoadedRowField(label="A supervisor of the programme", empty_label="---------")
    external_facilitator = forms.CharField(
        label="Or a named external facilitator", max_length=150, required=False
    )
    ground_rules = forms.CharField(
        label="Confidentiality ground rules",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_MAX,
        initial=DEFAULT_GROUND_RULES,
        help_text="Each attendee acknowledges them; changing them asks everyone again.",
    )
    analysis_days_ahead = forms.IntegerField(
        label="Send the analysis of themes this many days ahead",
        min_value=1,
        max_value=30,
        initial=7,
        help_text="Everyone invited, and the facilitator, receives it once.",
    )

    def __init__(self, *args: object, supervisors: Sequence[Supervisor], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].set_rows(supervisors)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if not cleaned.get("facilitator") and not cleaned.get("external_facilitator", "").strip():
            self.add_error("facilitator", "Choose a supervisor or name the facilitator.")
        return cleaned


class GroupNotesForm(Form):
    notes = forms.CharField(
        label="Notes for the attendees",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_MAX,
        required=False,
        help_text="Those who attended read them. No names, as in the room.",
    )


class AttendanceForm(Form):
    attended = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args: object, invited: Iterable[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(user.pk, str(user)) for user in invited]


class CaseloadFilterForm(FilterForm):
    state = forms.ChoiceField(
        choices=[("", "Open and closed"), ("open", "Open"), ("closed", "Closed")],
        required=False,
        label="Cases",
    )
    urgent = forms.BooleanField(required=False, label="Urgent only")
