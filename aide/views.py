from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render

from .guides import GUIDES, guide_by_slug

# The date and method of the last accessibility audit, shown on the statement.
ACCESSIBILITY_AUDIT = {
    "date": "29/11/2026",
    "tool": "axe-core 4.14.1",
}


@login_not_required
def index(request):
    return render(request, "aide/index.html", {"guides": GUIDES})


@login_not_required
def guide(request, slug):
    found = guide_by_slug(slug)
    if found is None:
        raise Http404("Ce guide n'existe pas.")
    steps = [
        (step, found.image(index) if step.shot else None)
        for index, step in enumerate(found.steps, start=1)
    ]
    return render(request, "aide/guide.html", {"guide": found, "steps": steps})


@login_not_required
def accessibility(request):
    return render(request, "aide/accessibility.html", {"audit": ACCESSIBILITY_AUDIT})
