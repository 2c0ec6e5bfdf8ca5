from django import template

from municipality.money import format_kronor, format_number

register = template.Library()


@register.filter
def kronor(value):
    return format_kronor(value)


@register.filter
def grouped(value):
    return format_number(value)
