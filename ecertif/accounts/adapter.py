from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from ecertif.mail.services import queue_raw_email
from ecertif.proxy import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up; allauth's emails go through the outbox like every other email."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        return reverse("home")

    def get_client_ip(self, request):
        # The same client address as our own rate limits and the logs (TRUSTED_PROXY_COUNT).
        return client_ip(request)

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Failed logins are counted per account *and client address*: whoever mistypes or
        attacks from one address cannot lock the owner out of the account from another."""
        return (
            f"{super()._get_login_attempts_cache_key(request, **credentials)}:{client_ip(request)}"
        )

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        # allauth's emails carry password-reset keys or codes: erased once sent.
        queue_raw_email(
            to=email, subject=message.subject, body_text=message.body, body_html=html, secret=True
        )
