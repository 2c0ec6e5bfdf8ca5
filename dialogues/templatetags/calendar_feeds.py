from django import template
from django.urls import reverse

from dialogues import feeds
from municipality import access

register = template.Library()


UNKNOWN = object()


@register.inclusion_tag("dialogues/feed_panel.html", takes_context=True)
def feed_panel(context, kind, target, heading="", feed=UNKNOWN):
    """Subscription links for a feed, with renew and revoke, to those who manage it.

    A page listing many panels passes each one's `feed` (None if it has none), looked up
    with `feeds.with_current_feeds` for subjects from `feeds.manageable`: both the right
    and the feed are then known, and the panel asks the database nothing."""
    request = context["request"]
    if feed is UNKNOWN:
        if not access.allows(request.user, "manage_calendar_feed", target):
            return {"show": False}
        feed = feeds.current(kind, target)
    https = webcal = ""
    if feed is not None:
        https = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))
        webcal = "webcal://" + https.split("://", 1)[1]
    return {
        "show": True,
        "kind": kind,
        "target": target,
        "heading": heading,
        "feed": feed,
        "https": https,
        "webcal": webcal,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
        "slug": f"{kind}-{target.pk}",
    }
