"""Matching township names as people write them (suffix optional, aliases)."""

from __future__ import annotations

import unicodedata

SUFFIXES = ("街道办事处", "街道", "镇", "乡")


def _clean(name: str) -> str:
    text = unicodedata.normalize("NFKC", str(name or ""))
    return "".join(text.split())


def match_key(name: str) -> str:
    """The comparison key: normalised, suffix removed (阿城镇 → 阿城)."""
    text = _clean(name)
    for suffix in SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def build_index(townships) -> dict[str, int]:
    """Map every accepted spelling's key to a township id.

    ``townships`` yields objects or tuples with ``id``, ``name``,
    ``short_name`` and ``aliases``.
    """
    index: dict[str, int] = {}
    for township in townships:
        for spelling in (township.name, township.short_name, *township.aliases):
            index[match_key(spelling)] = township.id
    return index


def find_township(name: str):
    """The Township for ``name`` or None."""
    from .models import Township

    if not _clean(name):
        return None
    township_id = build_index(Township.objects.all()).get(match_key(name))
    return Township.objects.filter(pk=township_id).first() if township_id else None
