from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from .forms import AccountRequestForm
from .services import account_request_submit


@login_not_required
def account_request_create(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = AccountRequestForm(request.POST or None)
    if request.method == "POST" and _too_many_requests(request):
        form.add_error(
            None,
            "Trop de demandes envoyées depuis votre connexion : réessayez dans une heure ou "
            "écrivez au secrétariat des CQP (opic@uic.fr).",
        )
    elif request.method == "POST" and form.is_valid():
        account_request_submit(form=form)
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


REQUESTS_PER_HOUR = 5


def _too_many_requests(request):
    """At most 5 account requests an hour from one address: the form sends emails."""
    key = f"account-request:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > REQUESTS_PER_HOUR
