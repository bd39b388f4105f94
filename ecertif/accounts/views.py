from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from ecertif import ratelimit
from ecertif.proxy import client_ip

from .forms import AccountRequestForm
from .services import account_request_submit


@login_not_required
def account_request_create(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = AccountRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Only accepted requests count: typos never lock a company out.
        sources = _sources(request, form)
        if any(ratelimit.exceeded(*source, limit=limit) for source, limit in sources):
            form.add_error(
                None,
                "Trop de demandes de compte envoyées récemment depuis votre connexion ou pour "
                "cet établissement : réessayez plus tard ou écrivez au secrétariat des CQP "
                "(opic@uic.fr).",
            )
        else:
            account_request_submit(form=form)
            for source, _limit in sources:
                ratelimit.record(*source, window=WINDOW)
            return redirect("accounts:request_done")
    return render(request, "accounts/account_request_form.html", {"form": form})


@require_safe
def email_address(request):
    """Replaces allauth's address management: one address per account, changed by the
    secretariat only. Adding an address let anyone claim someone else's (and receive its
    password-reset links), so this page only shows it."""
    return render(request, "accounts/email.html")


@login_not_required
def account_request_done(request):
    return render(request, "accounts/account_request_done.html")


# Accepted requests (each sends two emails) per hour: per real client address, per SIRET and per
# contact address. Tested in tests/deploy/test_rate_limits.py, documented in the README.
WINDOW = 3600
REQUESTS_PER_IP = 5
REQUESTS_PER_SIRET = 2
REQUESTS_PER_EMAIL = 3


def _sources(request, form):
    return [
        (("account-request-ip", client_ip(request)), REQUESTS_PER_IP),
        (("account-request-siret", form.cleaned_data["siret"]), REQUESTS_PER_SIRET),
        (("account-request-email", form.cleaned_data["contact_email"]), REQUESTS_PER_EMAIL),
    ]
