from django.contrib import admin

from .models import Digest, OrganisationSweep, Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "due_at", "sent_at"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["recipient", "organisation", "day", "sent_at", "emailed"]


@admin.register(OrganisationSweep)
class OrganisationSweepAdmin(admin.ModelAdmin):
    list_display = ["organisation", "running_until", "last_finished_at"]
