from django.contrib import admin

from .models import Programme, ProgrammeMember, ProgrammeReport, Reminder, Stage


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "start_date"]
    inlines = [StageInline]


@admin.register(ProgrammeMember)
class ProgrammeMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "programme", "role", "side"]
    list_filter = ["role"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "due_at", "sent_at"]


@admin.register(ProgrammeReport)
class ProgrammeReportAdmin(admin.ModelAdmin):
    list_display = ["programme", "kind", "status", "created_at"]
