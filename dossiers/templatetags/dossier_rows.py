"""`{% dossier_rows rows %}`: the rows of the dossier list, written in Python as the admin's
`result_list` writes its cells (issue #14): twenty rows through `{% include %}` templates cost
more than the page's queries. The markup is that of `dossiers/_state_badge.html` and of the row
actions; `tests/dossiers/views/test_list_rows_html.py` checks it."""

import functools
from html import escape

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from ..enums import STATE_BADGES

register = template.Library()

# The links of a row: reversed once (per script prefix and URLconf) with a placeholder id,
# filled per row.
ROW_URLS = {
    "detail": ("dossiers:detail", ()),
    "edit": ("dossiers:step", ("certification",)),
    "assess": ("evaluations:assessment", ()),
    "duplicate": ("dossiers:duplicate", ()),
    "pdf": ("dossier_pdf", ()),
    "sheet": ("jurys:dossier_sheet", ()),
    "delete": ("dossiers:delete", ()),
}
PLACEHOLDER_PK = 987654321


@functools.lru_cache(maxsize=8)
def _links(prefix, urlconf):
    """(the rows' URL halves around the id, the notifications' URL, the export's URL)."""
    halves = {
        name: tuple(
            escape(part)
            for part in reverse(url, urlconf, args=[PLACEHOLDER_PK, *extra]).split(
                str(PLACEHOLDER_PK)
            )
        )
        for name, (url, extra) in ROW_URLS.items()
    }
    return (
        halves,
        escape(reverse("notifications:list", urlconf)),
        escape(reverse("exports:dossiers", urlconf)),
    )


def _button(href, title, label, icon, *, hidden="", style="outline-secondary"):
    """An icon link: `title` in its tooltip, `label` for screen readers, `hidden` (default the
    title) as its visually hidden text."""
    return (
        f'<a class="btn btn-sm btn-{style}" href="{href}" data-bs-toggle="tooltip" '
        f'title="{title}" aria-label="{label}"><i class="bi bi-{icon}" aria-hidden="true"></i>'
        f'<span class="visually-hidden">{hidden or title}</span></a>'
    )


def _actions(row, number, urls, notifications_url, export_url, csrf_input):
    parts = []
    if row.unread_notification:
        parts.append(
            f'<a class="btn btn-sm btn-warning" href="{notifications_url}?lien={urls["detail"]}" '
            'data-bs-toggle="tooltip" title="Notification non lue" '
            f'aria-label="Notification non lue sur le dossier {number}">'
            '<i class="bi bi-bell-fill" aria-hidden="true"></i>'
            '<span class="visually-hidden">Notification</span></a>'
        )
    parts.append(_button(urls["detail"], "Consulter", f"Consulter le dossier {number}", "eye"))
    if row.can_edit:
        parts.append(_button(urls["edit"], "Éditer", f"Éditer le dossier {number}", "pencil"))
    if row.can_assess and not row.has_invitation:
        parts.append(
            _button(
                f"{urls['assess']}#invitation",
                "Inviter un évaluateur métier",
                f"Inviter un évaluateur métier pour le dossier {number}",
                "person-plus",
                style="outline-primary",
            )
        )
    if row.can_duplicate:
        parts.append(
            f'<form method="post" action="{urls["duplicate"]}">{csrf_input}'
            '<button type="submit" class="btn btn-sm btn-outline-secondary" '
            'data-bs-toggle="tooltip" title="Dupliquer" '
            f'aria-label="Dupliquer le dossier {number}" data-confirm="Créer un nouveau dossier '
            f'avec les mêmes choix que {number} ?"><i class="bi bi-copy" aria-hidden="true"></i>'
            '<span class="visually-hidden">Dupliquer</span></button></form>'
        )
    parts.append(
        _button(
            urls["pdf"],
            "Exporter au format PDF",
            f"Exporter le dossier {number} au format PDF",
            "filetype-pdf",
            hidden="Exporter PDF",
        )
    )
    parts.append(
        _button(
            f"{export_url}?q={number}",
            "Exporter au format Excel",
            f"Exporter le dossier {number} au format Excel",
            "filetype-xlsx",
            hidden="Exporter Excel",
        )
    )
    if row.is_decided:
        parts.append(
            _button(
                urls["sheet"],
                "Exporter la feuille de décision du jury",
                f"Exporter la feuille de décision du jury du dossier {number}",
                "file-earmark-ruled",
            )
        )
    if row.can_edit:
        parts.append(
            _button(
                urls["delete"],
                "Supprimer",
                f"Supprimer le dossier {number}",
                "trash",
                style="outline-danger",
            )
        )
    return (
        '<div class="row-actions d-inline-flex flex-wrap justify-content-end gap-1" role="group" '
        f'aria-label="Actions sur le dossier {number}">{"".join(parts)}</div>'
    )


@register.simple_tag(takes_context=True)
def dossier_rows(context, rows, *, is_employer):
    """The `<tr>` of each `dossiers.rows.ListRow` of the page."""
    halves, notifications_url, export_url = _links(
        get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    )
    token = context.get("csrf_token")
    csrf_input = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'
        if token
        else ""
    )
    html = []
    for row in rows:
        pk = str(row.pk)
        urls = {name: pk.join(parts) for name, parts in halves.items()}
        number = escape(row.number)
        option = (
            f' <span class="text-body-secondary">({escape(row.option__label)})</span>'
            if row.option__label
            else ""
        )
        establishment = "" if is_employer else f"<td>{escape(row.establishment__name)}</td>"
        to_register = (
            '<div class="small text-body-secondary">à inscrire à un jury</div>'
            if row.is_awaiting_jury and not row.is_registered
            else ""
        )
        html.append(
            f'<tr><td class="text-nowrap"><a href="{urls["detail"]}">{number}</a></td>'
            f"<td>{escape(row.candidate_name or '— à renseigner —')}</td>"
            f"<td>{escape(row.certification__label)}{option}</td>"
            f"{establishment}"
            f"<td>{timezone.localtime(row.created_at):%d/%m/%Y}</td>"
            f'<td><span class="badge text-bg-{STATE_BADGES.get(row.state, "secondary")}">'
            f"{escape(row.state_label)}</span>{to_register}</td>"
            f'<td class="text-end">'
            f"{_actions(row, number, urls, notifications_url, export_url, csrf_input)}</td></tr>"
        )
    return mark_safe("".join(html))  # noqa: S308 — every value above is escaped
