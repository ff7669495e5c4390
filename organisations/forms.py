import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.choices import BaseChoiceIterator

from .models import AuditAction, Invitation, Membership, Organisation, User
from .roles import OrgRole

TIME_ZONE_CHOICES = [
    (zone, zone.replace("_", " ")) for zone in sorted(zoneinfo.available_timezones())
]


class _IdsNameTheirForm:
    """A field's id names its form as well ("id_concernform_text"). Two forms on one page with
    a field of the same name would otherwise share an id, and a label would name the other
    form's field: a click or a screen reader would land there."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", f"id_{type(self).__name__.lower()}_%s")
        super().__init__(*args, **kwargs)


EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2199, 12, 31)


def validate_plausible_date(value: date | datetime) -> None:
    """A date or moment a programme can hold. Python's dates end at 9999, so a year near either
    end overflowed in the timeline's arithmetic, in a calendar feed adding a session's minutes,
    or in converting a moment to UTC: a 500, or a reminder sweep that failed every night."""
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            f"Enter a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}.",
            code="implausible_date",
        )


class _DatesWithinReason:
    """Every date and date-and-time field of a form refuses a year no programme can have."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                field.validators.append(validate_plausible_date)


class Form(_IdsNameTheirForm, _DatesWithinReason, forms.Form):
    """The project's form: use it rather than django.forms.Form."""


class ModelForm(_IdsNameTheirForm, _DatesWithinReason, forms.ModelForm):
    """The project's model form: use it rather than django.forms.ModelForm."""


class FilterForm(Form):
    """A list's filter, read from the page's query string."""

    def criteria(self) -> dict[str, Any]:
        """What it was given, by field; nothing when a value is refused: the list then shows
        everything and the form says why next to the field."""
        return dict(self.cleaned_data) if self.is_valid() else {}


def ticks_as_sent(rows: Iterable[Any], sent: Iterable[str]) -> None:
    """A refused attendance list shown as the person left it: each row (a person, by `user_id`)
    is `attended` if they ticked it, not as it was saved. Unknown values tick nobody."""
    ticked = set(sent)
    for row in rows:
        row.attended = str(row.user_id) in ticked


LARGEST_ID = 2**63 - 1  # a bigint primary key


class MultipleRowsField(forms.ModelMultipleChoiceField):
    """Several rows chosen by id. Django checks each id's type but not its size, and an id no
    row can have reached the database in an IN list and broke the query."""

    def _check_values(self, value: object) -> object:
        for pk in value:  # type: ignore[attr-defined]
            text = str(pk)
            if not (text.isdigit() and int(text) <= LARGEST_ID):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:20]},
                )
        return super()._check_values(value)


class CanonicalChoices(BaseChoiceIterator):
    """Choices already as Django keeps them, (value, label) pairs of plain values, given to a
    field as they are: normalize_choices looks into each again otherwise, once for the field and
    once for its widget (a few milliseconds for a list of 300 names)."""

    def __init__(self, choices: Iterable[tuple[object, str]]) -> None:
        self.choices = list(choices)

    def __iter__(self) -> Iterator[tuple[object, str]]:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


class LoadedRowField(forms.TypedChoiceField):
    """One of rows the view has already loaded. A ModelChoiceField queries each time it is
    drawn (twice for a required select: its first choice decides the `required` attribute), and
    a page drawing one per row of a list (an agenda's leads, an issue's actions) would grow a
    query per row. With no `empty_label` there is no blank choice, and one must be chosen."""

    def __init__(self, *, empty_label: str | None, **kwargs: object) -> None:
        kwargs.setdefault("required", empty_label is None)
        super().__init__(coerce=int, empty_value=None, **kwargs)
        self.empty_label = empty_label
        self.rows: dict[int, Model] = {}

    def set_rows(self, rows: Sequence[Model], label: Callable[[Model], str] = str) -> None:
        self.rows = {row.pk: row for row in rows}
        blank = [] if self.empty_label is None else [("", self.empty_label)]
        self.choices = CanonicalChoices([*blank, *((row.pk, label(row)) for row in rows)])

    def clean(self, value: object) -> Model | None:
        chosen = super().clean(value)
        return None if chosen is None else self.rows[chosen]


class EmailAddressField(forms.EmailField):
    """An address as every e-mail column holds it: at most 254 characters. Django's field lets
    320 through, which the database then refused with a 500."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", Invitation._meta.get_field("email").max_length)
        super().__init__(**kwargs)


class NameField(forms.CharField):
    """A person's name: spaces tidied, within what the account holds."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", "Your name")
        kwargs.setdefault(
            "help_text", "As colleagues know you; it is how the programme greets you."
        )
        super().__init__(
            max_length=User._meta.get_field("full_name").max_length,
            error_messages={"required": "Give the name your colleagues know you by."},
            **kwargs,
        )

    def clean(self, value: object) -> str:
        return " ".join(str(super().clean(value)).split())


class OrganisationForm(ModelForm):
    time_zone = forms.ChoiceField(
        choices=TIME_ZONE_CHOICES,
        initial="Europe/London",
        help_text="Reminders and digests go out by this clock.",
    )

    class Meta:
        model = Organisation
        fields = ["name", "time_zone"]
        labels = {"name": "Organisation name"}


class InvitationForm(Form):
    email = EmailAddressField(label="E-mail address")
    full_name = NameField(label="Their name", required=False, help_text="")
    role = forms.ChoiceField(choices=OrgRole.choices, initial=OrgRole.MEMBER)

    def __init__(self, *args: object, organisation: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if Membership.objects.filter(
            organisation=self.organisation, user__email__iexact=email
        ).exists():
            raise forms.ValidationError("This person is already a member of the organisation.")
        if (
            Invitation.objects.filter(organisation=self.organisation, email__iexact=email)
            .waiting()
            .exists()
        ):
            raise forms.ValidationError("An invitation to this address is already waiting.")
        return email


class MemberFilterForm(Form):
    q = forms.CharField(label="Name or e-mail", required=False)
    role = forms.ChoiceField(choices=[("", "Any role"), *OrgRole.choices], required=False)


class SignupNameForm(Form):
    """allauth's sign-up form is built on this (ACCOUNT_SIGNUP_FORM_CLASS): everyone has a name."""

    field_order = ["full_name", "email", "password1", "password2"]
    full_name = NameField()

    def signup(self, request: object, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])


class AccountNameForm(ModelForm):
    full_name = NameField()

    class Meta:
        model = User
        fields = ["full_name"]


AUDIT_SUBJECTS = [
    ("", "Any record"),
    ("concern", "Confidential concerns"),
    ("referral", "Referrals"),
    ("red_flag", "Red flags"),
    ("selection_note", "Selection notes"),
    ("diversity_data", "Diversity data"),
    ("role:", "Programme roles"),
    ("org:", "Organisation roles"),
    ("report:", "Reports"),
    ("personal_data", "Personal data"),
]


class AuditFilterForm(FilterForm):
    action = forms.ChoiceField(
        label="What happened", choices=[("", "Anything"), *AuditAction.choices], required=False
    )
    subject = forms.ChoiceField(label="Record", choices=AUDIT_SUBJECTS, required=False)
    q = forms.CharField(label="Who (name or e-mail)", required=False, max_length=150)
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The last day cannot come before the first.")
        return data


def confirmed_address(typed: str, person: User, mismatch: str) -> str:
    """An e-mail address typed to confirm something that cannot be undone, about `person`."""
    if typed.strip().lower() != person.email.lower():
        raise forms.ValidationError(mismatch)
    return typed.strip()


class MemberEraseForm(Form):
    """Erasing someone cannot be undone: the admin types the member's address to confirm."""

    confirm_email = forms.CharField(
        label="Type the member's e-mail address to confirm",
        max_length=254,
        error_messages={"required": "Type the member's e-mail address to confirm."},
    )

    def __init__(self, *args: object, person: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm_email(self) -> str:
        return confirmed_address(
            self.cleaned_data["confirm_email"],
            self.person,
            "That is not this member's e-mail address.",
        )


class AccountDeleteForm(Form):
    """Deleting one's account cannot be undone: the password confirms it (or, for someone who
    signs in through their organisation and has none here, their e-mail address typed in)."""

    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput,
        max_length=4096,
        error_messages={"required": "Enter your password to delete your account."},
    )
    confirm_email = forms.CharField(
        label="Type your e-mail address to confirm",
        max_length=254,
        error_messages={"required": "Type your e-mail address to confirm."},
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        del self.fields["confirm_email" if user.has_usable_password() else "password"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password

    def clean_confirm_email(self) -> str:
        return confirmed_address(
            self.cleaned_data["confirm_email"], self.user, "That is not your e-mail address."
        )


class RetentionForm(ModelForm):
    class Meta:
        model = Organisation
        fields = ["retention_months"]
        error_messages = {
            "retention_months": {
                "min_value": "Keep it for at least 1 month.",
                "max_value": "Keep it for at most 120 months (ten years).",
                "invalid": "Give a whole number of months.",
                "required": "Give a number of months.",
            }
        }
