"""The choice lists a new municipality starts with: target groups and areas.

They are defaults, to be edited in the admin: they are added only where there are none
yet, so running the set-up again does not bring back what an administrator removed.
"""

from partners.models import Area, TargetGroup

TARGET_GROUPS = [
    "barn och unga",
    "äldre",
    "personer med funktionsnedsättning",
    "psykisk ohälsa",
    "missbruk och beroende",
    "hemlöshet",
    "ekonomisk utsatthet",
    "våld i nära relation",
    "nyanlända",
    "sysselsättning",
    "kultur och fritid",
]
AREAS = ["Hela kommunen", "Centrum", "Norr", "Söder", "Öster", "Väster"]


def add_default_choices(municipality):
    """Add the default target groups (shared by all municipalities) and areas; returns
    what was added (text lines)."""
    added = []
    if not TargetGroup.objects.exists():
        TargetGroup.objects.bulk_create([TargetGroup(name=name) for name in TARGET_GROUPS])
        added.append(f"målgrupper: {len(TARGET_GROUPS)}")
    if not municipality.areas.exists():
        Area.objects.bulk_create([Area(municipality=municipality, name=n) for n in AREAS])
        added.append(f"områden: {len(AREAS)}")
    return added
