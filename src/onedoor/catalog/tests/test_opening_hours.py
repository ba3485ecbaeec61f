from datetime import time

from django.utils import translation

from onedoor.catalog.models import OpeningHours
from onedoor.catalog.templatetags.catalog import opening_hours_summary


def _hours(*slots: tuple[int, str, str]) -> list[OpeningHours]:
    return [OpeningHours(weekday=day, opens=time.fromisoformat(a), closes=time.fromisoformat(b)) for day, a, b in slots]


def test_consecutive_days_with_the_same_hours_are_merged() -> None:
    hours = _hours(*[(day, "08:30", "17:00") for day in (1, 2, 3, 4)], (5, "08:30", "16:00"))
    with translation.override("en"):
        assert opening_hours_summary(hours) == ["Mon–Thu 08:30–17:00", "Fri 08:30–16:00"]


def test_lunch_breaks_and_gaps_are_kept() -> None:
    hours = _hours(
        (1, "13:00", "17:00"),
        (1, "09:00", "12:00"),
        (2, "09:00", "12:00"),
        (2, "13:00", "17:00"),
        (4, "09:00", "12:00"),
    )
    with translation.override("en"):
        assert opening_hours_summary(hours) == ["Mon–Tue 09:00–12:00, 13:00–17:00", "Thu 09:00–12:00"]


def test_day_names_follow_the_page_language() -> None:
    with translation.override("lv"):
        assert opening_hours_summary(_hours((1, "08:00", "12:00"))) == ["Pirmd. 08:00–12:00"]
