"""E-account service history (ACC-4, REG-3): one person's history in a registry of 1,000,000 cases.

Fills the registry to ONEDOOR_BENCH_CASES cases (default 1,000,000) with `onedoor generate`, gives
Anna Kalniņa (a demo person) PERSON_CASES cases of several services and holders spread over three
years plus CONSULTATIONS consultations, and then, in one run and in one process (production settings,
the Django test client signed in as her, acting for herself, as onedoor.access.testing does):

a. GET /lv/account/history/ (50 rows of cases and consultations, newest first, the whole page as
   served: session, acting context, audit record, template) against raw SQL for the same rows
   (one count, one statement with the joins);
b. GET /api/v1/me/cases?page_size=50 against raw SQL for the same cases;
c. the number of queries of the page and of the API for 10 and for 50 rows: they must be the same.

Prints figures and ratios; never fails on timing. Standalone: `scripts/with-test-services.sh
.venv/bin/python -m benchmarks.eaccount_history` (ONEDOOR_BENCH_CASES=20000 for a quick check).
"""

import os
import time
from typing import Any

import psycopg

from benchmarks.support import (
    ROUNDS,
    figure_line,
    fill_registry,
    give_history,
    query_count,
    ratio_line,
    setup_django,
    time_requests,
    time_statements,
)

DEFAULT_CASES = 1_000_000
SEED = 20261123
PERSONAL_CODE = "32871452034"  # Anna Kalniņa in the demo population register
PERSON_CASES = 200
CONSULTATIONS = 20
PAGE_ROWS = 50
HISTORY_PATH = "/lv/account/history/"
API_PATH = "/api/v1/me/cases"

# The history page's rows: cases and consultations of the person, newest first, with what the table shows.
RAW_HISTORY_COUNT = """
    SELECT (SELECT count(*) FROM cases_case WHERE for_person_id = %(person)s OR applicant_person_id = %(person)s)
         + (SELECT count(*) FROM cases_consultation WHERE person_id = %(person)s)
"""
RAW_HISTORY_PAGE = """
    WITH entries AS (
        (SELECT 'case' AS kind, id, submitted_at AS at FROM cases_case
          WHERE for_person_id = %(person)s OR applicant_person_id = %(person)s)
        UNION ALL
        (SELECT 'consultation', id, occurred_at FROM cases_consultation WHERE person_id = %(person)s)
        ORDER BY at DESC, id DESC LIMIT %(rows)s
    )
    SELECT e.kind, e.at, c.number, c.channel, s.code, s.name_lv, h.name_lv, st.name_lv,
           k.topic, k.channel, ks.name_lv, ki.name_lv
      FROM entries e
      LEFT JOIN cases_case c ON e.kind = 'case' AND c.id = e.id
      LEFT JOIN catalog_service s ON s.id = c.service_id
      LEFT JOIN parties_institution h ON h.id = c.holder_id
      LEFT JOIN catalog_servicestatustype st ON st.service_id = c.service_id AND st.code = c.status
      LEFT JOIN cases_consultation k ON e.kind = 'consultation' AND k.id = e.id
      LEFT JOIN catalog_service ks ON ks.id = k.service_id
      LEFT JOIN parties_institution ki ON ki.id = k.institution_id
     ORDER BY e.at DESC, e.id DESC
"""
# The API's rows: the person's cases with service, holder, status name and the parties' names.
RAW_API_COUNT = "SELECT count(*) FROM cases_case WHERE for_person_id = %(person)s OR applicant_person_id = %(person)s"
RAW_API_PAGE = """
    SELECT c.number, c.status, c.lifecycle, c.is_closed, c.status_occurred_at, c.submitted_at, c.channel,
           c.result_channel, c.applicant_kind, c.mandate_reference, s.code, s.name_lv, h.code, h.name_lv,
           st.name_lv, ap.given_name, ap.family_name, fp.given_name, fp.family_name
      FROM cases_case c
      JOIN catalog_service s ON s.id = c.service_id
      JOIN parties_institution h ON h.id = c.holder_id
      LEFT JOIN catalog_servicestatustype st ON st.service_id = c.service_id AND st.code = c.status
      LEFT JOIN parties_person ap ON ap.id = c.applicant_person_id
      LEFT JOIN parties_person fp ON fp.id = c.for_person_id
     WHERE c.for_person_id = %(person)s OR c.applicant_person_id = %(person)s
     ORDER BY c.submitted_at DESC, c.number DESC
     LIMIT %(rows)s
"""


def _signed_in_client() -> Any:
    """The Django test client, signed in as the person acting for themself (as onedoor.access.testing does)."""
    from django.test import Client

    from onedoor.access.testing import sign_in

    client = Client(SERVER_NAME="localhost")
    sign_in(client, PERSONAL_CODE)
    return client


def run() -> None:
    setup_django()
    from django.db import connections

    from onedoor.access.testing import person_user
    from onedoor.cases.models import Case, Consultation

    target = int(os.environ.get("ONEDOOR_BENCH_CASES", DEFAULT_CASES))
    started = time.perf_counter()
    filled = fill_registry(target, seed=SEED)
    person = person_user(PERSONAL_CODE).person
    assert person is not None
    give_history(person, cases=PERSON_CASES, consultations=CONSULTATIONS)
    total = Case.objects.count()
    cases = Case.objects.filter(for_person=person).count()
    consultations = Consultation.objects.filter(person=person).count()
    entries = cases + consultations
    print(
        f"e-account history: {total} cases; {person.full_name} has {cases} cases and {consultations} consultations "
        f"({filled}; ready in {time.perf_counter() - started:.0f} s)"
    )

    client = _signed_in_client()

    def page_ok(response: Any) -> None:
        assert response.status_code == 200, response.status_code
        assert response.content.count(b'<th scope="row"') == PAGE_ROWS

    def api_ok(response: Any) -> None:
        assert response.status_code == 200, response.status_code
        assert response.json()["count"] == cases

    page_path = f"{HISTORY_PATH}?page_size={PAGE_ROWS}"
    api_path = f"{API_PATH}?page_size={PAGE_ROWS}"
    page_samples = time_requests(client.get, page_path, page_ok)
    api_samples = time_requests(client.get, api_path, api_ok)
    queries = {
        (name, rows): query_count(client.get, f"{path}?page_size={rows}")
        for name, path in (("page", HISTORY_PATH), ("api", API_PATH))
        for rows in (10, 50)
    }
    connections.close_all()

    params = {"person": person.pk, "rows": PAGE_ROWS}
    with psycopg.connect(os.environ["DATABASE_URL"]) as raw:
        raw_page = time_statements(raw, [RAW_HISTORY_COUNT, RAW_HISTORY_PAGE], params, rows=PAGE_ROWS)
        raw_api = time_statements(raw, [RAW_API_COUNT, RAW_API_PAGE], params, rows=PAGE_ROWS)

    print(f"  a. the history page, {PAGE_ROWS} of {entries} rows, {ROUNDS} requests (Django test client, in process)")
    print(figure_line(f"page GET {HISTORY_PATH}", page_samples))
    print(figure_line("raw  SQL: count + one statement with the joins", raw_page))
    print(ratio_line("ratio page/raw", page_samples, raw_page))
    print(f"  b. the API, {PAGE_ROWS} of {cases} cases")
    print(figure_line(f"API  GET {API_PATH}", api_samples))
    print(figure_line("raw  SQL: count + one statement with the joins", raw_api))
    print(ratio_line("ratio API/raw", api_samples, raw_api))
    for name in ("page", "api"):
        ten, fifty = queries[(name, 10)], queries[(name, 50)]
        verdict = "the same" if ten == fifty else "DIFFERENT: a query per row"
        print(f"  c. queries of the {name:<4} for 10 rows: {ten:3d}, for 50 rows: {fifty:3d} ({verdict})")


if __name__ == "__main__":
    run()
