"""The outil n°4 on S3-compatible object storage: stored private, served after the check."""

from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations import services
from tests.s3_server import BUCKET, anonymous_get, keys, pdf_bytes


def test_guide_on_s3_private_and_downloaded_through_the_application(
    s3, client, invited, assigned_assessor, other_employer, django_capture_on_commit_callbacks
):
    s3_client, endpoint = s3
    invitation, _token = invited
    assessment = invitation.assessment
    content = pdf_bytes()

    client.force_login(assigned_assessor)
    response = client.post(
        f"/evaluations/{assessment.dossier_id}/outil-4/",
        {"file": SimpleUploadedFile("outil4.pdf", content)},
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert keys(s3_client) == [assessment.guide_scan.name]
    assert anonymous_get(f"{endpoint}/{BUCKET}/{assessment.guide_scan.name}") == 403

    url = f"/evaluations/{assessment.dossier_id}/outil-4/telecharger/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content

    client.force_login(other_employer)
    assert client.get(url).status_code == 404

    # Replaced by a new scan: the old object is deleted from the bucket after commit.
    old = assessment.guide_scan.name
    with django_capture_on_commit_callbacks(execute=True):
        services.guide_upload(
            assessment=assessment,
            by=assigned_assessor,
            uploaded_file=SimpleUploadedFile("v2.pdf", content),
        )
    assessment.refresh_from_db()
    assert assessment.guide_scan.name != old
    assert keys(s3_client) == [assessment.guide_scan.name]
