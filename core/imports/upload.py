"""The form field of an import page: size, extension and content checked with the toolkit's
messages."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.imports.problemen import ImportGeweigerd, weiger
from core.imports.reading import check_content, format_of


class UploadField(forms.FileField):
    """The file field of an import page: its size (max_bytes, or a callable giving it), its
    extension (`formats`) and the start of its content are checked, with the toolkit's
    messages."""

    def __init__(self, *args, formats=("csv", "xlsx"), max_bytes=None, **kwargs):
        self.formats, self._max_bytes = tuple(formats), max_bytes
        super().__init__(*args, **kwargs)

    @property
    def max_bytes(self):
        return self._max_bytes() if callable(self._max_bytes) else self._max_bytes

    def clean(self, data, initial=None):
        f = super().clean(data, initial)
        if not f:
            return f
        try:
            if self.max_bytes is not None and f.size > self.max_bytes:
                weiger(_("het bestand is te groot (hoogstens %(grootte)s).") % {
                    "grootte": filesizeformat(self.max_bytes)})
            fmt = format_of(f.name, self.formats)
            head = f.read(4096)
            f.seek(0)
            check_content(fmt, head)
        except ImportGeweigerd as exc:
            melding = exc.problemen[0].melding
            raise forms.ValidationError(melding[:1].upper() + melding[1:]) from None
        return f
