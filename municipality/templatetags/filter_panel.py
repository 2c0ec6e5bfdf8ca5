"""`{{ filter|chosen }}`: whether a list's filter has a value, so its panel opens on a phone.

On a narrow screen the filter panel is folded behind its button; a list someone has
filtered shows the panel open, so what narrows the list is in sight.
"""

from django import template

register = template.Library()


@register.filter
def chosen(filterset):
    form = filterset.form
    return any(field.value() not in (None, "", [], ()) for field in form if form.is_bound)
