"""Catalog search: p50/p95 through the HTTP API against the same query as raw SQL (issue: foundation).

Seeds 5,000 services and 300 application places, starts `onedoor serve` with production
settings (one gunicorn worker), and times the same searches both ways in one run.
"""

import os
import random
import time
from urllib.parse import urlencode

import django
import psycopg

from benchmarks.support import get, percentiles, setup_django, web_server, worker_rss_mib

SERVICES = 5000
PLACES = 300
ROUNDS = 30
QUERIES = [
    {"q": "pabalsts"},
    {"q": "berna piedzimsanas"},
    {"q": "registracija"},
    {"q": "P.11"},
    {"q": "nodoklis deklaracija"},
    {"q": "atļauja"},
    {"q": "licence"},
    {"holder": "VSAA"},
    {"q": "izziņa", "audience": "legal"},
    {"channel": "kac", "page_size": "50"},
]

WORDS_LV = [
    ("Uzturēšanās atļauja", "Residence permit"),
    ("Licence", "Licence"),
    ("Izziņa", "Certificate"),
    ("Reģistrācija", "Registration"),
    ("Pabalsts", "Benefit"),
    ("Atbalsts", "Support"),
    ("Deklarācija", "Declaration"),
    ("Nodokļa atvieglojums", "Tax relief"),
    ("Atļauja", "Permit"),
    ("Kompensācija", "Compensation"),
]
TOPICS_LV = [
    ("zvejniecībai", "for fishing"),
    ("mežsaimniecībai", "for forestry"),
    ("būvniecībai", "for construction"),
    ("transportlīdzeklim", "for a vehicle"),
    ("skolēnam", "for a pupil"),
    ("senioram", "for a senior"),
    ("uzņēmumam", "for a company"),
    ("lauksaimniekam", "for a farmer"),
    ("jaunietim", "for a young person"),
    ("ģimenei", "for a family"),
    ("tūrismam", "for tourism"),
    ("kultūras pasākumam", "for a cultural event"),
]


def _seed() -> None:
    from django.core.management import call_command
    from django.db import transaction

    from onedoor.catalog.demo_data import load_catalog
    from onedoor.catalog.models import ApplicationPlace, Category, ChannelOption, Service
    from onedoor.catalog.services import service_refresh_search
    from onedoor.core.actors import SYSTEM
    from onedoor.parties.demo_data import load_institutions
    from onedoor.parties.models import Institution

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if Service.objects.count() >= SERVICES:
        return
    load_institutions()
    load_catalog(actor=SYSTEM)
    rng = random.Random(20261122)
    institutions = list(Institution.objects.exclude(kind="platform_operator"))
    categories = list(Category.objects.all())
    channels = list(ChannelOption.objects.all())
    existing = Service.objects.count()
    with transaction.atomic():
        services = []
        for number in range(SERVICES - existing):
            (kind_lv, kind_en), (topic_lv, topic_en) = rng.choice(WORDS_LV), rng.choice(TOPICS_LV)
            service = Service(
                code=str(100000 + number),
                name_lv=f"{kind_lv} {topic_lv} Nr. {number}",
                name_en=f"{kind_en} {topic_en} No. {number}",
                summary_lv=f"{kind_lv} {topic_lv}.",
                summary_en=f"{kind_en} {topic_en}.",
                description_lv=f"Pakalpojums: {kind_lv.lower()} {topic_lv}. Piesakieties tiešsaistē vai klātienē.",
                description_en=f"Service: {kind_en.lower()} {topic_en}. Apply online or in person.",
                holder=rng.choice(institutions),
                for_legal_persons=rng.random() < 0.3,
            )
            service_refresh_search(service)
            services.append(service)
        Service.objects.bulk_create(services, batch_size=1000)
        Service.categories.through.objects.bulk_create(
            [Service.categories.through(service_id=s.pk, category_id=rng.choice(categories).pk) for s in services],
            batch_size=2000,
        )
        Service.application_channels.through.objects.bulk_create(
            [
                Service.application_channels.through(service_id=s.pk, channeloption_id=channel.pk)
                for s in services
                for channel in rng.sample(channels, 2)
            ],
            batch_size=2000,
        )
        template = ApplicationPlace.objects.first()
        assert template is not None
        for number in range(PLACES - ApplicationPlace.objects.count()):
            ApplicationPlace.objects.create(
                code=f"bench-place-{number}",
                name_lv=f"Klientu centrs {number}",
                name_en=f"Customer centre {number}",
                kind=template.kind,
                institution=template.institution,
                address=f"Centra iela {number}, Latvija",
                municipality_name="Latvija",
                latitude=round(rng.uniform(55.7, 58.0), 5),
                longitude=round(rng.uniform(21.0, 28.2), 5),
            )
    with django.db.connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _raw_sql(params: dict[str, str]) -> tuple[str, list[object], str, list[object]]:
    """The page query and the count query the API runs for these parameters."""
    from onedoor.catalog.api.filters import ServiceFilter
    from onedoor.catalog.selectors import services_for_listing, services_visible_to
    from onedoor.core.actors import anonymous

    page_size = int(params.get("page_size", "20"))
    filterset = ServiceFilter(params, queryset=services_for_listing(services_visible_to(actor=anonymous())))
    assert filterset.is_valid(), filterset.errors
    queryset = filterset.qs
    page_sql, page_params = queryset[:page_size].query.sql_with_params()
    all_sql, all_params = queryset.query.sql_with_params()
    return page_sql, list(page_params), f"SELECT COUNT(*) FROM ({all_sql}) AS matches", list(all_params)


def run() -> None:
    setup_django()
    started = time.perf_counter()
    _seed()
    from onedoor.catalog.models import ApplicationPlace, Service

    print(
        f"catalog search: {Service.objects.count()} services, {ApplicationPlace.objects.count()} places "
        f"(seeded in {time.perf_counter() - started:.1f} s)"
    )
    statements = [_raw_sql(params) for params in QUERIES]
    raw_samples: list[float] = []
    api_samples: list[float] = []
    with psycopg.connect(os.environ["DATABASE_URL"]) as raw, web_server(workers=1) as (port, master):
        paths = [f"/api/v1/services?{urlencode(params)}" for params in QUERIES]
        for path in paths:
            status, _ = get(port, path)
            assert status == 200, (path, status)
        for _ in range(ROUNDS):
            for path, (page_sql, page_params, count_sql, count_params) in zip(paths, statements, strict=True):
                began = time.perf_counter()
                with raw.cursor() as cursor:
                    cursor.execute(count_sql, count_params)
                    cursor.fetchall()
                    cursor.execute(page_sql, page_params)
                    cursor.fetchall()
                raw_samples.append(time.perf_counter() - began)
                began = time.perf_counter()
                status, _ = get(port, path)
                api_samples.append(time.perf_counter() - began)
                assert status == 200
        rss = worker_rss_mib(master.pid)
    api_p50, api_p95 = percentiles(api_samples)
    raw_p50, raw_p95 = percentiles(raw_samples)
    print(f"  requests: {len(api_samples)} ({len(QUERIES)} searches x {ROUNDS} rounds)")
    print(f"  API  GET /api/v1/services   p50 {api_p50:7.2f} ms   p95 {api_p95:7.2f} ms")
    print(f"  raw SQL (count + page)      p50 {raw_p50:7.2f} ms   p95 {raw_p95:7.2f} ms")
    p50_ratio, p95_ratio = api_p50 / raw_p50, api_p95 / raw_p95
    print(f"  ratio API/raw               p50 {p50_ratio:7.2f}x    p95 {p95_ratio:7.2f}x   (aim: p95 within 3x)")
    print(f"  web worker resident memory  {rss:.0f} MiB")
