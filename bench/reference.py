"""The references of the benchmark: hand-written SQL fetching what a page shows, and raw
openpyxl writing what the export writes. Each is what a careful developer would write by hand,
without the framework: the application is compared to it in the same run."""

import datetime

from django.db import connection
from openpyxl import Workbook

LIST_SELECT = """
SELECT d.id, d.number, d.state, d.created_at, d.assessor_id, d.establishment_id,
       c.birth_name, c.usage_name, c.first_names, cert.label, o.label, e.name,
       EXISTS (SELECT 1 FROM jurys_sessionregistration r
               WHERE r.dossier_id = d.id AND r.ended_at IS NULL)
FROM dossiers_dossier d
LEFT JOIN dossiers_candidate c ON c.id = d.candidate_id
JOIN referentiel_certification cert ON cert.id = d.certification_id
LEFT JOIN referentiel_certificationoption o ON o.id = d.option_id
JOIN accounts_establishment e ON e.id = d.establishment_id
"""
ORDER_PAGE = " ORDER BY d.created_at DESC, d.id DESC LIMIT 20"


def list_page(state=None):
    """The rows and the count of a list page (optionally one state), as the SQL by hand."""
    with connection.cursor() as cursor:
        if state:
            cursor.execute("SELECT count(*) FROM dossiers_dossier WHERE state = %s", [state])
            count = cursor.fetchone()[0]
            cursor.execute(LIST_SELECT + " WHERE d.state = %s" + ORDER_PAGE, [state])
        else:
            cursor.execute("SELECT count(*) FROM dossiers_dossier")
            count = cursor.fetchone()[0]
            cursor.execute(LIST_SELECT + ORDER_PAGE)
        return count, cursor.fetchall()


SEARCH_HITS = """
WITH hits AS (
    SELECT id FROM dossiers_dossier WHERE upper(number) LIKE %(pattern)s
    UNION
    SELECT d.id FROM dossiers_dossier d
    WHERE d.candidate_id IN (
        SELECT id FROM dossiers_candidate
        WHERE upper(birth_name) LIKE %(pattern)s OR upper(usage_name) LIKE %(pattern)s
           OR upper(first_names) LIKE %(pattern)s)
)
"""


def search_page(term):
    """The count and first rows of a search, through the trigram indexes (UNION)."""
    params = {"pattern": f"%{term.upper()}%"}
    with connection.cursor() as cursor:
        cursor.execute(SEARCH_HITS + "SELECT count(*) FROM hits", params)
        count = cursor.fetchone()[0]
        cursor.execute(
            SEARCH_HITS + LIST_SELECT + " WHERE d.id IN (SELECT id FROM hits)" + ORDER_PAGE,
            params,
        )
        return count, cursor.fetchall()


TRANSITIONS = [
    "create",
    "submit",
    "return_for_completion",
    "complete_assessment",
    "reopen_assessment",
    "decide",
    "revoke_decision",
]
EXPORT_SELECT = (
    """
SELECT d.number, c.birth_name, c.usage_name, c.first_names, c.birth_date, e.name, e.siret,
       e.region, cert.label, o.label, ts.label, p.name, u.first_name, u.last_name, u.email,
       d.state, coalesce(dec.date, reg.date), dec.outcome, """
    + ", ".join(f"t.{name}" for name in TRANSITIONS)
    + """
FROM dossiers_dossier d
LEFT JOIN dossiers_candidate c ON c.id = d.candidate_id
JOIN accounts_establishment e ON e.id = d.establishment_id
JOIN referentiel_certification cert ON cert.id = d.certification_id
LEFT JOIN referentiel_certificationoption o ON o.id = d.option_id
LEFT JOIN referentiel_trainingscheme ts ON ts.id = d.training_scheme_id
LEFT JOIN dossiers_trainingprovider p ON p.id = d.provider_id
LEFT JOIN evaluations_assessor a ON a.id = d.assessor_id
LEFT JOIN accounts_user u ON u.id = a.user_id
LEFT JOIN (
    SELECT dossier_id, """
    + ", ".join(f"max(at) FILTER (WHERE transition = '{n}') AS {n}" for n in TRANSITIONS)
    + """
    FROM dossiers_dossiertransition
    WHERE dossier_id IN (SELECT id FROM dossiers_dossier WHERE certification_id = %(cert)s)
    GROUP BY dossier_id
) t ON t.dossier_id = d.id
LEFT JOIN LATERAL (
    SELECT s.date, jd.outcome FROM jurys_jurydecision jd
    JOIN jurys_jurysession s ON s.id = jd.session_id
    WHERE jd.dossier_id = d.id AND jd.revoked_at IS NULL LIMIT 1
) dec ON true
LEFT JOIN LATERAL (
    SELECT s.date FROM jurys_sessionregistration r
    JOIN jurys_jurysession s ON s.id = r.session_id
    WHERE r.dossier_id = d.id AND r.ended_at IS NULL LIMIT 1
) reg ON true
WHERE d.certification_id = %(cert)s
ORDER BY d.created_at DESC, d.id DESC
"""
)


def _naive(value):
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def raw_export(path, certification, headers):
    """The same columns for the same dossiers, streamed from a server-side cursor into a
    write-only workbook: no framework, no label, no style. Returns the row count."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dossiers candidats")
    sheet.append(headers)
    count = 0
    with connection.chunked_cursor() as cursor:
        cursor.execute(EXPORT_SELECT, {"cert": certification})
        while rows := cursor.fetchmany(2000):
            for row in rows:
                sheet.append([_naive(value) for value in row])
                count += 1
    workbook.save(path)
    return count
