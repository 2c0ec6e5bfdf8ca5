from django import template

from partners.tables import status_badges

register = template.Library()


@register.simple_tag
def partnership_status(partnership):
    return status_badges(partnership)
