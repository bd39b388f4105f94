"""Role × URL matrix of every dossier URL (SPEC §4, §10): who gets 200, 302, 403 or 404."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from dossiers.enums import WIZARD_STEPS, DossierState, WizardStep
from dossiers.exceptions import ALREADY_MOVED, NOT_ALLOWED, NOT_EDITABLE
from dossiers.models import Attachment, Dossier
from tests.factories.accounts import EmployerFactory, MembershipFactory, StaffFactory, UserFactory
from tests.factories.dossiers import AttachmentFactory, DossierFactory
from tests.factories.evaluations import AssessorFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/comptes/login/"
STEP_LOCKED = "Ce dossier n'est plus modifiable."
DELETE_LOCKED = "Seul un dossier en cours d'inscription peut être supprimé."
ROLES = [
    "anonymous",
    "owner",
    "other_employer",
    "other_assessor",
    "assigned_assessor",
    "secretariat",
]
STEP_SLUGS = [step.value for step in WIZARD_STEPS]
# Views that only accept POST; every other dossier URL is tried with GET.
POST_ONLY = {"submit", "duplicate", "attachment_delete"}
OBJECT_URLS = [
    "detail",
    *(f"step:{slug}" for slug in STEP_SLUGS),
    "submit",
    "return",
    "delete",
    "duplicate",
    "attachment_download",
    "attachment_delete",
]
ALL_URLS = ["list", "create", *OBJECT_URLS]


def _path(key, dossier, attachment):
    if key == "list":
        return reverse("dossiers:list")
    if key == "create":
        return reverse("dossiers:create")
    if key.startswith("step:"):
        return reverse("dossiers:step", args=[dossier.pk, key.split(":", 1)[1]])
    if key.startswith("attachment_"):
        return reverse(f"dossiers:{key}", args=[dossier.pk, attachment.pk])
    return reverse(f"dossiers:{key}", args=[dossier.pk])


def _detail(dossier):
    return f"/dossiers/{dossier.pk}/"


def _step(dossier, step):
    return f"/dossiers/{dossier.pk}/etape/{step}/"


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Expected answers. ("status", code) · ("redirect", where, [messages]) where `where` is a
# function of the dossier · ("duplicated",): a redirect into the wizard of the new copy.
OK = ("status", 200)
NOT_FOUND = ("status", 404)
FORBIDDEN = ("status", 403)
TO_DETAIL_STEP_LOCKED = ("redirect", _detail, [STEP_LOCKED])
TO_DETAIL_DELETE_LOCKED = ("redirect", _detail, [DELETE_LOCKED])
TO_REVIEW_ALREADY_MOVED = (
    "redirect",
    lambda d: _step(d, WizardStep.REVIEW),
    [ALREADY_MOVED],
)
TO_DIPLOMAS_NOT_EDITABLE = (
    "redirect",
    lambda d: _step(d, WizardStep.DIPLOMAS),
    [NOT_EDITABLE],
)
DUPLICATED = ("duplicated",)


def _expected_owner(state):
    registering = state == DossierState.REGISTERING
    table = {
        "list": OK,
        "create": OK,
        "detail": OK,
        "return": FORBIDDEN,
        "duplicate": DUPLICATED,
        "attachment_download": OK,
    }
    for slug in STEP_SLUGS:
        table[f"step:{slug}"] = OK if registering else TO_DETAIL_STEP_LOCKED
    if registering:
        table["submit"] = (
            "redirect",
            _detail,
            lambda d: [
                f"Dossier {d.number} soumis : il est en attente d'évaluation et l'évaluateur "
                "a été prévenu."
            ],
        )
        table["delete"] = OK
        table["attachment_delete"] = (
            "redirect",
            lambda d: _step(d, WizardStep.DIPLOMAS),
            ["Pièce « Baccalauréat professionnel » retirée du dossier."],
        )
    else:
        table["submit"] = TO_REVIEW_ALREADY_MOVED
        table["delete"] = TO_DETAIL_DELETE_LOCKED
        table["attachment_delete"] = TO_DIPLOMAS_NOT_EDITABLE
    return table


def _expected_stranger(*, employer):
    """Another establishment's employer or an assessor who cannot see the dossier."""
    table = dict.fromkeys(OBJECT_URLS, NOT_FOUND)
    table["list"] = OK
    table["create"] = OK if employer else FORBIDDEN
    return table


def _expected_reader(*, can_return):
    """The assigned assessor or the secretariat on a submitted dossier: read-only."""
    table = {
        "list": OK,
        "create": FORBIDDEN,
        "detail": OK,
        "submit": TO_REVIEW_ALREADY_MOVED,
        "return": OK if can_return else FORBIDDEN,
        "delete": TO_DETAIL_DELETE_LOCKED,
        "duplicate": FORBIDDEN,
        "attachment_download": OK,
        "attachment_delete": TO_DIPLOMAS_NOT_EDITABLE,
    }
    for slug in STEP_SLUGS:
        table[f"step:{slug}"] = TO_DETAIL_STEP_LOCKED
    return table


def _expected_secretariat_registering():
    table = {
        "list": OK,
        "create": FORBIDDEN,
        "detail": OK,
        "submit": ("redirect", lambda d: _step(d, WizardStep.REVIEW), [NOT_ALLOWED]),
        "return": FORBIDDEN,
        "delete": ("redirect", _detail, [NOT_ALLOWED]),
        "duplicate": FORBIDDEN,
        "attachment_download": OK,
        "attachment_delete": ("redirect", lambda d: _step(d, WizardStep.DIPLOMAS), [NOT_ALLOWED]),
    }
    for slug in STEP_SLUGS:
        # The dossier *is* editable (by its employer): « n'est plus modifiable » would be false.
        table[f"step:{slug}"] = ("redirect", _detail, [NOT_ALLOWED])
    return table


EXPECTED = {
    DossierState.REGISTERING: {
        "owner": _expected_owner(DossierState.REGISTERING),
        "other_employer": _expected_stranger(employer=True),
        "other_assessor": _expected_stranger(employer=False),
        # Not submitted yet: the assessor does not see the dossier at all.
        "assigned_assessor": _expected_stranger(employer=False),
        "secretariat": _expected_secretariat_registering(),
    },
    DossierState.AWAITING_ASSESSMENT: {
        "owner": _expected_owner(DossierState.AWAITING_ASSESSMENT),
        "other_employer": _expected_stranger(employer=True),
        "other_assessor": _expected_stranger(employer=False),
        "assigned_assessor": _expected_reader(can_return=True),
        "secretariat": _expected_reader(can_return=True),
    },
}

KNOWN_BUGS = {}


def _cases():
    for state in (DossierState.REGISTERING, DossierState.AWAITING_ASSESSMENT):
        for role in ROLES:
            for key in ALL_URLS:
                marks = ()
                reason = KNOWN_BUGS.get((state, role, key))
                if reason:
                    marks = pytest.mark.xfail(strict=True, reason=reason)
                yield pytest.param(state, role, key, marks=marks, id=f"{state}-{role}-{key}")


@pytest.fixture
def make_user():
    def make(role, dossier):
        if role == "anonymous":
            return None
        if role == "owner":
            user = UserFactory()
            MembershipFactory(user=user, establishment=dossier.establishment)
            return user
        if role == "other_employer":
            return EmployerFactory()
        if role == "other_assessor":
            return AssessorFactory().user
        if role == "assigned_assessor":
            return dossier.assessor.user
        if role == "secretariat":
            return StaffFactory()
        raise AssertionError(role)

    return make


@pytest.mark.parametrize(("state", "role", "key"), list(_cases()))
def test_dossier_url_answer_per_role_and_state(client, make_user, state, role, key):
    dossier = DossierFactory(state=state)
    attachment = AttachmentFactory(dossier=dossier)
    user = make_user(role, dossier)
    if user is not None:
        client.force_login(user)
    path = _path(key, dossier, attachment)

    response = client.post(path) if key in POST_ONLY else client.get(path)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN_URL}?next={path}"
        return
    expected = EXPECTED[state][role][key]
    if expected[0] == "status":
        assert response.status_code == expected[1]
        if key == "attachment_download" and response.status_code == 200:
            response.close()
    elif expected[0] == "redirect":
        _, where, texts = expected
        assert response.status_code == 302
        assert response["Location"] == where(dossier)
        assert _messages(response) == (texts(dossier) if callable(texts) else texts)
    else:
        copy = Dossier.objects.get(origin=dossier)
        assert response.status_code == 302
        assert response["Location"] == _step(copy, WizardStep.ASSESSOR)


@pytest.mark.parametrize("role", ["other_employer", "other_assessor", "assigned_assessor"])
def test_list_dossier_not_shown_to_those_who_cannot_see_it(client, make_user, role):
    dossier = DossierFactory()
    client.force_login(make_user(role, dossier))
    response = client.get("/dossiers/")
    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == []
    assert dossier.number not in response.content.decode()


@pytest.mark.parametrize("role", ["owner", "assigned_assessor", "secretariat"])
def test_list_submitted_dossier_shown_to_those_who_can_see_it(client, make_user, role):
    dossier = DossierFactory(awaiting_assessment=True)
    client.force_login(make_user(role, dossier))
    response = client.get("/dossiers/")
    assert response.status_code == 200
    assert [row.pk for row in response.context["page_obj"].object_list] == [dossier.pk]


@pytest.mark.parametrize("step", STEP_SLUGS)
@pytest.mark.parametrize(
    "state",
    [
        DossierState.AWAITING_ASSESSMENT,
        DossierState.AWAITING_JURY,
        DossierState.VALIDATED,
        DossierState.PARTIALLY_VALIDATED,
        DossierState.NOT_VALIDATED,
    ],
)
def test_step_owner_outside_registering_redirected_with_message(client, make_user, state, step):
    dossier = DossierFactory(state=state)
    client.force_login(make_user("owner", dossier))
    response = client.post(
        _step(dossier, step), {"training_scheme": dossier.training_scheme_id}, follow=True
    )
    assert response.redirect_chain == [(_detail(dossier), 302)]
    assert [str(m) for m in response.context["messages"]] == [STEP_LOCKED]
    assert escape(STEP_LOCKED) in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == state


@pytest.mark.parametrize(
    "state",
    [
        DossierState.AWAITING_ASSESSMENT,
        DossierState.AWAITING_JURY,
        DossierState.VALIDATED,
        DossierState.PARTIALLY_VALIDATED,
        DossierState.NOT_VALIDATED,
    ],
)
def test_delete_owner_outside_registering_refused_with_message(client, make_user, state):
    dossier = DossierFactory(state=state)
    client.force_login(make_user("owner", dossier))
    response = client.post(f"/dossiers/{dossier.pk}/supprimer/", follow=True)
    assert response.redirect_chain == [(_detail(dossier), 302)]
    assert [str(m) for m in response.context["messages"]] == [DELETE_LOCKED]
    assert Dossier.objects.filter(pk=dossier.pk).exists()


def test_attachment_delete_owner_after_submission_refused_file_kept(client, make_user):
    dossier = DossierFactory(awaiting_assessment=True)
    attachment = AttachmentFactory(dossier=dossier)
    client.force_login(make_user("owner", dossier))
    response = client.post(f"/dossiers/{dossier.pk}/pieces/{attachment.pk}/retirer/", follow=True)
    assert response.redirect_chain == [
        (_step(dossier, WizardStep.DIPLOMAS), 302),
        (_detail(dossier), 302),
    ]
    assert [str(m) for m in response.context["messages"]] == [NOT_EDITABLE, STEP_LOCKED]
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert attachment.file.storage.exists(attachment.file.name)


@pytest.mark.parametrize("key", ["submit", "duplicate", "attachment_delete"])
def test_post_only_url_get_refused_with_405(client, make_user, key):
    dossier = DossierFactory()
    attachment = AttachmentFactory(dossier=dossier)
    client.force_login(make_user("owner", dossier))
    response = client.get(_path(key, dossier, attachment))
    assert response.status_code == 405


def test_step_unknown_slug_answers_404(client, make_user):
    dossier = DossierFactory()
    client.force_login(make_user("owner", dossier))
    assert client.get(f"/dossiers/{dossier.pk}/etape/inconnue/").status_code == 404


def test_attachment_of_another_dossier_answers_404(client, make_user):
    dossier = DossierFactory()
    foreign = AttachmentFactory()
    client.force_login(make_user("owner", dossier))
    assert client.get(f"/dossiers/{dossier.pk}/pieces/{foreign.pk}/").status_code == 404
    response = client.post(f"/dossiers/{dossier.pk}/pieces/{foreign.pk}/retirer/")
    assert response.status_code == 404
    assert Attachment.objects.filter(pk=foreign.pk).exists()
