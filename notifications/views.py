from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from organisations.permissions import OrgPerm, requires

from .forms import InboxFilterForm, NotificationSettingsForm
from .selectors import notifications_of
from .services import notifications_mark_read, reminder_emails_set

PAGE_SIZE = 25


def _inbox(request: HttpRequest, form: NotificationSettingsForm | None = None) -> HttpResponse:
    items = notifications_of(request.organisation, request.user, timezone.now())
    filters = InboxFilterForm(request.GET or None)
    criteria = filters.criteria()
    if criteria.get("words"):
        items = items.filter(subject__icontains=criteria["words"])
    if criteria.get("unread"):
        items = items.filter(read_at__isnull=True)
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "filtered": any(criteria.values()),
            "form": form or NotificationSettingsForm(instance=request.membership),
        },
        status=400 if form is not None else 200,
    )


@requires(OrgPerm.VIEW)
def inbox(request: HttpRequest, org_slug: str) -> HttpResponse:
    """A person's reminders in the app, and their choice of whether to get the daily e-mail."""
    return _inbox(request)


@requires(post=OrgPerm.VIEW)
def mark_read(request: HttpRequest, org_slug: str) -> HttpResponse:
    notifications_mark_read(
        organisation=request.organisation, user=request.user, now=timezone.now()
    )
    messages.success(request, "All notifications marked as read.")
    return redirect("notifications:inbox", org_slug=org_slug)


@requires(post=OrgPerm.VIEW)
def email_settings(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = NotificationSettingsForm(request.POST, instance=request.membership)
    if not form.is_valid():
        return _inbox(request, form)
    enabled = form.cleaned_data["reminder_emails"]
    reminder_emails_set(membership=request.membership, enabled=enabled)
    messages.success(
        request,
        "You will get a daily digest e-mail."
        if enabled
        else "E-mails are off. Your reminders still appear here.",
    )
    return redirect("notifications:inbox", org_slug=org_slug)
