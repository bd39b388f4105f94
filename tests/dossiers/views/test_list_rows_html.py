"""The dossier list's rows, written in Python (`{% dossier_rows %}`, issue #14): what each cell
shows, escaped, and the search's hits read once for the count and the page."""

import datetime

import pytest

from dossiers import rows
from dossiers.models import Dossier
from ecertif.notifications.models import Notification
from tests.dossiers.views.helpers import LIST_URL
from tests.factories.accounts import EstablishmentFactory, StaffFactory
from tests.factories.dossiers import CandidateFactory, DossierFactory
from tests.factories.jurys import SessionRegistrationFactory
from tests.factories.referentiel import CertificationFactory, CertificationOptionFactory

pytestmark = pytest.mark.django_db


def _page(client, path=LIST_URL):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_row_cells_are_escaped(staff_client):
    establishment = EstablishmentFactory(name='Chimie & <Fils> "Nord"')
    certification = CertificationFactory(label="Opérateur <b>")
    option = CertificationOptionFactory(certification=certification, label="Option & co")
    candidate = CandidateFactory(
        establishment=establishment, birth_name="o'neil", usage_name="", first_names="<i>Zoé</i>"
    )
    dossier = DossierFactory(
        establishment=establishment,
        candidate=candidate,
        certification=certification,
        option=option,
    )
    content = _page(staff_client)
    assert (
        f'<tr><td class="text-nowrap"><a href="/dossiers/{dossier.pk}/">{dossier.number}</a></td>'
        "<td>O&#x27;NEIL &lt;i&gt;Zoé&lt;/i&gt;</td>"
        "<td>Opérateur &lt;b&gt; "
        '<span class="text-body-secondary">(Option &amp; co)</span></td>'
        "<td>Chimie &amp; &lt;Fils&gt; &quot;Nord&quot;</td>"
    ) in content
    assert "<i>Zoé</i>" not in content


def test_row_without_candidate_says_to_fill_it(staff_client):
    dossier = DossierFactory(candidate=None)
    content = _page(staff_client)
    assert f"{dossier.number}</a></td><td>— à renseigner —</td>" in content


def test_row_date_is_the_local_day(staff_client):
    dossier = DossierFactory()
    # 23:30 UTC on 31 December is already 1 January in Paris.
    Dossier.objects.filter(pk=dossier.pk).update(
        created_at=datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC)
    )
    assert "<td>01/01/2026</td>" in _page(staff_client)


def test_row_state_badge_and_jury_hint(staff_client):
    waiting = DossierFactory(awaiting_jury=True)
    registered = SessionRegistrationFactory().dossier
    content = _page(staff_client)
    hint = '<div class="small text-body-secondary">à inscrire à un jury</div>'
    badge = '<span class="badge text-bg-warning">En attente de jury</span>'
    assert content.count(f"<td>{badge}{hint}</td>") == 1
    assert content.count(f"<td>{badge}</td>") == 1
    for dossier in (waiting, registered):
        assert f'href="/dossiers/{dossier.pk}/"' in content


def test_row_bell_for_an_unread_notification(client):
    staff = StaffFactory()
    dossier = DossierFactory()
    other = DossierFactory()
    Notification.objects.create(recipient=staff, text="À voir", link=f"/dossiers/{dossier.pk}/")
    client.force_login(staff)
    content = _page(client)
    assert (
        f'<a class="btn btn-sm btn-warning" href="/notifications/?lien=/dossiers/{dossier.pk}/" '
        'data-bs-toggle="tooltip" title="Notification non lue" '
        f'aria-label="Notification non lue sur le dossier {dossier.number}">'
    ) in content
    assert f"Notification non lue sur le dossier {other.number}" not in content


def test_row_duplicate_form_carries_the_csrf_token(employer_client):
    dossier = DossierFactory(establishment=employer_client.establishment)
    content = _page(employer_client)
    assert (
        f'<form method="post" action="/dossiers/{dossier.pk}/dupliquer/">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="'
    ) in content
    # The employer's list has no establishment column.
    assert f"<td>{dossier.establishment.name}</td>" not in content


def test_search_reads_its_hits_once(staff_client, django_assert_num_queries):
    wanted = DossierFactory(candidate=CandidateFactory(birth_name="Quenardel"))
    DossierFactory(candidate=CandidateFactory(birth_name="Autre"))
    path = f"{LIST_URL}?q=quenard"
    _page(staff_client, path)
    # Session, user, the hits in their order (count and page), the rows.
    with django_assert_num_queries(4):
        content = _page(staff_client, path)
    assert "1 dossier<" in content
    assert f">{wanted.number}</a>" in content


def test_search_beyond_the_limit_pages_through_the_queryset(staff_client, monkeypatch):
    monkeypatch.setattr(rows, "SEARCH_IDS_LIMIT", 2)
    found = [DossierFactory(candidate=CandidateFactory(birth_name="Quenardel")) for _ in range(3)]
    response = staff_client.get(f"{LIST_URL}?q=quenard")
    assert response.context["page_obj"].paginator.count == 3
    assert [row.pk for row in response.context["page_obj"].object_list] == [
        dossier.pk for dossier in reversed(found)
    ]


def test_filter_select_options_escaped_and_selected(staff_client):
    certification = CertificationFactory(label='Conduite "A" & <B>')
    content = _page(staff_client, f"{LIST_URL}?certification={certification.pk}")
    assert (
        f'<option value="{certification.pk}" selected>Conduite &quot;A&quot; &amp; &lt;B&gt;'
        "</option>"
    ) in content
    assert '<option value="validated">Validé</option>' in content
