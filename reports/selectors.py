from django.db.models import QuerySet

from programmes.models import Programme

from .models import ProgrammeReport


def reports_of(programme: Programme) -> QuerySet[ProgrammeReport]:
    return ProgrammeReport.objects.filter(programme=programme).select_related("requested_by")
