from functools import cache

from .selectors import unread_count


def notifications(request):
    """The bell's unread count, queried once and only if a template actually shows it.

    A memoised callable rather than a lazy object: templates call it and get a real int, so
    filters such as `pluralize` work on it.
    """
    user = getattr(request, "user", None)

    @cache
    def unread_notifications_count():
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user)

    return {"unread_notifications_count": unread_notifications_count}
