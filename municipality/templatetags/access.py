"""Links only where they open: `{% linked obj visible_pks %}`.

Views decide with `access.visible_pks` (one query per model) which of the objects on a
page the user may open; the tag links those and names the rest without a link.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def linked(obj, visible, text=None):
    label = obj if text is None else text
    if obj is not None and obj.pk in visible:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)
    return format_html("{}", label if obj is not None else "–")
