from collections.abc import Iterable
from datetime import date
from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from organisations.forms import EmailAddressField, FilterForm, Form, ModelForm, NameField
from organisations.models import Invitation, Membership, Organisation, User
from organisations.roles import Role, Side

from .models import (
    CommissioningSignOff,
    GroupSession,
    Programme,
    ProgrammeMember,
    Resource,
    StageStatus,
    StageTask,
    TaskStatus,
    TrainingKind,
    TrainingSession,
)
from .models.programme import PILOT_PAIRS
from .models.stages import MIN_GROUP_SESSION_MINUTES
from .timeline import (
    ANCHORS_OUT_OF_ORDER,
    MIN_GROUP_SESSIONS,
    anchors_in_order,
    relationships_start_for,
)


class DateInput(forms.DateInput):
    """A browser date picker; it only understands ISO dates, whatever the locale."""

    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%H:%M", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ProgrammeForm(ModelForm):
    """A new programme; the model's own rules (the anchors in order) are checked as well."""

    relationships_start = forms.DateField(
        label="Relationships start on",
        required=False,
        widget=DateInput(),
        help_text="Leave empty to use the default timing: stages 1-4 take about four months.",
    )

    class Meta:
        model = Programme
        fields = ["name", "start_date", "relationships_start", "reminder_lead_days"]
        labels = {
            "name": "Programme name",
            "start_date": "Commissioning starts on",
            "reminder_lead_days": "Remind people this many days before a stage starts",
        }
        widgets = {"start_date": DateInput()}

    def clean_reminder_lead_days(self) -> int:
        days = self.cleaned_data["reminder_lead_days"]
        if days > 60:
            raise forms.ValidationError("Choose a lead time of at most 60 days.")
        return days

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        start = cleaned.get("start_date")
        if start and not cleaned.get("relationships_start"):
            cleaned["relationships_start"] = relationships_start_for(start)
        return cleaned


class SetupForm(ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "purpose",
            "scope",
            "initiative_links",
            "selection_criteria",
            "planned_pairs",
            "duration_months",
            "steering_min_size",
            "steering_max_size",
            "reminder_lead_days",
            "anonymity_threshold",
        ]
        widgets = {
            field: forms.Textarea(attrs={"rows": 3})
            for field in ("purpose", "scope", "initiative_links", "selection_criteria")
        }
        help_texts = {
            "planned_pairs": f"A pilot usually has {PILOT_PAIRS.start}-{PILOT_PAIRS[-1]} pairs."
        }

    def clean_planned_pairs(self) -> int | None:
        pairs = self.cleaned_data["planned_pairs"]
        if pairs is not None and not 1 <= pairs <= 1000:
            raise forms.ValidationError("Plan between 1 and 1,000 pairs.")
        return pairs

    def clean_anonymity_threshold(self) -> int:
        threshold = self.cleaned_data["anonymity_threshold"]
        if not 3 <= threshold <= 50:
            raise forms.ValidationError("Choose at least 3 (and at most 50) respondents.")
        return threshold

    def clean_duration_months(self) -> int:
        months = self.cleaned_data["duration_months"]
        if not 1 <= months <= 36:
            raise forms.ValidationError("Choose a duration between 1 and 36 months.")
        return months

    def clean_reminder_lead_days(self) -> int:
        days = self.cleaned_data["reminder_lead_days"]
        if days > 60:
            raise forms.ValidationError("Choose a lead time of at most 60 days.")
        return days

    def clean_steering_min_size(self) -> int:
        low = self.cleaned_data["steering_min_size"]
        if low < 2:
            raise forms.ValidationError("A steering group needs at least 2 members.")
        return low


class SuccessMeasureForm(Form):
    text = forms.CharField(label="Success measure", max_length=300, required=False)


SuccessMeasureFormSet = forms.formset_factory(
    SuccessMeasureForm, extra=2, can_delete=True, max_num=20, validate_max=True
)


class TrainingFilterForm(FilterForm):
    when = forms.ChoiceField(
        choices=[("", "Past and upcoming"), ("upcoming", "Upcoming"), ("past", "Past")],
        required=False,
        label="When",
    )
    kind = forms.ChoiceField(  # not "Kind": the form beside it has a field of that name
        choices=[("", "Every type"), *TrainingKind.choices], required=False, label="Type"
    )


class AcknowledgementsFilterForm(FilterForm):
    name = forms.CharField(label="Name", required=False, max_length=100)
    waiting = forms.BooleanField(label="Not yet acknowledged only", required=False)


class EthicsForm(Form):
    ethics_statement = forms.CharField(
        label="Ethics and confidentiality ground rules",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
        help_text="Tie it to your organisation's values and D&I policy. Changing the text asks "
        "every participant to acknowledge it again.",
    )


class SignOffForm(ModelForm):
    class Meta:
        model = CommissioningSignOff
        fields = ["signed_off_by", "signed_off_on", "note"]
        widgets = {"signed_off_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def clean_signed_off_on(self) -> date:
        day = self.cleaned_data["signed_off_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("A sign-off cannot be dated in the future.")
        return day


class AnchorsForm(Form):
    commissioning_start = forms.DateField(label="Commissioning starts on", widget=DateInput())
    relationships_start = forms.DateField(label="Relationships start on", widget=DateInput())
    group_sessions = forms.IntegerField(
        label="Monthly combined group sessions (stage 9)",
        min_value=MIN_GROUP_SESSIONS,
        max_value=12,
        help_text="At least two, one a month, after the first combined session.",
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        start, relationships = (
            cleaned.get("commissioning_start"),
            cleaned.get("relationships_start"),
        )
        if start and relationships and not anchors_in_order(start, relationships):
            self.add_error("relationships_start", ANCHORS_OUT_OF_ORDER)
        return cleaned


class StageDatesForm(Form):
    start = forms.DateField(label="Starts on", widget=DateInput())
    end = forms.DateField(label="Ends on", widget=DateInput())

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "A stage cannot end before it starts.")
        return cleaned


FOLLOW_TASKS = "follow_tasks"


class StageStatusForm(Form):
    status = forms.ChoiceField(choices=[(FOLLOW_TASKS, "Follow its tasks"), *StageStatus.choices])


def responsible_choices(people: list[User]) -> list[tuple[str, object]]:
    return [
        ("", "Nobody yet"),
        ("Everyone in a role", [(f"role:{value}", label) for value, label in Role.choices]),
        ("A person", [(f"user:{person.pk}", str(person)) for person in people]),
    ]


class TaskForm(Form):
    title = forms.CharField(label="Task", max_length=200)
    responsible = forms.ChoiceField(label="Who is responsible", required=False)
    due_date = forms.DateField(
        label="Due on",
        required=False,
        widget=DateInput(),
        help_text="Leave empty to follow the end of the stage.",
    )

    def __init__(self, *args: object, people: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["responsible"].choices = responsible_choices(people)

    @classmethod
    def for_task(cls, task: StageTask, people: list[User]) -> "TaskForm":
        responsible = ""
        if task.responsible_user_id:
            responsible = f"user:{task.responsible_user_id}"
        elif task.responsible_role:
            responsible = f"role:{task.responsible_role}"
        return cls(
            people=people,
            initial={
                "title": task.title,
                "responsible": responsible,
                "due_date": task.due_date if task.due_pinned else None,
            },
            prefix=f"task-{task.pk}",
        )

    def owner(self) -> dict[str, object]:
        """The service's responsible_user / responsible_role for the chosen option."""
        kind, _, value = self.cleaned_data["responsible"].partition(":")
        if kind == "user":
            return {"responsible_user": self.people[int(value)], "responsible_role": ""}
        return {"responsible_user": None, "responsible_role": value if kind == "role" else ""}


class TaskStatusForm(Form):
    status = forms.ChoiceField(choices=TaskStatus.choices)


class PlanFilterForm(FilterForm):
    person = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Anyone"
    )
    stage = forms.TypedChoiceField(
        choices=[("", "Any stage"), *((n, f"Stage {n}") for n in range(1, 11))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *TaskStatus.choices], required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, *args: object, people: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class GroupSessionForm(ModelForm):
    class Meta:
        model = GroupSession
        fields = ["date", "start_time", "duration_minutes", "location"]
        widgets = {"date": DateInput(), "start_time": TimeInput()}
        labels = {"duration_minutes": "Length in minutes"}

    def clean_duration_minutes(self) -> int:
        minutes = self.cleaned_data["duration_minutes"]
        if not MIN_GROUP_SESSION_MINUTES <= minutes <= 480:
            raise forms.ValidationError(
                "A combined session lasts between two hours (120 minutes) and 480 minutes: the "
                "pairs need the time to work together."
            )
        return minutes


class MemberLookupMixin:
    """An e-mail field that finds the organisation member it belongs to, if any; for anyone
    else, it refuses a second invitation to the same role while the first waits."""

    organisation: Organisation
    programme: Programme
    membership: Membership | None = None

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        self.membership = (
            Membership.objects.filter(organisation=self.organisation, user__email__iexact=email)
            .select_related("user")
            .first()
        )
        return email

    def refuse_a_second_invitation(self, role: str | None) -> None:
        email = self.cleaned_data.get("email")
        if self.membership or not email or not role:
            return
        waiting = Invitation.objects.filter(
            email__iexact=email,
            programme_invitation__programme=self.programme,
            programme_invitation__role=role,
        ).waiting()
        if waiting.exists():
            self.add_error(  # type: ignore[attr-defined]
                "email",
                "An invitation to this address for this role is already waiting. Send it again "
                "from the list of invitations instead.",
            )


class ProgrammeMemberForm(MemberLookupMixin, Form):
    """Give someone a role in the programme: a member of the organisation, or a new invitee."""

    email = EmailAddressField(label="E-mail address")
    full_name = NameField(
        label="Their name", required=False, help_text="For someone not yet in the organisation."
    )
    role = forms.ChoiceField(choices=Role.choices)
    side = forms.ChoiceField(
        choices=[("", "—"), *Side.choices], required=False, help_text="Participants only."
    )

    def __init__(
        self,
        *args: object,
        programme: Programme,
        organisation: Organisation,
        requester: User | None = None,
        requester_is_admin: bool = False,
        **kwargs: object,
    ):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.organisation = organisation
        self.requester = requester
        self.requester_is_admin = requester_is_admin

    def clean_role(self) -> str:
        # The executive sponsor signs the programme off, so a coordinator cannot appoint one.
        role = self.cleaned_data["role"]
        if role == Role.EXECUTIVE and not self.requester_is_admin:
            raise forms.ValidationError(
                "Only an organisation admin can name the executive sponsor."
            )
        return role

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if self.membership and self.requester and self.membership.user == self.requester:
            self.add_error("email", "You cannot give yourself a role; ask an organisation admin.")
        role, side = cleaned.get("role"), cleaned.get("side")
        if role == Role.PARTICIPANT and not side:
            self.add_error("side", "Choose the participant's side: senior or junior.")
        if role and role != Role.PARTICIPANT and side:
            self.add_error("side", "Only participants have a side.")
        self.refuse_a_second_invitation(role)
        if (
            self.membership
            and role
            and ProgrammeMember.objects.filter(
                programme=self.programme, user=self.membership.user, role=role
            ).exists()
        ):
            self.add_error("role", "This person already has this role in the programme.")
        return cleaned


class SteeringAddForm(MemberLookupMixin, Form):
    email = EmailAddressField(
        label="E-mail address",
        help_text="A colleague already in the organisation is added at once; anyone else is "
        "invited by e-mail.",
    )
    full_name = NameField(
        label="Their name", required=False, help_text="For someone not yet in the organisation."
    )
    stakeholder_group = forms.CharField(
        label="Represents",
        max_length=120,
        help_text="E.g. the Black employee network, HR, Operations.",
    )
    is_chair = forms.BooleanField(label="Chairs the steering group", required=False)

    def __init__(
        self, *args: object, programme: Programme, organisation: Organisation, **kwargs: object
    ):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.organisation = organisation

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if (
            self.membership
            and ProgrammeMember.objects.filter(
                programme=self.programme, user=self.membership.user, role=Role.STEERING
            ).exists()
        ):
            self.add_error("email", "This person is already in the steering group.")
        self.refuse_a_second_invitation(Role.STEERING)
        return cleaned


class SteeringMemberForm(ModelForm):
    stakeholder_group = forms.CharField(label="Represents", max_length=120)

    class Meta:
        model = ProgrammeMember
        fields = ["stakeholder_group", "is_chair", "reviews_candidates"]


class TrainingSessionForm(ModelForm):
    class Meta:
        model = TrainingSession
        fields = [
            "title",
            "kind",
            "format",
            "audience",
            "starts_at",
            "duration_minutes",
            "location",
            "topics",
        ]
        widgets = {"starts_at": DateTimeInput(), "topics": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "starts_at": "In the organisation's time zone.",
            "topics": "E.g. managing relative hierarchical power; cultural intelligence; "
            "psychological safety.",
        }

    def clean_duration_minutes(self) -> int:
        minutes = self.cleaned_data["duration_minutes"]
        if not 15 <= minutes <= 600:
            raise forms.ValidationError("Choose between 15 and 600 minutes.")
        return minutes


class AttendanceForm(Form):
    """Who attended: only people of the session's audience can be ticked."""

    attended = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args: object, audience: Iterable[ProgrammeMember], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(m.user_id, str(m.user)) for m in audience]


ALLOWED_RESOURCE_TYPES = {
    ".pdf": "PDF",
    ".doc": "Word",
    ".docx": "Word",
    ".ppt": "PowerPoint",
    ".pptx": "PowerPoint",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".odt": "OpenDocument",
    ".txt": "text",
    ".md": "text",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
}


class ResourceForm(ModelForm):
    url = forms.URLField(label="Link", max_length=500, required=False, assume_scheme="https")
    upload = forms.FileField(
        label="Or upload a file",
        required=False,
        help_text="PDF, Word, PowerPoint, Excel, OpenDocument, text or image; at most "
        f"{filesizeformat(settings.RESOURCE_MAX_BYTES)}.",
    )

    class Meta:
        model = Resource
        fields = ["title", "description", "audience", "url"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        labels = {"audience": "Who it is for"}

    def clean_upload(self) -> object:
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        suffix = Path(upload.name).suffix.lower()
        if suffix not in ALLOWED_RESOURCE_TYPES:
            raise forms.ValidationError(
                f"“{upload.name}” is not a type the library takes. Upload a PDF, Word, "
                "PowerPoint, Excel, OpenDocument, text or image file."
            )
        if upload.size > settings.RESOURCE_MAX_BYTES:
            raise forms.ValidationError(
                f"“{upload.name}” is {filesizeformat(upload.size)}; the limit is "
                f"{filesizeformat(settings.RESOURCE_MAX_BYTES)}."
            )
        if upload.size == 0:
            raise forms.ValidationError(f"“{upload.name}” is empty.")
        return upload

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        has_url, has_upload = bool(cleaned.get("url")), bool(cleaned.get("upload"))
        if has_url == has_upload and "upload" not in self.errors and "url" not in self.errors:
            self.add_error("url", "Give a link or upload a file, not both or neither.")
        return cleaned


class ResourceFilterForm(Form):
    q = forms.CharField(label="Search titles", required=False)
    audience = forms.ChoiceField(
        choices=[("", "Any audience"), *Resource._meta.get_field("audience").choices],
        required=False,
    )


class PeopleFilterForm(FilterForm):
    q = forms.CharField(label="Name or e-mail", required=False)
    role = forms.ChoiceField(choices=[("", "Any role"), *Role.choices], required=False)


class NotificationSettingsForm(ModelForm):
    class Meta:
        model = Membership
        fields = ["reminder_emails"]
