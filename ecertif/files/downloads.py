"""Serving private files: only ever as a download, never rendered by the browser."""

from django.http import FileResponse, Http404


def private_file_response(field_file, *, download_name, content_type):
    """Stream a stored file as an attachment, or raise Http404 if it is gone.

    `field_file` is anything with an `.open("rb")` method that returns (or reopens) a binary
    file: a model `FieldFile` (`dossier_file.file`), or a Django `File`, e.g.
    `File(storage.open(name), name=name)`. Permission checks belong to the calling view.
    `download_name` should come from `ecertif.files.uploads.display_name` and `content_type`
    from `CheckedUpload.content_type` (stored at upload time), never from the request.
    """
    try:
        opened = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        # ValueError: a FieldFile with no name, or a closed File whose path is gone.
        raise Http404("Fichier introuvable.") from error
    response = FileResponse(
        opened,
        as_attachment=True,
        filename=download_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
