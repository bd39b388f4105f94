"""`{% filter_card form %}`: the dossier list's filters (issue #14), written once
per process for the same data, choices and year (`DossierFilterForm.rendering_key`) — five
selects of tens of options cost more than the page's query. A search's card is written each
time."""

from django import template
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed

register = template.Library()

TEMPLATE = "dossiers/_filter_card.html"
# Cards kept in the process (a few KB each); all forgotten when full.
KEPT = 128
_cards = {}


@register.simple_tag
def filter_card(form):
    key = form.rendering_key()
    card = _cards.get(key) if key is not None else None
    if card is None:
        card = render_to_string(TEMPLATE, {"form": form, "filters_open": form.filters_open})
        if key is not None:
            if len(_cards) >= KEPT:
                _cards.clear()
            _cards[key] = card
    return card


@receiver(file_changed)
def forget_cards(sender, file_path, **kwargs):
    """`runserver` reloads an edited template without restarting: its cards are written anew."""
    if file_path.suffix == ".html":
        _cards.clear()
