"""The register import's steps through the views: upload, the mapping step, the preview."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def mapping_choices(page, **changes):
    """What the mapping step's form posts as pre-filled, with `changes` ({header as
    written: key or ""}) made."""
    form = page.context["form"]
    data = {}
    for column, field in form.rows():
        data[field.html_name] = changes.get(column.header, field.value() or "")
    return data


def upload_and_map(client, kind, data, name="register.csv", **changes):
    """Upload the file and take the mapping step as pre-filled (with `changes`); the
    response is the mapping step's (a redirect to the preview when it was accepted), or
    the upload page's when the file was refused."""
    response = client.post(
        reverse("register_import", args=[kind]), {"file": SimpleUploadedFile(name, data)}
    )
    if response.status_code != 302:
        return response
    page = client.get(response["Location"])
    return client.post(response["Location"], mapping_choices(page, **changes))
