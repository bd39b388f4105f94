"""The secretariat's admin reads only French (issue #12): every page they use — the index, each
list, each change and add form, the history, the import and export pages, an import preview
and an import refused for a bad row — is walked, and no known English word may be visible."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from import_export.admin import ImportMixin

from demo.demo import seed_demo
from ecertif.accounts.models import User
from referentiel.models import Competence
from tests.factories.accounts import AccountRequestFactory

pytestmark = pytest.mark.django_db

ENGLISH = [
    # Named by issue #12.
    "Select all",
    "Number",
    "Label",
    "Authenticators",
    "Import finished",
    "Submit",
    "Confirm import",
    "Add",
    "Change",
    "History",
    "Filter",
    # Also seen in the library's pages and in Django's stored names.
    "MFA",
    "Authenticator",
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
    "Created at",
    "Last used at",
    "This importer",
    "This exporter",
    "Errors",
    "Line number",
    "Skipped",
    "Update",
    "Delete",
    "Save",
    "Search",
    "Home",
    "Log out",
    "File to import",
    "Preview",
    "Resource",
    "Non field specific",
]
ENGLISH_WORDS = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])")
BUTTON_TYPES = {"submit", "button", "reset"}


class VisibleText(HTMLParser):
    """The text a person sees: text nodes outside script/style, button values, titles."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__()
        self.parts = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "input" and attrs.get("type") in BUTTON_TYPES and attrs.get("value"):
            self.parts.append(attrs["value"])
        for name in ("title", "placeholder", "aria-label"):
            if attrs.get(name):
                self.parts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def english_in(html):
    """Each English word found, with a few words around it to locate it."""
    text = visible_text(html)
    return [
        (m.group(), text[max(0, m.start() - 40) : m.end() + 40].strip())
        for m in ENGLISH_WORDS.finditer(text)
    ]


@pytest.fixture
def secretariat_client(client):
    call_command("loaddata", "referentiel", verbosity=0)
    seed_demo()
    AccountRequestFactory()  # its page with « Approuver » / « Refuser »
    client.force_login(User.objects.get(email="secretariat@demo.ecertif.fr"))
    return client


def _admin_pages():
    """Every admin URL of every registered model, with one existing object where there is one."""
    pages = ["/admin/"]
    for model, model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        pages.append(base)
        pages.append(f"/admin/{model._meta.app_label}/")
        pages.append(base + "add/")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages += [f"{base}{first.pk}/{page}/" for page in ("change", "history", "delete")]
            pages += [base + page.format(pk=first.pk) for page in _own_object_pages(model_admin)]
        if isinstance(model_admin, ImportMixin):
            pages += [base + "import/", base + "export/"]
    return list(dict.fromkeys(pages))


def _own_object_pages(model_admin):
    """The project's own pages on one object (« refuser », « remplacer-competences »…)."""
    for url in model_admin.get_urls():
        route = str(url.pattern)
        match = re.fullmatch(r"<(?:int:pk|path:object_id)>/([\w-]+)/", route)
        if match and match.group(1) not in {"change", "history", "delete"}:
            yield "{pk}/" + match.group(1) + "/"


def test_every_admin_page_of_the_secretariat_in_french(secretariat_client):
    found = {}
    pages = _admin_pages()
    # The project's own admin pages are walked too.
    assert {"refuser", "remplacer-competences"} <= {p.rstrip("/").rsplit("/")[-1] for p in pages}
    for path in pages:
        response = secretariat_client.get(path)
        if response.status_code in (403, 405):
            continue  # pages the admin forbids (read-only models) are not seen
        assert response.status_code == 200, path
        words = english_in(response.content.decode())
        if words:
            found[path] = words
    assert found == {}


def _upload(client, path, content, **extra):
    upload = SimpleUploadedFile("import.csv", content.encode(), content_type="text/csv")
    # The format list is « --- », xlsx, csv.
    return client.post(path, {"import_file": upload, "format": "1", **extra})


def test_import_preview_and_confirmation_in_french(secretariat_client):
    path = "/admin/referentiel/competence/import/"
    preview = _upload(
        secretariat_client,
        path,
        "certification,number,label\ncqp-operateur-fabrication,99,Régler\n",
    )
    assert preview.status_code == 200
    html = preview.content.decode()
    assert english_in(html) == []
    form_page = visible_text(secretariat_client.get(path).content.decode())
    assert "Colonnes du fichier à importer : Certification, Numéro, Intitulé" in form_page
    assert "Vérifier le fichier" in form_page
    assert "Numéro" in visible_text(html)
    assert "Rien n'est encore enregistré" in visible_text(html).replace("&#x27;", "'")
    assert (
        'value="Confirmer l&#x27;importation"' in html or 'value="Confirmer l\'importation"' in html
    )
    assert "Intitulé" in visible_text(html)

    confirm_form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', html))
    confirm_form.pop("csrfmiddlewaretoken", None)
    done = secretariat_client.post(
        "/admin/referentiel/competence/process_import/", confirm_form, follow=True
    )
    assert done.status_code == 200
    assert english_in(done.content.decode()) == []
    assert (
        "Import terminé (compétences) : 1 ligne(s) ajoutée(s), 0 modifiée(s), 0 supprimée(s), "
        "0 inchangée(s)." in visible_text(done.content.decode())
    )
    assert Competence.objects.filter(number=99, label="Régler").exists()


def test_import_with_a_bad_row_in_french(secretariat_client):
    path = "/admin/referentiel/competence/import/"
    response = _upload(
        secretariat_client,
        path,
        "certification,number,label\ncqp-operateur-fabrication,abc,Régler\nX,2,Y\n",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "« abc » n'est pas un nombre entier." in visible_text(html)
    assert english_in(html) == []


def test_the_walker_sees_english():
    html = (
        '<p>Import finished</p><input type="submit" value="Submit"><script>Add()</script>'
        '<a title="History">h</a><p>Numéros, Ajouter</p>'
    )
    assert [word for word, _ in english_in(html)] == ["Import finished", "Submit", "History"]


def test_export_in_french_with_french_column_titles(secretariat_client):
    path = "/admin/referentiel/competence/export/"
    text = visible_text(secretariat_client.get(path).content.decode())
    assert "Colonnes à exporter : Tout sélectionner Certification Numéro Intitulé" in text
    assert text.count("Exporter") >= 2  # the title and the button

    response = secretariat_client.post(
        path,
        {
            "format": "1",
            "resource": "0",
            "competenceresource_certification": "on",
            "competenceresource_number": "on",
            "competenceresource_label": "on",
        },
    )
    assert response.status_code == 200, response.context["form"].errors
    assert response.get("Content-Disposition"), response.context["form"].errors
    first_line = b"".join(response.streaming_content if response.streaming else [response.content])
    assert first_line.decode("utf-8-sig").splitlines()[0] == "Certification,Numéro,Intitulé"


def test_export_without_any_column_names_the_model_not_the_class(secretariat_client):
    response = secretariat_client.post(
        "/admin/referentiel/competence/export/", {"format": "1", "resource": "0"}
    )
    text = visible_text(response.content.decode())
    assert 'Sélectionner au moins 1 champ pour "compétences" pour exporter' in text
    assert "Resource" not in text


def test_refused_row_names_the_french_column_and_the_file_line(secretariat_client):
    path = "/admin/referentiel/competence/import/"
    response = _upload(
        secretariat_client,
        path,
        "Certification,Numéro,Intitulé\ncqp-operateur-fabrication,98,Régler\n"
        "cqp-operateur-fabrication,99,\n",
    )
    html = response.content.decode()
    text = visible_text(html)
    assert english_in(html) == []
    assert "Lignes refusées" in text
    # The header is line 1 of the file: the second competence is on line 3.
    assert re.search(r"Ligne du fichier Erreurs Certification Numéro Intitulé 3 Intitulé ", text)
    assert "label" not in text
    assert not Competence.objects.filter(number__in=[98, 99]).exists()
