from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from .selectors import notifications_for
from .services import mark_all_read, mark_read, safe_link

PAGE_SIZE = 20


@require_safe
def notification_list(request):
    notifications = notifications_for(request.user)
    # ?lien=/dossiers/12/: only the notifications about one page (a dossier's « Notification »).
    link = request.GET.get("lien", "")
    if link:
        notifications = notifications.filter(link=link)
    paginator = Paginator(notifications, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page_obj": page_obj, "link": link})


@require_POST
def notification_open(request, pk):
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    mark_read(notification=notification)
    # Checked again here: a row edited in the admin must not become an open redirect.
    link = safe_link(notification.link)
    if link:
        return HttpResponseRedirect(link)
    return redirect("notifications:list")


@require_POST
def notification_mark_all_read(request):
    mark_all_read(user=request.user)
    messages.success(request, "Toutes vos notifications sont marquées comme lues.")
    return redirect("notifications:list")
