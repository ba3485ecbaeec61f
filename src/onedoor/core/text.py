"""Text folding for search: case- and diacritics-insensitive, identical in Python and in queries."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (ā→a, š→s, ķ→k) and collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def search_terms(query: str) -> list[str]:
    """The folded words of a query, without punctuation other than what identifiers use (. - /)."""
    cleaned = re.sub(r"[^\w.\-/ ]+", " ", fold(query))
    return [term.strip(".-/") or term for term in cleaned.split() if term.strip(".-/")]
