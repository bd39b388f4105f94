from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render

from .forms import AccountRequestForm
from .services import account_request_submit


@login_not_required
def account_request_create(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = AccountRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account_request_submit(form=form)
        return redirect("accounts:request_done")
    return render(request, "accounts/account_request_form.html", {"form": form})


@login_not_required
def account_request_done(request):
    return render(request, "accounts/account_request_done.html")
