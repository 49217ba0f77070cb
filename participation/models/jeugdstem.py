"""Youth voices ("Jouw stem"): advice rounds, the ideas, questions and advice of children, and
what is done with them (follow-up actions and "jij zei – wij deden" check-ins). Every item gets
a public answer before its deadline."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Gemeente
from framework.models import Doelgericht
from regions.models import Gebied, Region


class Adviesronde(models.Model):
    """A question a council or department puts to a group of children (the Raad van Kinderen
    model). Each advice is an Inzending and gets its own published response."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    titel = models.CharField(_("titel"), max_length=120)
    vraag = models.TextField(_("de vraag aan de kinderen"))
    gesteld_door = models.CharField(
        _("wie stelt de vraag"), max_length=120,
        help_text=_("Bijvoorbeeld 'de gemeenteraad' of 'team Spelen en Bewegen'."))
    groep = models.CharField(
        _("aan welke kinderen"), max_length=200, blank=True,
        help_text=_("Bijvoorbeeld 'groep 7 van de Pendinghe' of 'jongeren uit Beijum'."))
    open_tot = models.DateField(_("advies geven kan tot en met"))
    behandelaar = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("behandelaar"),
                                    help_text=_("Krijgt elk advies van deze ronde toegewezen."))
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("adviesronde")
        verbose_name_plural = _("adviesrondes")
        ordering = ["-open_tot", "-id"]

    def __str__(self):
        return self.titel

    def get_absolute_url(self):
        return reverse("participation:adviesronde-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def get_public_url(self):
        return reverse("participation:publiek-adviesronde",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    def is_open(self, today=None):
        return (today or timezone.localdate()) <= self.open_tot

    def clean(self):
        if self.behandelaar_id:
            validate_behandelaar(self.behandelaar_id, self.gemeente_id, "behandelaar")


def validate_behandelaar(user_id, gemeente_id, field):
    from core.models import Membership, Role

    if not Membership.objects.filter(user_id=user_id, gemeente_id=gemeente_id,
                                     role=Role.BELEIDSMEDEWERKER).exists():
        raise ValidationError({field: _("Kies een beleidsmedewerker van deze gemeente.")})


class Inzending(Doelgericht):
    """An idea, question or advice of a child or young person. It must get a public answer
    before `deadline`; its follow-up stays visible to the child until it is closed. It may be
    tagged with a Klaverblad doel (framework.DoelKoppeling, through Doelgericht)."""

    class Soort(models.TextChoices):
        IDEE = "idee", _("idee")
        VRAAG = "vraag", _("vraag")
        ADVIES = "advies", _("advies")

    class Status(models.TextChoices):
        NIEUW = "nieuw", _("nieuw")
        IN_BEHANDELING = "in_behandeling", _("in behandeling")
        BEANTWOORD = "beantwoord", _("beantwoord")
        GESLOTEN = "gesloten", _("afgesloten")
        SPAM = "spam", _("spam")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    soort = models.CharField(_("soort"), max_length=10, choices=Soort.choices)
    onderwerp = models.CharField(_("onderwerp"), max_length=120)
    tekst = models.TextField(
        _("tekst"), max_length=3000, blank=True,
        help_text=_("Wat het kind schreef. Alleen medewerkers zien dit; leeg na het "
                    "anonimiseren."))
    publiek_onderwerp = models.CharField(_("openbaar onderwerp"), max_length=120, blank=True)
    publieke_tekst = models.TextField(
        _("openbare tekst"), max_length=3000, blank=True,
        help_text=_("De tekst die iedereen mag lezen, door een medewerker nagekeken en zo "
                    "nodig aangepast."))
    goedgekeurd_op = models.DateTimeField(_("openbare tekst goedgekeurd op"), null=True,
                                          blank=True)
    goedgekeurd_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                         null=True, blank=True, related_name="+",
                                         verbose_name=_("goedgekeurd door"))
    verborgen_op = models.DateTimeField(_("verborgen op"), null=True, blank=True)
    spam_op = models.DateTimeField(_("als spam gemarkeerd op"), null=True, blank=True)
    geanonimiseerd_op = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    thema = models.ForeignKey("Kinderthema", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("thema"))
    gebied = models.ForeignKey(Gebied, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("gebied"))
    wijk = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("wijk"),
                             limit_choices_to={"soort": Region.Soort.WIJK})
    adviesronde = models.ForeignKey(Adviesronde, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="adviezen",
                                    verbose_name=_("adviesronde"))
    volgcode_hash = models.CharField(max_length=64, blank=True, db_index=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    openbaar = models.BooleanField(
        _("mag openbaar"), default=False,
        help_text=_("Het kind vindt het goed dat iedereen de tekst en het antwoord leest."))
    ontvangen_op = models.DateTimeField(_("ontvangen op"), default=timezone.now)
    deadline = models.DateField(_("antwoord uiterlijk op"))
    behandelaar = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("behandelaar"))
    antwoord = models.TextField(_("openbaar antwoord"), blank=True)
    beantwoord_op = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    beantwoord_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("beantwoord door"))
    gesloten_op = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    geescaleerd_op = models.DateTimeField(_("geëscaleerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("inzending")
        verbose_name_plural = _("inzendingen")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["gemeente", "deadline"])]

    def __str__(self):
        return f"{self.get_soort_display().capitalize()}: {self.onderwerp}"

    def get_absolute_url(self):
        return reverse("participation:inzending-detail",
                       kwargs={"gemeente": self.gemeente.slug, "pk": self.pk})

    @property
    def status(self):
        if self.spam_op:
            return self.Status.SPAM
        if self.gesloten_op:
            return self.Status.GESLOTEN
        if self.beantwoord_op:
            return self.Status.BEANTWOORD
        if self.behandelaar_id:
            return self.Status.IN_BEHANDELING
        return self.Status.NIEUW

    def get_status_display(self):
        return self.Status(self.status).label

    def te_laat(self, today=None):
        return (not self.beantwoord_op and not self.gesloten_op
                and (today or timezone.localdate()) > self.deadline)

    @property
    def is_openbaar(self):
        """Shown to everyone: the child agreed, staff approved the public text, it is not
        hidden or spam, and it has an answer."""
        return bool(self.openbaar and self.goedgekeurd_op and not self.verborgen_op
                    and not self.spam_op and self.beantwoord_op)

    def clean(self):
        errors = {}
        if self.wijk_id and self.wijk.gemeente_id != self.gemeente_id:
            errors["wijk"] = _("Deze wijk hoort bij een andere gemeente.")
        if self.gebied_id and self.gebied.gemeente_id != self.gemeente_id:
            errors["gebied"] = _("Dit gebied hoort bij een andere gemeente.")
        if self.thema_id and self.thema.gemeente_id != self.gemeente_id:
            errors["thema"] = _("Dit thema hoort bij een andere gemeente.")
        if self.adviesronde_id and self.adviesronde.gemeente_id != self.gemeente_id:
            errors["adviesronde"] = _("Deze adviesronde hoort bij een andere gemeente.")
        if errors:
            raise ValidationError(errors)
        if self.behandelaar_id:
            validate_behandelaar(self.behandelaar_id, self.gemeente_id, "behandelaar")


class Vervolgactie(models.Model):
    """What is done with an idea or advice: owner and status stay visible until closed."""

    class Status(models.TextChoices):
        GEPLAND = "gepland", _("gepland")
        BEZIG = "bezig", _("bezig")
        KLAAR = "klaar", _("klaar")
        GESTOPT = "gestopt", _("gestopt")

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    inzending = models.ForeignKey(Inzending, on_delete=models.CASCADE,
                                  related_name="vervolgacties", verbose_name=_("inzending"))
    omschrijving = models.CharField(_("wat gaan we doen"), max_length=300)
    eigenaar = models.CharField(
        _("wie doet het"), max_length=120,
        help_text=_("Een team of organisatie, bijvoorbeeld 'team Spelen' of 'WIJ-team SPT'."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.GEPLAND)
    streefdatum = models.DateField(_("klaar op (streefdatum)"), null=True, blank=True)

    class Meta:
        verbose_name = _("vervolgactie")
        verbose_name_plural = _("vervolgacties")
        ordering = ["streefdatum", "id"]

    def __str__(self):
        return self.omschrijving

    def get_absolute_url(self):
        return self.inzending.get_absolute_url()

    @property
    def open(self):
        return self.status in (self.Status.GEPLAND, self.Status.BEZIG)

    def te_laat(self, today=None):
        return bool(self.open and self.streefdatum
                    and (today or timezone.localdate()) > self.streefdatum)

    def clean(self):
        if self.inzending_id and self.inzending.gemeente_id != self.gemeente_id:
            raise ValidationError(_("Deze inzending hoort bij een andere gemeente."))


class Terugkoppeling(models.Model):
    """A "jij zei – wij deden" check-in, shown on the child's tracking page."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    inzending = models.ForeignKey(Inzending, on_delete=models.CASCADE,
                                  related_name="terugkoppelingen", verbose_name=_("inzending"))
    tekst = models.TextField(_("wat hebben we gedaan"), max_length=2000)
    datum = models.DateField(_("datum"), default=timezone.localdate)

    class Meta:
        verbose_name = _("terugkoppeling")
        verbose_name_plural = _("terugkoppelingen")
        ordering = ["datum", "id"]

    def __str__(self):
        return _("Terugkoppeling van %(datum)s") % {"datum": self.datum}

    def get_absolute_url(self):
        return self.inzending.get_absolute_url()

    def clean(self):
        if self.inzending_id and self.inzending.gemeente_id != self.gemeente_id:
            raise ValidationError(_("Deze inzending hoort bij een andere gemeente."))


class Kinderthema(models.Model):
    """A Klaverblad doel in children's words, for the "Jouw stem" form ("Spelen en sporten"
    for "Alle jeugdigen hebben een gezonde en actieve leefstijl"). Written by the
    beleidsmedewerker; a child picks one, the submission is tagged with its doel."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("gemeente"))
    doel = models.ForeignKey("framework.Doel", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("Klaverblad-doel"))
    tekst = models.CharField(
        _("in woorden van kinderen"), max_length=80,
        help_text=_("Kort en eenvoudig, bijvoorbeeld 'Spelen en sporten'."))
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("thema voor kinderen")
        verbose_name_plural = _("thema's voor kinderen")
        ordering = ["volgorde", "id"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "doel"],
                                               name="kinderthema_unique_doel")]

    def __str__(self):
        return self.tekst

    def get_absolute_url(self):
        return reverse("participation:kinderthemas", kwargs={"gemeente": self.gemeente.slug})

    def clean(self):
        if self.doel_id and self.doel.gemeente_id != self.gemeente_id:
            raise ValidationError({"doel": _("Dit doel hoort bij een andere gemeente.")})
