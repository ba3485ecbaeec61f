"""Case numbers: `<service code> <sequence>` shown with a space, written with a hyphen in URLs."""

import re

_CASE_NUMBER = re.compile(r"^\s*(\d{4,6})[\s-]+(\d{1,9})\s*$")


def format_case_number(service_code: str, sequence: int) -> str:
    return f"{service_code} {sequence:04d}"


def parse_case_number(text: str) -> str | None:
    """The canonical number for "2011 0042", "2011-0042" or "2011-42"; None when it is not one."""
    match = _CASE_NUMBER.match(text)
    if match is None:
        return None
    return format_case_number(match.group(1), int(match.group(2)))


def url_case_number(number: str) -> str:
    return number.replace(" ", "-")
