from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.models import Membership, Role, User


class TenantModelForm(forms.ModelForm):
    """A ModelForm that knows the gemeente and user, and limits related choices to the gemeente."""

    def __init__(self, *args, gemeente, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.gemeente = gemeente
        self.user = user
        for field in self.fields.values():
            qs = getattr(field, "queryset", None)
            if qs is not None and any(f.name == "gemeente" for f in qs.model._meta.fields):
                field.queryset = qs.filter(gemeente=gemeente)

    def m2m_field_names(self):
        return [f.name for f in self._meta.model._meta.many_to_many if f.name in self.fields]


class MembershipForm(TenantModelForm):
    class Meta:
        model = Membership
        fields = ["role", "gebied", "organisatie"]
        help_texts = {
            "gebied": _("Alleen bij gebiedscoördinator en stuurgroeplid."),
            "organisatie": _("Alleen bij partner."),
        }


class NewUserForm(forms.ModelForm):
    """A new account with its first membership (role and, for scoped roles, its scope)."""

    role = forms.ChoiceField(label=_("rol"), choices=Role.choices)
    gebied = forms.ModelChoiceField(
        label=_("gebied"), queryset=None, required=False,
        help_text=_("Alleen bij gebiedscoördinator en stuurgroeplid."))
    organisatie = forms.ModelChoiceField(
        label=_("organisatie"), queryset=None, required=False,
        help_text=_("Alleen bij partner."))
    password = forms.CharField(
        label=_("tijdelijk wachtwoord"), widget=forms.PasswordInput(render_value=False),
        help_text=_("Minstens 8 tekens. Geef het veilig door; de gebruiker kiest zelf een nieuw."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, gemeente, **kwargs):
        super().__init__(*args, **kwargs)
        gebied = Membership._meta.get_field("gebied").related_model
        organisatie = Membership._meta.get_field("organisatie").related_model
        self.fields["gebied"].queryset = gebied.objects.filter(gemeente=gemeente)
        self.fields["organisatie"].queryset = organisatie.objects.filter(gemeente=gemeente)

    def clean_password(self):
        from django.contrib.auth.password_validation import validate_password

        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class LoginForm(AuthenticationForm):
    """No autofocus: keyboard and screen-reader users start at the skip link like elsewhere."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)


class GroupedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes in groups, each a fieldset with its legend (e.g. organisaties by soort), so
    a long list can be scanned; in two columns where the screen is wide enough. A list of more
    than ZOEK_VANAF options gets a search box (static/js/keuzelijst.js: it hides the options
    that do not match, and groups left empty; without JavaScript the box stays hidden). Give
    the field grouped choices: [(group, [(value, label)])]."""

    template_name = "core/widgets/grouped_checkboxes.html"
    ZOEK_VANAF = 10

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        aantal = sum(len(options) for _group, options, _index in context["widget"]["optgroups"])
        context["widget"]["zoeken"] = aantal > self.ZOEK_VANAF
        return context


def grouped_choices(objects, group_of) -> list:
    """[(group label, [(pk, str(obj))])] in the order the groups first appear."""
    groups: dict = {}
    for obj in objects:
        groups.setdefault(str(group_of(obj)), []).append((obj.pk, str(obj)))
    return list(groups.items())
