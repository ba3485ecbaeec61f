"""The specialist's time (COST-3): their own records of a day, Riga time, with totals per service and stage."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from onedoor.catalog.models import Service
from onedoor.workplace.models import Activity, Stage
from onedoor.workplace.timerecords import time_record_add

from .test_queue import desk_of

pytestmark = pytest.mark.django_db

RIGA = ZoneInfo("Europe/Riga")
TIME = "/en/workplace/time/"


@pytest.fixture
def records(demo_catalog: None) -> None:
    me, colleague = desk_of("kac-specialist"), desk_of("kac-colleague")
    benefit = Service.objects.get(code="2011")
    morning = datetime(2026, 3, 2, 9, 0, tzinfo=RIGA)
    for desk, start, minutes, stage, service in [
        (me, morning, 5, Stage.CONSULTATION, benefit),
        (me, morning + timedelta(minutes=10), 7, Stage.CONSULTATION, None),
        (me, morning + timedelta(hours=1), 20, Stage.EXECUTION, benefit),
        (me, datetime(2026, 3, 2, 23, 30, tzinfo=RIGA), 2, Stage.EXECUTION, None),  # 21:30 UTC, still 2 March
        (me, datetime(2026, 3, 3, 0, 10, tzinfo=RIGA), 4, Stage.EXECUTION, None),  # the next day in Riga
        (colleague, morning, 30, Stage.CONSULTATION, benefit),
    ]:
        time_record_add(
            desk=desk,
            activity=Activity.CONSULTATION if stage == Stage.CONSULTATION else Activity.TASK,
            stage=stage,
            channel="kac",
            started_at=start,
            ended_at=start + timedelta(minutes=minutes),
            service=service,
        )


def test_my_records_of_a_day_with_totals(
    specialist: Client, records: None, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        response = specialist.get(TIME, {"day": "2026-03-02"})
    assert response.status_code == 200
    assert [row.duration for row in response.context["rows"]] == ["5:00", "7:00", "20:00", "2:00"]
    assert [row.record.started_at.astimezone(RIGA).strftime("%H:%M") for row in response.context["rows"]] == [
        "09:00",
        "09:10",
        "10:00",
        "23:30",
    ]
    assert [(service.code if service else None, total) for service, total in response.context["by_service"]] == [
        ("2011", "25:00"),
        (None, "9:00"),
    ]
    assert response.context["by_stage"] == [("Consultation", "12:00"), ("Execution", "22:00")]
    assert response.context["total"] == "34:00"
    html = response.content.decode()
    assert "Childbirth benefit" in html
    assert "30:00" not in html  # the colleague's record is theirs


def test_today_by_default_and_a_bad_day_refused(specialist: Client, records: None) -> None:
    response = specialist.get(TIME)
    assert response.status_code == 200
    assert response.context["day"] == timezone.localdate()
    assert response.context["rows"] == []
    assert "No time recorded on this day." in response.content.decode()
    refused = specialist.get(TIME, {"day": "2026-02-31"})
    assert refused.status_code == 400
    assert "Enter the date as year-month-day" in refused.content.decode()
