from django.contrib import admin

from .models import (
    Programme,
    ProgrammeMember,
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
