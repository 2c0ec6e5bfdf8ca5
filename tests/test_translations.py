"""The Swedish catalogue is complete and compiled."""

from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "sv" / "LC_MESSAGES"


def po_entries():
    """(msgid, msgstr, flags) from django.po; enough of the format for our own file."""
    entries, flags, current, field = [], "", {}, None
    for line in [*(LOCALE / "django.po").read_text().splitlines(), ""]:
        if line.startswith("#,"):
            flags = line
        elif line.startswith(("msgid ", "msgstr", "msgid_plural")):
            field = line.split(" ", 1)[0]
            current[field] = line.split(" ", 1)[1][1:-1]
        elif line.startswith('"') and field:
            current[field] += line[1:-1]
        elif not line.strip() and current:
            entries.append(
                (
                    current.get("msgid", ""),
                    current.get("msgstr", current.get("msgstr[0]", "")),
                    flags,
                )
            )
            flags, current, field = "", {}, None
    return [e for e in entries if e[0]]


def test_every_message_has_a_swedish_translation():
    entries = po_entries()
    assert len(entries) > 50
    assert [msgid for msgid, msgstr, _ in entries if not msgstr] == []
    assert [msgid for msgid, _, flags in entries if "fuzzy" in flags] == []


def test_compiled_catalogue_is_current():
    assert (LOCALE / "django.mo").stat().st_size > 0
    with translation.override("sv"):
        for msgid, msgstr, _ in po_entries():
            if "%" not in msgid and "\\" not in msgid:
                assert gettext(msgid) == msgstr
