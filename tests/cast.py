"""The fixed cast of test people, reused by every test.

Two municipalities so that "another municipality" is always at hand; in Malmö two
förvaltningar so that "another body" is too. One user per role, plus outsiders.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from dialogues.models import Forum, Invitation, Meeting, Observation
from municipality.models import Body, Membership, Municipality, Role, User
from partners.models import ContactPerson, Organisation, Partnership, Representative

PASSWORD = "test-lösenord-1"


@dataclass
class Cast:
    malmo: Municipality
    kalmar: Municipality
    asn: Body  # Arbetsmarknads- och socialnämnden (committee)
    asf: Body  # its förvaltning
    frn: Body  # Fritidsnämnden
    frf: Body  # Fritidsförvaltningen
    kalmar_sn: Body
    kalmar_soc: Body
    staff: User  # tjänsteperson at ASF
    other_staff: User  # tjänsteperson at Fritidsförvaltningen
    elected: User  # förtroendevald on ASN
    representative: User  # organisationsföreträdare in Malmö
    auditor: User  # revisor in Malmö
    admin: User  # administratör
    kalmar_staff: User  # tjänsteperson in Kalmar
    org: Organisation  # Malmö organisation the representative speaks for
    other_org: Organisation  # another Malmö organisation
    kalmar_org: Organisation
    contact: ContactPerson  # of org
    other_contact: ContactPerson  # of other_org
    partnership: Partnership  # run by ASF, decided by ASN, party org
    other_partnership: Partnership  # run by Fritidsförvaltningen, party other_org
    kalmar_partnership: Partnership
    asn_forum: Forum  # ASN's temadagar; org is a member
    asf_forum: Forum  # ASF's föreningsträffar
    frf_forum: Forum  # Fritidsförvaltningen's forum; other_org is a member
    kalmar_forum: Forum
    meeting: Meeting  # a temadag in asn_forum, org invited and attending
    observation: Observation  # raised by org at meeting, forwarded to ASN

    USER_KEYS = (
        "staff",
        "other_staff",
        "elected",
        "representative",
        "auditor",
        "admin",
        "kalmar_staff",
    )

    def user(self, key):
        return None if key == "anonymous" else getattr(self, key)


def _pair(municipality, committee, administration):
    committee_body = Body.objects.create(
        municipality=municipality, name=committee, kind="committee"
    )
    administration_body = Body.objects.create(
        municipality=municipality, name=administration, kind="administration"
    )
    administration_body.serves.add(committee_body)
    return committee_body, administration_body


def _user(username, role, municipality, body=None):
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.se",
        first_name=username.title(),
        role=role,
        municipality=municipality,
    )
    if body is not None:
        Membership.objects.create(user=user, body=body)
    return user


def build_cast():
    malmo = Municipality.objects.create(name="Malmö stad", code="1280")
    kalmar = Municipality.objects.create(name="Kalmar kommun", code="0880")
    asn, asf = _pair(
        malmo, "Arbetsmarknads- och socialnämnden", "Arbetsmarknads- och socialförvaltningen"
    )
    frn, frf = _pair(malmo, "Fritidsnämnden", "Fritidsförvaltningen")
    kalmar_sn, kalmar_soc = _pair(kalmar, "Socialnämnden", "Socialförvaltningen")
    org = Organisation.objects.create(
        municipality=malmo, name="Röda Korset Malmö krets", org_number="802002-3431"
    )
    other_org = Organisation.objects.create(
        municipality=malmo, name="Brukarföreningen Malmö", org_number="802480-1238"
    )
    kalmar_org = Organisation.objects.create(
        municipality=kalmar, name="Kalmar Stadsmission", org_number="802011-1129"
    )
    representative = _user("representative", Role.REPRESENTATIVE, malmo)
    Representative.objects.create(
        user=representative,
        organisation=org,
        authorisation="power_of_attorney",
        since=datetime.date(2025, 1, 1),
    )
    asn_forum = _forum("ASN:s temadagar", "theme_day", asn, org)
    asf_forum = _forum("Föreningsträff hemlöshet", "association_meeting", asf, org)
    frf_forum = _forum("Fritidsdialog", "cooperation_forum", frf, other_org)
    kalmar_forum = _forum("Styrgrupp IOP", "steering_group", kalmar_soc, kalmar_org)
    meeting = Meeting.objects.create(
        forum=asn_forum,
        title="Temadag om hemlöshet",
        start=timezone.make_aware(datetime.datetime(2026, 3, 12, 9, 0)),
        end=timezone.make_aware(datetime.datetime(2026, 3, 12, 12, 0)),
        status="held",
    )
    Invitation.objects.create(meeting=meeting, organisation=org, attended=True, people=2)
    observation = Observation.objects.create(
        meeting=meeting,
        organisation=org,
        text="Fler platser på härbärget behövs vintertid.",
        forwarded_to=asn,
        status="forwarded",
        feedback_due=datetime.date(2026, 4, 9),
    )
    return Cast(
        malmo=malmo,
        kalmar=kalmar,
        asn=asn,
        asf=asf,
        frn=frn,
        frf=frf,
        kalmar_sn=kalmar_sn,
        kalmar_soc=kalmar_soc,
        staff=_user("staff", Role.CIVIL_SERVANT, malmo, asf),
        other_staff=_user("other_staff", Role.CIVIL_SERVANT, malmo, frf),
        elected=_user("elected", Role.ELECTED, malmo, asn),
        representative=representative,
        auditor=_user("auditor", Role.AUDITOR, malmo),
        admin=_user("admin", Role.ADMIN, None),
        kalmar_staff=_user("kalmar_staff", Role.CIVIL_SERVANT, kalmar, kalmar_soc),
        org=org,
        other_org=other_org,
        kalmar_org=kalmar_org,
        contact=ContactPerson.objects.create(
            organisation=org, name="Omar Saleh", email="omar@example.se"
        ),
        other_contact=ContactPerson.objects.create(organisation=other_org, name="Peter Wall"),
        partnership=_partnership("IOP Värmestugor", asn, asf, org),
        other_partnership=_partnership("IOP Fritid", frn, frf, other_org),
        kalmar_partnership=_partnership("IOP Sysselsättning", kalmar_sn, kalmar_soc, kalmar_org),
        asn_forum=asn_forum,
        asf_forum=asf_forum,
        frf_forum=frf_forum,
        kalmar_forum=kalmar_forum,
        meeting=meeting,
        observation=observation,
    )


def _forum(name, kind, owner, member):
    forum = Forum(name=name, kind=kind)
    forum.owner = owner
    forum.save()
    forum.members.add(member)
    return forum


def _partnership(title, committee, administration, party):
    partnership = Partnership.objects.create(
        title=title,
        decided_by=committee,
        run_by=administration,
        purpose="Stöd till personer i hemlöshet.",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        yearly_compensation=1_000_000,
    )
    partnership.parties.add(party)
    return partnership
