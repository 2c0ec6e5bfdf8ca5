"""The dialogue structures workbook: hostile names stay the text they are."""

import datetime

from openpyxl import load_workbook

from dialogues import structures
from dialogues.models import Forum
from municipality.models import Body
from partners.models import Organisation
from tests.spreadsheets import (
    HOSTILE,
    as_libreoffice_keeps_it,
    misread_cells,
    recalculated,
    text_cells,
)


def test_hostile_names_stay_text_in_the_structures_workbook(cast, tmp_path):
    bodies = [
        Body.objects.create(municipality=cast.malmo, name=name, kind="administration")
        for name in HOSTILE[:4]
    ]
    forums = []
    for n, name in enumerate(HOSTILE):
        forum = Forum(name=name, kind="other", owner=bodies[n % len(bodies)])
        forum.save()
        forum.members.add(
            *(
                Organisation.objects.create(municipality=cast.malmo, name=f"{name} {m}")
                for m in range(n % 3)
            )
        )
        forums.append(forum)
    today = datetime.date(2026, 11, 22)
    rows = structures.build(Forum.objects.filter(pk__in=[f.pk for f in forums]), today)
    source = tmp_path / "dialogstrukturer.xlsx"
    source.write_bytes(structures.workbook(rows, today))

    book = load_workbook(source)
    sheet = book["Dialogstrukturer"]
    written = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(row[2] for row in written) == sorted(HOSTILE)
    by_forum = {row[2]: row for row in written}
    for n, forum in enumerate(forums):
        assert by_forum[forum.name][0] == bodies[n % len(bodies)].name
        assert by_forum[forum.name][5] == n % 3  # members
    for _sheet, cell in text_cells(book, HOSTILE):
        assert cell.data_type == "s", cell
    assert misread_cells(book) == []

    formulas, values = recalculated(source, tmp_path)
    assert misread_cells(formulas) == []
    assert misread_cells(values) == []
    recalculated_rows = list(values["Dialogstrukturer"].iter_rows(min_row=2, values_only=True))
    assert sorted(row[2] for row in recalculated_rows) == sorted(
        as_libreoffice_keeps_it(name) for name in HOSTILE
    )
    assert {row[0] for row in recalculated_rows} == {
        as_libreoffice_keeps_it(body.name) for body in bodies
    }
