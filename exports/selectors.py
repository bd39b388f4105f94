from .models import ExportJob


def export_jobs_for(user):
    """A person's own export jobs, newest first: another person's job is a 404."""
    if not user.is_authenticated:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(owner=user).order_by("-created_at", "-pk")
