"""`manage.py setup_municipality`: a municipality, its bodies and default choice lists."""

import io

import pytest
from django.core.management import CommandError, call_command

from municipality.models import Body, Municipality
from partners.founding import AREAS, TARGET_GROUPS
from partners.models import Area, TargetGroup

BODIES = """\ufeffnämnd;förkortning;förvaltning;förkortning
Kommunstyrelsen;KS;Kommunledningskontoret;KLK
Socialnämnden;SN;Socialförvaltningen;SOC
Fritidsnämnden;FRN;Kultur- och fritidsförvaltningen;KFF
Kulturnämnden;KN;Kultur- och fritidsförvaltningen;KFF
Valnämnden;;;
"""


def setup(tmp_path, text=BODIES, name="Lunds kommun", code="1281"):
    path = tmp_path / "organisation.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("setup_municipality", name, code, "--bodies", str(path), stdout=out)
    return out.getvalue()


def everything():
    return {
        "municipalities": list(Municipality.objects.values()),
        "bodies": list(Body.objects.order_by("pk").values()),
        "serves": sorted(Body.serves.through.objects.values_list("from_body", "to_body")),
        "target groups": list(TargetGroup.objects.order_by("pk").values()),
        "areas": list(Area.objects.order_by("pk").values()),
    }


def test_a_municipality_with_its_bodies_and_default_choices(db, tmp_path):
    output = setup(tmp_path)
    lund = Municipality.objects.get(code="1281")
    assert lund.name == "Lunds kommun"
    bodies = {b.name: (b.kind, b.short_name) for b in lund.bodies.all()}
    assert bodies == {
        "Kommunstyrelsen": ("committee", "KS"),
        "Kommunledningskontoret": ("administration", "KLK"),
        "Socialnämnden": ("committee", "SN"),
        "Socialförvaltningen": ("administration", "SOC"),
        "Fritidsnämnden": ("committee", "FRN"),
        "Kulturnämnden": ("committee", "KN"),
        "Kultur- och fritidsförvaltningen": ("administration", "KFF"),
        "Valnämnden": ("committee", ""),
    }
    kff = lund.bodies.get(name="Kultur- och fritidsförvaltningen")
    assert sorted(kff.serves.values_list("name", flat=True)) == ["Fritidsnämnden", "Kulturnämnden"]
    assert sorted(TargetGroup.objects.values_list("name", flat=True)) == sorted(TARGET_GROUPS)
    assert sorted(lund.areas.values_list("name", flat=True)) == sorted(AREAS)
    assert "Lunds kommun (1281) är på plats." in output


def test_running_twice_changes_nothing(db, tmp_path):
    setup(tmp_path)
    before = everything()
    output = setup(tmp_path)
    assert everything() == before
    assert output.strip() == "Lunds kommun (1281) är på plats; inget behövde läggas till."


def test_edits_in_the_admin_survive_a_second_run(db, tmp_path):
    setup(tmp_path)
    Area.objects.filter(name="Norr").delete()
    TargetGroup.objects.filter(name="nyanlända").update(name="nyanlända och asylsökande")
    Body.objects.filter(name="Valnämnden").update(short_name="VN")
    setup(tmp_path)
    assert not Area.objects.filter(name="Norr").exists()
    assert not TargetGroup.objects.filter(name="nyanlända").exists()
    assert Body.objects.get(name="Valnämnden").short_name == "VN"


def test_a_later_file_adds_only_what_is_new(db, tmp_path):
    setup(tmp_path)
    setup(tmp_path, BODIES + "Kulturnämnden;KN;Stadskontoret;STK\n")
    stadskontoret = Body.objects.get(name="Stadskontoret")
    assert list(stadskontoret.serves.values_list("name", flat=True)) == ["Kulturnämnden"]
    assert Body.objects.filter(municipality__code="1281").count() == 9


def test_commas_quotes_and_no_header(db, tmp_path):
    setup(tmp_path, '"Barn-, skol- och fritidsnämnden",BSFN,"Förvaltningen för barn, skola",BSF\n')
    administration = Body.objects.get(name="Förvaltningen för barn, skola")
    assert [b.name for b in administration.serves.all()] == ["Barn-, skol- och fritidsnämnden"]


def test_without_a_file_only_the_municipality_and_choices(db):
    call_command("setup_municipality", "Lunds kommun", "1281", stdout=io.StringIO())
    lund = Municipality.objects.get(code="1281")
    assert (lund.bodies.count(), lund.areas.count()) == (0, len(AREAS))


@pytest.mark.parametrize(
    ("args", "text", "message"),
    [
        (("Lunds kommun", "12a1"), BODIES, "fyra siffror"),
        (("Lunds kommun", "1281"), "Socialnämnden;SN;Socialnämnden;SN\n", "finns redan som"),
        (("Lunds kommun", "1281"), ";SN;Socialförvaltningen;SOC\n", "rad 1: nämndens namn saknas"),
        (("Lunds kommun", "1281"), "a;b;c;d;e\n", "rad 1: högst fyra kolumner"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(db, tmp_path, args, text, message):
    before = everything()
    path = tmp_path / "organisation.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("setup_municipality", *args, "--bodies", str(path), stdout=io.StringIO())
    assert everything() == before


def test_a_kommunkod_of_another_municipality_is_refused(db, tmp_path):
    setup(tmp_path)
    before = everything()
    with pytest.raises(CommandError, match="Kommunkod 1281 tillhör redan Lunds kommun"):
        setup(tmp_path, name="Lunds stad")
    assert everything() == before
