from django.contrib import admin

from .models import ProgrammeReport


@admin.register(ProgrammeReport)
class ProgrammeReportAdmin(admin.ModelAdmin):
    list_display = ["programme", "kind", "status", "created_at"]
