import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.utils import timezone
from django.utils.html import escape

from ecertif.accounts.enums import Role
from evaluations.models import Assessor
from home.roles import roles_for
from jurys.enums import College
from jurys.models import JuryMember
from tests.factories.accounts import PASSWORD, EmployerFactory, StaffFactory, UserFactory

LOGIN = "/comptes/login/"
TOO_MANY = "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement."
BAD_CREDENTIALS = "L’adresse e-mail ou le mot de passe sont incorrects."


def _login(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


@pytest.mark.django_db
def test_login_success_redirects_home(client):
    user = EmployerFactory(email="rh@exemple.fr")
    response = _login(client, "RH@exemple.fr", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_login_wrong_password_french_error(client):
    UserFactory(email="rh@exemple.fr")
    response = _login(client, "rh@exemple.fr", "mauvais")
    assert response.status_code == 200
    assert escape(BAD_CREDENTIALS) in response.content.decode()


@pytest.mark.django_db
def test_login_rate_limit_refuses_then_window_passes(client):
    UserFactory(email="rh@exemple.fr")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            response = _login(client, "rh@exemple.fr", "mauvais")
            assert response.status_code == 200
            assert TOO_MANY not in response.content.decode()
        # The attempt after the limit is refused, even with the right password.
        response = _login(client, "rh@exemple.fr", PASSWORD)
        assert response.status_code in (200, 429)
        assert escape(TOO_MANY) in response.content.decode()
        assert "_auth_user_id" not in client.session
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        response = _login(client, "rh@exemple.fr", PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == "/"


@pytest.mark.django_db
def test_signup_is_closed(client):
    response = client.get("/comptes/signup/")
    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    response = client.post(
        "/comptes/signup/",
        {"email": "x@exemple.fr", "password1": "Abcdef-12345", "password2": "Abcdef-12345"},
    )
    assert not UserFactory._meta.model.objects.filter(email="x@exemple.fr").exists()


@pytest.mark.django_db
def test_mfa_required_for_secretariat_when_enforced(client, settings):
    settings.ECERTIF_MFA_REQUIRED = True
    staff = StaffFactory()
    client.force_login(staff)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/comptes/2fa/totp/activate/"
    response = client.get("/admin/")
    assert response["Location"] == "/comptes/2fa/totp/activate/"
    # No redirect loop: the activation flow (re-authentication first) is reachable.
    response = client.get("/comptes/2fa/totp/activate/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [
        ("/comptes/reauthenticate/?next=%2Fcomptes%2F2fa%2Ftotp%2Factivate%2F", 302)
    ]


@pytest.mark.django_db
def test_mfa_required_for_jury_member_when_enforced(client, settings):
    settings.ECERTIF_MFA_REQUIRED = True
    user = UserFactory()
    JuryMember.objects.create(user=user, college=College.EMPLOYEES, organisation="FCE-CFDT")
    client.force_login(user)
    assert client.get("/")["Location"] == "/comptes/2fa/totp/activate/"


@pytest.mark.django_db
def test_mfa_satisfied_with_totp(client, settings):
    settings.ECERTIF_MFA_REQUIRED = True
    staff = StaffFactory()
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_mfa_not_required_for_employer_or_when_off(client, settings):
    settings.ECERTIF_MFA_REQUIRED = True
    client.force_login(EmployerFactory())
    assert client.get("/").status_code == 200
    settings.ECERTIF_MFA_REQUIRED = False
    client.force_login(StaffFactory())
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_roles_derived_from_data():
    user = UserFactory()
    assert roles_for(user) == []
    employer = EmployerFactory()
    assert roles_for(employer) == [Role.EMPLOYER]
    Assessor.objects.create(user=employer, accreditation_number="CPNE-1")
    assert roles_for(employer) == [Role.ASSESSOR, Role.EMPLOYER]
    JuryMember.objects.create(
        user=employer, college=College.EMPLOYERS, organisation="France Chimie"
    )
    assert roles_for(employer) == [Role.JURY_MEMBER, Role.ASSESSOR, Role.EMPLOYER]
    employer.is_staff = True
    employer.save()
    assert roles_for(employer)[0] == Role.SECRETARIAT


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "template", "text"),
    [
        (lambda: EmployerFactory(), "home/employer.html", "Espace employeur"),
        (lambda: StaffFactory(), "home/secretariat.html", "Secrétariat des CQP"),
        (
            lambda: Assessor.objects.create(user=UserFactory(), accreditation_number="A-1").user,
            "home/assessor.html",
            "Espace évaluateur habilité CPNE",
        ),
        (
            lambda: (
                JuryMember.objects.create(
                    user=UserFactory(), college=College.EMPLOYERS, organisation="France Chimie"
                ).user
            ),
            "home/jury_member.html",
            "Espace membre du jury paritaire national",
        ),
        (lambda: UserFactory(), "home/no_role.html", "aucun rôle"),
    ],
)
def test_home_per_role(client, make, template, text):
    client.force_login(make())
    response = client.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == template
    assert text in response.content.decode()


@pytest.mark.django_db
def test_home_sets_csp_header_with_nonce(client):
    client.force_login(EmployerFactory())
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy
    html = response.content.decode()
    assert html.count("<script") == html.count('nonce="')
    assert ' style="' not in html
