import rules
from django import forms, template

register = template.Library()

CHECK_WIDGETS = {"checkbox", "radio", "checkboxselectmultiple", "radioselect"}


@register.filter
def bootstrap(field):
    """Render a bound field's widget with Bootstrap classes and its help/errors linked."""
    widget_type = field.widget_type
    if widget_type in CHECK_WIDGETS:
        css = "form-check-input"
    elif isinstance(field.field.widget, forms.Select):
        # Its subclasses too (SelectMultiple, NullBooleanSelect, the lists' FastSelect).
        css = "form-select"
    else:
        css = "form-control"
    existing = field.field.widget.attrs.get("class", "")
    attrs = {"class": f"{existing} {css}".strip()}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        described_by.append(f"{field.auto_id}_error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def can(context, perm, obj):
    """`{% can "dossiers.submit_dossier" dossier as can_submit %}`: the same rules predicate as
    views and services (unlike `user.has_perm`, a superuser gets no blanket yes)."""
    return rules.has_perm(perm, context["request"].user, obj)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
