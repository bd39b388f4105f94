"""Role × URL matrix of every jury URL (SPEC §4, §10): 200, 302 to login, 403, 404, 405 or a
redirect with a French message — exactly what jurys/views.py answers."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from dossiers.exceptions import NOT_ALLOWED
from dossiers.models import Dossier
from jurys.urls import urlpatterns
from tests.factories.evaluations import evaluated_dossier
from tests.jurys.conftest import LOGIN_URL

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "owner",
    "other_employer",
    "assessor",
    "session_member",
    "other_session_member",
    "secretariat",
]
CANNOT_REGISTER = "Ce dossier ne peut pas être inscrit à une session."


@pytest.fixture
def awaiting(establishment, certification, owner):
    """Evaluated, built row by row: this file is about who may open which URL, not how a
    dossier gets evaluated (that path is tested with the real services elsewhere)."""
    return evaluated_dossier(
        establishment=establishment, certification=certification, created_by=owner
    )


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _detail(target):
    return f"/dossiers/{target['dossier'].pk}/"


def _session_page(target):
    return f"/jurys/sessions/{target['session'].pk}/"


OK = ("status", 200)
FORBIDDEN = ("status", 403)
NOT_FOUND = ("status", 404)
METHOD_NOT_ALLOWED = ("status", 405)
LOGIN = ("login",)


def to_detail(*texts):
    return ("redirect", _detail, lambda target: list(texts))


def to_session(*texts):
    return ("redirect", _session_page, lambda target: list(texts))


def everyone(answer, **exceptions):
    """`answer` for every signed-in role, anonymous to the login page, unless overridden."""
    table = dict.fromkeys(ROLES, answer)
    table["anonymous"] = LOGIN
    table.update(exceptions)
    return table


# The dossier each URL is tried on: `awaiting` (evaluated, not registered), `registered` (to
# `session`, whose date has come) or `partial` (decided « Partiel » by `session`).
# (url name, object, method, {role: expected answer})
MATRIX = {
    "sessions": (
        "sessions",
        None,
        "get",
        everyone(
            OK,
            owner=FORBIDDEN,
            other_employer=FORBIDDEN,
            assessor=FORBIDDEN,
        ),
    ),
    "session": (
        "session",
        "registered",
        "get",
        everyone(NOT_FOUND, session_member=OK, secretariat=OK),
    ),
    "session_close-get": ("session_close", "registered", "get", everyone(METHOD_NOT_ALLOWED)),
    "session_close-post": (
        "session_close",
        "registered",
        "post",
        everyone(
            NOT_FOUND,
            session_member=to_session(NOT_ALLOWED),
            secretariat=to_session(
                "Session clôturée. 1 dossier(s) non examiné(s) rendu(s) à l'employeur pour une "
                "prochaine session."
            ),
        ),
    ),
    # The PDF views belong to the documents suite (tests/jurys/test_documents.py): only the
    # answers that do not render a PDF (login, 404) are part of this matrix.
    "session_sheet": (
        "session_sheet",
        "registered",
        "get",
        {
            "anonymous": LOGIN,
            "owner": NOT_FOUND,
            "other_employer": NOT_FOUND,
            "assessor": NOT_FOUND,
            "other_session_member": NOT_FOUND,
        },
    ),
    "register-awaiting": (
        "register",
        "awaiting",
        "get",
        everyone(
            NOT_FOUND,
            owner=OK,
            assessor=to_detail(CANNOT_REGISTER),
            secretariat=to_detail(CANNOT_REGISTER),
        ),
    ),
    "register-registered": (
        "register",
        "registered",
        "get",
        everyone(
            NOT_FOUND,
            owner=to_detail(CANNOT_REGISTER),
            assessor=to_detail(CANNOT_REGISTER),
            # The jury member reads the dossiers of their session, but may not register them.
            session_member=to_detail(CANNOT_REGISTER),
            secretariat=to_detail(CANNOT_REGISTER),
        ),
    ),
    "register-post": (
        "register",
        "awaiting",
        "post",
        everyone(
            NOT_FOUND,
            owner=(
                "redirect",
                _detail,
                lambda target: [
                    f"Dossier {target['dossier'].number} inscrit au jury du "
                    f"{target['session'].date:%d/%m/%Y}."
                ],
            ),
            assessor=to_detail(CANNOT_REGISTER),
            secretariat=to_detail(CANNOT_REGISTER),
        ),
    ),
    "withdraw-get": ("withdraw", "registered", "get", everyone(METHOD_NOT_ALLOWED)),
    "withdraw-post": (
        "withdraw",
        "registered",
        "post",
        everyone(
            NOT_FOUND,
            owner=to_detail("Inscription retirée : le dossier est à inscrire à un jury."),
            assessor=to_detail(NOT_ALLOWED),
            session_member=to_detail(NOT_ALLOWED),
            secretariat=to_detail(NOT_ALLOWED),
        ),
    ),
    "move": (
        "move",
        "registered",
        "get",
        everyone(
            NOT_FOUND,
            owner=FORBIDDEN,
            assessor=FORBIDDEN,
            session_member=FORBIDDEN,
            secretariat=OK,
        ),
    ),
    "decide": (
        "decide",
        "registered",
        "get",
        everyone(
            NOT_FOUND,
            owner=FORBIDDEN,
            assessor=FORBIDDEN,
            session_member=OK,
            secretariat=OK,
        ),
    ),
    "decide-unregistered": (
        "decide",
        "awaiting",
        "get",
        everyone(NOT_FOUND, owner=FORBIDDEN, assessor=FORBIDDEN, secretariat=OK),
    ),
    "revoke": (
        "revoke",
        "partial",
        "get",
        # The jury member still reads the dossier their session decided, but may not revoke.
        everyone(
            NOT_FOUND, owner=FORBIDDEN, assessor=FORBIDDEN, session_member=FORBIDDEN, secretariat=OK
        ),
    ),
    "reopen": (
        "reopen",
        "awaiting",
        "get",
        everyone(NOT_FOUND, owner=FORBIDDEN, assessor=FORBIDDEN, secretariat=OK),
    ),
    "reopen-registered": (
        "reopen",
        "registered",
        "get",
        everyone(
            NOT_FOUND,
            owner=FORBIDDEN,
            assessor=FORBIDDEN,
            session_member=FORBIDDEN,
            secretariat=FORBIDDEN,
        ),
    ),
    "represent-get": ("represent", "partial", "get", everyone(METHOD_NOT_ALLOWED)),
    "represent-post": (
        "represent",
        "partial",
        "post",
        everyone(
            NOT_FOUND,
            owner=("represented",),
            assessor=FORBIDDEN,
            session_member=FORBIDDEN,
            secretariat=FORBIDDEN,
        ),
    ),
    "dossier_sheet": (
        "dossier_sheet",
        "partial",
        "get",
        {"anonymous": LOGIN, "other_employer": NOT_FOUND, "other_session_member": NOT_FOUND},
    ),
    "certificate": (
        "certificate",
        "partial",
        "get",
        {"anonymous": LOGIN, "other_employer": NOT_FOUND, "other_session_member": NOT_FOUND},
    ),
    "attestation": (
        "attestation",
        "partial",
        "get",
        {"anonymous": LOGIN, "other_employer": NOT_FOUND, "other_session_member": NOT_FOUND},
    ),
}
SESSION_URLS = {"sessions", "session", "session_close", "session_sheet"}


def _cases():
    for case, (_name, _target, _method, table) in MATRIX.items():
        for role in ROLES:
            if role in table:
                yield pytest.param(case, role, id=f"{case}-{role}")


def test_matrix_covers_every_jury_url():
    assert {name for name, *_ in MATRIX.values()} == {p.name for p in urlpatterns}


@pytest.mark.parametrize(("case", "role"), list(_cases()))
def test_jury_url_answer_per_role(client, request, case, role):
    name, target_name, method, table = MATRIX[case]
    session = request.getfixturevalue("session")
    dossier = request.getfixturevalue(target_name) if target_name else None
    user = None if role == "anonymous" else request.getfixturevalue(role)
    target = {"dossier": dossier, "session": session}
    if name == "sessions":
        path = reverse("jurys:sessions")
    elif name in SESSION_URLS:
        path = reverse(f"jurys:{name}", args=[session.pk])
    else:
        path = reverse(f"jurys:{name}", args=[dossier.pk])
    data = {"session": session.pk} if (name, method) == ("register", "post") else {}
    if user is not None:
        client.force_login(user)

    response = getattr(client, method)(path, data)

    expected = table[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN_URL}?next={path}"
    elif expected[0] == "status":
        assert response.status_code == expected[1]
    elif expected[0] == "redirect":
        _, where, texts = expected
        assert (response.status_code, response["Location"]) == (302, where(target))
        assert _messages(response) == texts(target)
    else:
        new = Dossier.objects.get(origin=dossier)
        assert (response.status_code, response["Location"]) == (302, f"/dossiers/{new.pk}/")


@pytest.mark.parametrize("path", ["/jurys/", "/jurys/sessions/{pk}/"])
def test_inactive_jury_member_no_longer_sees_sessions(client, registered, session, path):
    member = session.members.get(college="employers")
    member.active = False
    member.save()
    client.force_login(member.user)

    response = client.get(path.format(pk=session.pk))

    if path == "/jurys/":
        assert response.status_code == 200
        assert response.context["upcoming"] == []
    else:
        assert response.status_code == 404
