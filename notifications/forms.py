from django import forms

from organisations.forms import FilterForm, ModelForm
from organisations.models import Membership


class NotificationSettingsForm(ModelForm):
    class Meta:
        model = Membership
        fields = ["reminder_emails"]


class InboxFilterForm(FilterForm):
    words = forms.CharField(required=False, max_length=100, label="Words in the subject")
    unread = forms.BooleanField(required=False, label="Unread only")
