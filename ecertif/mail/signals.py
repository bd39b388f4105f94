from django.dispatch import Signal

# Sent (inside the transaction) when an email is given up after EMAIL_RETRY_FOR_HOURS of
# failed attempts, with `email`: ecertif.accounts alerts the secretariat.
email_given_up = Signal()
