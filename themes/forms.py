from collections.abc import Sequence
from datetime import date

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from organisations.forms import FilterForm, Form, LoadedRowField, ModelForm, MultipleRowsField
from organisations.models import User
from programmes.forms import DateInput
from programmes.models import GroupSession

from .models import (
    TEXT_MAX,
    ActionStatus,
    IssueAction,
    IssueStatus,
    RecurringTheme,
    Source,
    System,
    SystemicIssue,
    Theme,
)


class ThemeForm(ModelForm):
    source = forms.ChoiceField(
        label="Where it comes from",
        choices=Source.choices,
        initial=Source.PAIR,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Theme
        fields = ["source", "title", "noticed", "system", "quick_win"]
        widgets = {"noticed": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "title": "A few words the cohort will recognise, e.g. “Meetings at lunchtime”.",
            "noticed": "No names, and nothing that would identify a colleague.",
            "quick_win": "Something that could change soon, at little cost.",
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["noticed"].max_length = TEXT_MAX
        self.fields["noticed"].widget.attrs["maxlength"] = TEXT_MAX


class ShareForm(Form):
    with_names = forms.BooleanField(
        label="Put our names to it",
        required=False,
        help_text="Only if your partner chooses this too; otherwise it is shared without names.",
    )


class RecurringForm(ModelForm):
    class Meta:
        model = RecurringTheme
        fields = ["title", "system"]
        labels = {"title": "Name", "system": "The system it touches"}


class _ThemesField(MultipleRowsField):
    def label_from_instance(self, obj: Theme) -> str:
        return obj.title


class RecurringCreateForm(RecurringForm):
    themes = _ThemesField(
        queryset=Theme.objects.none(), widget=forms.CheckboxSelectMultiple, label="Its themes"
    )

    class Meta(RecurringForm.Meta):
        pass

    def __init__(self, *args: object, themes: QuerySet[Theme], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes


class MergeForm(Form):
    others = MultipleRowsField(
        queryset=RecurringTheme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Merge these into it",
    )

    def __init__(self, *args: object, others: QuerySet[RecurringTheme], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["others"].queryset = others


class RegroupForm(Form):
    recurring = forms.ModelChoiceField(
        queryset=RecurringTheme.objects.none(),
        required=False,
        empty_label="Not in a recurring theme",
        label="Move it to",
        error_messages={
            "invalid_choice": "That recurring theme is no longer there: it was merged or "
            "dismissed meanwhile. Choose another."
        },
    )

    def __init__(self, *args: object, recurring: QuerySet[RecurringTheme], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["recurring"].queryset = recurring


class AgendaAddForm(Form):
    recurring = LoadedRowField(
        label="Recurring theme",
        empty_label=None,
        error_messages={
            "invalid_choice": "That recurring theme is not, or no longer, accepted: only "
            "accepted ones go on the agenda. Choose another.",
            "required": "Choose a recurring theme to put on the agenda.",
        },
    )

    def __init__(self, *args: object, recurring: Sequence[RecurringTheme], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["recurring"].set_rows(recurring, lambda theme: theme.title)


class LeadForm(Form):
    lead = LoadedRowField(
        label="Lead",
        empty_label="Nobody yet",
        error_messages={
            "invalid_choice": "That person is not, or no longer, among the volunteers to lead "
            "it: an offer may have been withdrawn meanwhile. Choose another."
        },
    )

    def __init__(self, *args: object, volunteers: Sequence[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].set_rows(volunteers)


class IssueForm(ModelForm):
    owner = LoadedRowField(
        label="Owner",
        empty_label="Nobody yet",
        help_text=SystemicIssue._meta.get_field("owner").help_text,
    )
    recurring = MultipleRowsField(
        queryset=RecurringTheme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="The recurring themes it comes from",
    )

    class Meta:
        model = SystemicIssue
        fields = ["title", "description", "system", "data_gaps", "owner", "recurring"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "data_gaps": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self,
        *args: object,
        recurring: QuerySet[RecurringTheme],
        people: Sequence[User],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recurring"].queryset = recurring
        self.fields["owner"].set_rows(people)


class ActionForm(ModelForm):
    owner = LoadedRowField(label="Owner", empty_label=None)

    class Meta:
        model = IssueAction
        fields = ["text", "owner", "due", "quick_win"]
        widgets = {"due": DateInput()}

    def __init__(self, *args: object, people: Sequence[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].set_rows(people)

    def clean_due(self) -> date:
        due = self.cleaned_data["due"]
        if due < timezone.localdate():
            raise forms.ValidationError("Choose a date from today on.")
        return due


def _session_label(session: GroupSession) -> str:
    return f"{session} ({session.date:%-d %b %Y})"


class _RecordedAtForm(Form):
    """Progress, recorded at one of the programme's combined sessions or between them."""

    session = LoadedRowField(label="Recorded at", empty_label="Not at a session")

    def __init__(self, *args: object, sessions: Sequence[GroupSession], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["session"].set_rows(sessions, _session_label)


class ActionStatusForm(_RecordedAtForm):
    field_order = ["status", "note", "session"]

    status = forms.ChoiceField(choices=ActionStatus.choices)
    note = forms.CharField(
        label="Progress",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProgressForm(_RecordedAtForm):
    field_order = ["text", "session"]

    text = forms.CharField(
        label="Progress", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(Form):
    note = forms.CharField(
        label="What became of it", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class ThemesFilterForm(FilterForm):
    """Finds recurring and shared themes on the cohort's page: by words and by system."""

    words = forms.CharField(
        required=False, max_length=100, label="Words in a title or in what was noticed"
    )
    system = forms.ChoiceField(choices=[("", "Every system"), *System.choices], required=False)


class RegisterFilterForm(FilterForm):
    status = forms.ChoiceField(
        choices=[("", "Open and closed"), *IssueStatus.choices], required=False
    )
    system = forms.ChoiceField(choices=[("", "Every system"), *System.choices], required=False)
