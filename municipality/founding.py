"""A new municipality in the register: its name, kommunkod, nämnder and förvaltningar.

The bodies come from a small CSV file, one row per nämnd and the förvaltning serving it,
as the municipality's own list of committees reads:

    nämnd;förkortning;förvaltning;förkortning
    Kommunstyrelsen;KS;Stadskontoret;STK
    Fritidsnämnden;FRN;Fritidsförvaltningen;FRF
    Kulturnämnden;KN;Fritidsförvaltningen;FRF

A förvaltning serving several nämnder is named on several rows; a nämnd without one leaves
the last two columns empty. Semicolons or commas separate the columns (a name containing
the separator is quoted); a first row starting with "nämnd" is a header; UTF-8, with or
without Excel's byte-order mark.

Founding is idempotent: what exists is left as it is (names edited in the admin
included), only what is missing is added, so running it twice changes nothing.
"""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from municipality.models import Body, Municipality, Role, User


@dataclass(frozen=True)
class Row:
    committee: str
    committee_short: str = ""
    administration: str = ""
    administration_short: str = ""


def read_bodies(text):
    """The rows of a bodies file; ValueError names the line that is wrong."""
    text = text.lstrip("\ufeff")
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
    )
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        cells = [" ".join(cell.split()) for cell in cells]
        if not any(cells):
            continue
        if number == 1 and cells[0].casefold() in ("nämnd", "namnd"):
            continue
        if len(cells) > 4:
            raise ValueError(f"rad {number}: högst fyra kolumner")
        row = Row(*cells)
        if not row.committee:
            raise ValueError(f"rad {number}: nämndens namn saknas")
        if row.administration_short and not row.administration:
            raise ValueError(f"rad {number}: förvaltningens namn saknas")
        rows.append(row)
    return rows


@transaction.atomic
def found(*, name, code, rows=()):
    """The municipality with these bodies; returns it and what was added (text lines)."""
    added = []
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        municipality = Municipality(name=" ".join(name.split()), code=code)
        municipality.full_clean()
        municipality.save()
        added.append(f"kommun: {municipality.name} ({code})")
    elif municipality.name != " ".join(name.split()):
        raise ValidationError(
            f"Kommunkod {code} tillhör redan {municipality.name}; ändra namnet i administrationen."
        )
    for row in rows:
        committee = _body(municipality, row.committee, row.committee_short, Body.Kind.COMMITTEE)
        if committee.pk is None:
            committee.save()
            added.append(f"nämnd: {committee.name}")
        if row.administration:
            administration = _body(
                municipality, row.administration, row.administration_short, Body.Kind.ADMINISTRATION
            )
            if administration.pk is None:
                administration.save()
                added.append(f"förvaltning: {administration.name}")
            if not administration.serves.filter(pk=committee.pk).exists():
                administration.serves.add(committee)
                added.append(f"{administration.name} betjänar {committee.name}")
    return municipality, added


def _body(municipality, name, short_name, kind):
    """The existing body of that name (unsaved if new); a kind that differs is an error."""
    body = Body.objects.filter(municipality=municipality, name=name).first()
    if body is None:
        body = Body(municipality=municipality, name=name, short_name=short_name, kind=kind)
        body.full_clean()
    elif body.kind != kind:
        raise ValidationError(f"{name} finns redan som {body.get_kind_display()}.")
    return body


def first_steps():
    """Getting started on an empty installation, for its administrator: the steps of
    Driftsättning in docs/operations.md, each marked done once it is. None once users are
    invited."""
    if User.objects.exclude(role=Role.ADMIN).exists():
        return None
    return [
        (gettext("Add the municipality"), "admin:municipality_municipality_add",
         Municipality.objects.exists()),
        (gettext("Add its nämnder and förvaltningar"), "admin:municipality_body_add",
         Body.objects.filter(kind=Body.Kind.ADMINISTRATION).exists()
         and Body.objects.filter(kind=Body.Kind.COMMITTEE).exists()),
        (gettext("Invite the first users"), "admin:municipality_user_add", False),
    ]  # fmt: skip
