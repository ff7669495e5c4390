from django.contrib import admin

from .models import (
    Digest,
    Programme,
    ProgrammeMember,
    ProgrammeReport,
    Reminder,
    Resource,
    Stage,
    StageTask,
    TrainingSession,
)


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


class StageTaskInline(admin.TabularInline):
    model = StageTask
    extra = 0
    fields = ["title", "responsible_user", "responsible_role", "due_date", "status"]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "planned_start", "planned_end", "status"]
    list_filter = ["status"]
    inlines = [StageTaskInline]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "kind", "audience", "starts_at"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "audience", "created_at"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["recipient", "organisation", "day", "sent_at", "emailed"]
