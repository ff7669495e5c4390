"""The programme's library of background materials."""

from django.core.files.uploadedfile import UploadedFile

from organisations.models import User

from ..models import Programme, Resource
from ..models.resources import display_file_name


def resource_add(
    *,
    programme: Programme,
    title: str,
    description: str,
    audience: str,
    added_by: User,
    url: str = "",
    upload: UploadedFile | None = None,
) -> Resource:
    """Add a link or an uploaded file (checked by the form for type and size)."""
    resource = Resource(
        programme=programme,
        title=title.strip(),
        description=description.strip(),
        audience=audience,
        url=url if upload is None else "",
        added_by=added_by,
    )
    if upload is not None:
        resource.file_name = display_file_name(upload.name)
        resource.file_size = upload.size
        resource.file.save(upload.name, upload, save=False)
    resource.save()
    return resource


def resource_delete(*, resource: Resource) -> None:
    if resource.file:
        resource.file.delete(save=False)
    resource.delete()
