"""Presentation helpers for catalog pages: `{% load catalog %}`."""

from collections.abc import Iterable
from itertools import groupby

from django import template

from onedoor.catalog.models import OpeningHours
from onedoor.core.templatetags.onedoor import weekday_abbr

register = template.Library()


@register.filter
def opening_hours_summary(hours: Iterable[OpeningHours]) -> list[str]:
    """Consecutive days with the same hours merged: ["P–C 08:30–17:00", "Pk 08:30–16:00"]."""
    by_day: dict[int, str] = {}
    for day, slots in groupby(sorted(hours, key=lambda h: (h.weekday, h.opens)), key=lambda h: h.weekday):
        by_day[day] = ", ".join(f"{slot.opens:%H:%M}–{slot.closes:%H:%M}" for slot in slots)
    lines: list[str] = []
    days = sorted(by_day)
    start = 0
    for index, day in enumerate(days):
        last_of_run = index + 1 == len(days) or days[index + 1] != day + 1 or by_day[days[index + 1]] != by_day[day]
        if last_of_run:
            first = days[start]
            label = weekday_abbr(first) if first == day else f"{weekday_abbr(first)}–{weekday_abbr(day)}"
            lines.append(f"{label} {by_day[day]}")
            start = index + 1
    return lines
