"""The scale data of `seed_scale`: a large city, synthetic and reproducible, one module
per feature, built in the order each needs the one before (the draws from the run's
random generator come in that order too, so the same options give the same data)."""

from devdata.scale import dialogues, grants, municipality, partners
from devdata.scale.core import City, Run

__all__ = ["Run", "build"]

SIZES = ("organisations", "meetings", "observations", "agreements", "grants")


def build(run):
    """Every municipality asked for, each with its share of the totals; returns the
    counts of what was written."""
    opts = run.options
    n = opts["municipalities"]
    groups = partners.target_groups(run)
    for index in range(n):

        def share(total, index=index):
            return total // n + (1 if index < total % n else 0)

        sizes = {key: share(opts[key]) for key in SIZES}
        forums = (
            opts["forums"]
            if opts["forums"] is not None
            else max(opts["organisations"] // 20, 3 * n)
        )
        sizes["forums"] = share(forums)
        build_city(run, index, groups, sizes)
    return run.counts


def build_city(run, index, groups, sizes):
    place = municipality.municipality(run, index)
    run.say(f"{place.name} ({place.code}): {sizes}")
    city = City(index=index, place=place)
    city.bodies = municipality.bodies_and_users(run, place)
    city.areas = partners.areas(run, place)
    city.orgs = partners.organisations(run, city, groups, sizes["organisations"])
    city.forums = dialogues.forums(run, city, sizes["forums"])
    city.meetings = dialogues.meetings(run, city, sizes["meetings"])
    dialogues.observations(run, city, sizes["observations"])
    partners.partnerships(run, city, sizes["agreements"])
    grants.grants(run, city, sizes["grants"])
