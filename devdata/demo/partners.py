"""Demo organisations and IOP agreements from the seed papers.

Malmö: the förvaltning's dialogue partners on homelessness (Stadsmissionen, Röda Korset,
Svenska kyrkan, user associations) and the nämnd's IOPs for värmestugor, Crossroads and
Vinternatt. Kalmar: the IOP with Stadsmissionen on sysselsättning, renewed for
2023-12-01 – 2026-11-30, followed up yearly. Organisation numbers are fictional but valid.
"""

import datetime

from django.db import transaction
from django.utils.text import slugify

from municipality.models import Body, Municipality, User
from partners.models import (
    Area,
    ContactPerson,
    FollowUp,
    Organisation,
    Partnership,
    Representative,
    TargetGroup,
)

TARGET_GROUPS = [
    "hemlöshet",
    "ekonomisk utsatthet",
    "missbruk och beroende",
    "barn och unga",
    "våld i nära relation",
    "EU-migranter",
    "sysselsättning",
]
AREAS = {
    "Malmö stad": ["Innerstaden", "Norr", "Söder", "Väster", "Öster"],
    "Kalmar kommun": ["Kalmar centrum", "Smedby", "Lindsdal"],
}
L = Organisation.LegalForm

# (municipality, name, org_number, legal form, city, target groups, areas, contact)
ORGANISATIONS = [
    (
        "Malmö stad",
        "Stiftelsen Stadsmissionen i Malmö",
        "817600-4151",
        L.FOUNDATION,
        "Malmö",
        ["hemlöshet", "ekonomisk utsatthet", "EU-migranter"],
        ["Innerstaden", "Söder"],
        ("Karin Åberg", "verksamhetschef"),
    ),
    (
        "Malmö stad",
        "Röda Korset Malmö krets",
        "802002-3431",
        L.NON_PROFIT,
        "Malmö",
        ["hemlöshet", "EU-migranter"],
        ["Innerstaden"],
        ("Omar Saleh", "ordförande"),
    ),
    (
        "Malmö stad",
        "Svenska kyrkan i Malmö",
        "252004-3213",
        L.RELIGIOUS,
        "Malmö",
        ["hemlöshet", "ekonomisk utsatthet"],
        ["Innerstaden", "Väster", "Öster"],
        ("Hanna Lund", "diakon"),
    ),
    (
        "Malmö stad",
        "Brukarföreningen Malmö",
        "802480-1238",
        L.USER_ASSOCIATION,
        "Malmö",
        ["missbruk och beroende", "hemlöshet"],
        ["Norr"],
        ("Peter Wall", "samordnare"),
    ),
    (
        "Malmö stad",
        "Föreningen Gatans röst",
        "802519-8766",
        L.USER_ASSOCIATION,
        "Malmö",
        ["hemlöshet"],
        ["Söder"],
        ("Lina Kovač", "kontaktperson"),
    ),
    (
        "Malmö stad",
        "Nätverket Varma händer",
        "",
        L.OTHER,
        "Malmö",
        ["ekonomisk utsatthet"],
        ["Öster"],
        ("Sofia Berg", "samordnare"),
    ),
    (
        "Kalmar kommun",
        "Kalmar Stadsmission",
        "802011-1129",
        L.FOUNDATION,
        "Kalmar",
        ["sysselsättning", "hemlöshet"],
        ["Kalmar centrum"],
        ("Anders Holm", "verksamhetschef"),
    ),
]

MALMO_IOP = {
    "committee": "Arbetsmarknads- och socialnämnden",
    "administration": "Arbetsmarknads- och socialförvaltningen",
}

# (title, case number, parties, start, end, kr/year, notice months, activities, purpose)
PARTNERSHIPS = [
    (
        "Malmö stad",
        "IOP Värmestugor",
        "ASN-2023-08811",
        ["Stiftelsen Stadsmissionen i Malmö", "Röda Korset Malmö krets", "Svenska kyrkan i Malmö"],
        datetime.date(2024, 1, 1),
        datetime.date(2027, 12, 31),
        3_450_000,
        6,
        "värmestuga",
        "Värmestugor med mat, värme och vägledning för personer i hemlöshet, "
        "öppna alla dagar under vinterhalvåret.",
    ),
    (
        "Malmö stad",
        "IOP Crossroads",
        "ASN-2022-04410",
        ["Stiftelsen Stadsmissionen i Malmö"],
        datetime.date(2023, 4, 1),
        datetime.date(2027, 3, 31),
        2_100_000,
        6,
        "Crossroads",
        "Rådgivning och stöd till EU-medborgare och tredjelandsmedborgare i utsatthet.",
    ),
    (
        "Malmö stad",
        "IOP Vinternatt",
        "ASN-2025-01920",
        ["Svenska kyrkan i Malmö", "Stiftelsen Stadsmissionen i Malmö"],
        datetime.date(2025, 11, 1),
        datetime.date(2027, 4, 30),
        1_250_000,
        3,
        "Vinternatt",
        "Akut natthärbärge under de kallaste månaderna.",
    ),
]

KALMAR_IOP_EARLIER = (
    "IOP Sysselsättning 2020–2023",
    "SN 2020/0412",
    datetime.date(2020, 10, 1),
    datetime.date(2023, 11, 30),
)
KALMAR_IOP = (
    "IOP Sysselsättning 2023–2026",
    "SN 2023/0518",
    datetime.date(2023, 12, 1),
    datetime.date(2026, 11, 30),
)
KALMAR_FOLLOW_UPS = [
    (2021, datetime.date(2022, 2, 15), "Verksamheten har kommit igång väl."),
    (2022, datetime.date(2023, 2, 10), "Samverkan fungerar mycket väl."),
    (2023, datetime.date(2024, 2, 12), "Nytt avtal tecknat; workshop om Bostad först."),
    (2024, datetime.date(2025, 2, 14), "Bostad först-gruppen har hjälpt en handfull personer."),
    (2025, datetime.date(2026, 2, 11), "God måluppfyllelse; dags att besluta om nytt avtal."),
]


@transaction.atomic
def build():
    for name in TARGET_GROUPS:
        TargetGroup.objects.get_or_create(name=name)
    municipalities = {m.name: m for m in Municipality.objects.all()}
    for municipality_name, names in AREAS.items():
        for name in names:
            Area.objects.get_or_create(municipality=municipalities[municipality_name], name=name)

    organisations = {}
    for m_name, name, number, form, city, groups, areas, contact in ORGANISATIONS:
        municipality = municipalities[m_name]
        organisation, created = Organisation.objects.get_or_create(
            municipality=municipality,
            name=name,
            defaults={
                "org_number": number,
                "legal_form": form,
                "city": city,
                "email": f"info@{slugify(name)}.example.se",
            },
        )
        if created:
            organisation.full_clean()
            organisation.target_groups.set(TargetGroup.objects.filter(name__in=groups))
            organisation.areas.set(Area.objects.filter(municipality=municipality, name__in=areas))
            ContactPerson.objects.create(
                organisation=organisation,
                name=contact[0],
                role=contact[1],
                email=f"{contact[0].split()[0].lower()}@example.se",
            )
        organisations[name] = organisation

    representative = User.objects.filter(username="foretradare").first()
    if representative is not None:
        Representative.objects.get_or_create(
            user=representative,
            organisation=organisations["Röda Korset Malmö krets"],
            defaults={
                "authorisation": Representative.Authorisation.PROXY,
                "since": datetime.date(2025, 3, 1),
            },
        )

    malmo = municipalities["Malmö stad"]
    asn = Body.objects.get(municipality=malmo, name=MALMO_IOP["committee"])
    asf = Body.objects.get(municipality=malmo, name=MALMO_IOP["administration"])
    for _m, title, case, parties, start, end, amount, notice, activities, purpose in PARTNERSHIPS:
        partnership, created = Partnership.objects.get_or_create(
            title=title,
            run_by=asf,
            defaults={
                "case_number": case,
                "decided_by": asn,
                "start_date": start,
                "end_date": end,
                "yearly_compensation": amount,
                "notice_period_months": notice,
                "activities": activities,
                "purpose": purpose,
                "extension_option": True,
                "extension_terms": "Ett år i taget, högst två gånger.",
                "state_aid": Partnership.StateAid.NONE,
                "municipality_contribution": "Ersättning enligt avtal, lokaler och samordning.",
                "organisation_contribution": "Ideell tid, personal och egna medel.",
            },
        )
        if created:
            partnership.parties.set([organisations[name] for name in parties])
            if start.year < 2026:
                FollowUp.objects.create(
                    partnership=partnership,
                    year=2025,
                    date=datetime.date(2026, 3, 20),
                    assessment=FollowUp.Assessment.GOOD,
                    summary="Verksamheten har nått fler personer än planerat.",
                )

    kalmar = municipalities["Kalmar kommun"]
    sn = Body.objects.get(municipality=kalmar, name="Socialnämnden")
    soc = Body.objects.get(municipality=kalmar, name="Socialförvaltningen")
    stadsmission = organisations["Kalmar Stadsmission"]
    earlier = None
    for title, case, start, end in (KALMAR_IOP_EARLIER, KALMAR_IOP):
        partnership, created = Partnership.objects.get_or_create(
            title=title,
            run_by=soc,
            defaults={
                "case_number": case,
                "decided_by": sn,
                "start_date": start,
                "end_date": end,
                "yearly_compensation": 1_800_000,
                "notice_period_months": 6,
                "activities": "sysselsättning, Bostad först",
                "purpose": "Sysselsättningsverksamheter för målgrupper inom "
                "socialförvaltningens ansvarsområde.",
                "state_aid": Partnership.StateAid.DE_MINIMIS,
                "renews": earlier,
            },
        )
        if created:
            partnership.parties.set([stadsmission])
            for year, date, summary in KALMAR_FOLLOW_UPS:
                if start.year <= year < end.year:
                    FollowUp.objects.get_or_create(
                        partnership=partnership,
                        year=year,
                        defaults={
                            "date": date,
                            "assessment": FollowUp.Assessment.GOOD,
                            "summary": summary,
                        },
                    )
        earlier = partnership
