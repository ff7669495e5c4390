from django import forms

from organisations.forms import FilterForm

from .models import ReportKind, ReportStatus


class ReportsFilterForm(FilterForm):
    kind = forms.ChoiceField(
        choices=[
            ("", "Every report"),
            (ReportKind.EVALUATION, ReportKind.EVALUATION.label),
            (ReportKind.SUMMARY, ReportKind.SUMMARY.label),
        ],
        required=False,
        label="Report",
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *ReportStatus.choices], required=False, label="Status"
    )
