"""Tenant (Gemeente), users with memberships, and the append-only audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Gemeente(models.Model):
    """The tenant: every domain row belongs to exactly one gemeente."""

    cbs_code = models.CharField(
        _("CBS-code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^GM\d{4}$", _("Een gemeentecode is GM met vier cijfers."))],
    )
    naam = models.CharField(_("naam"), max_length=100)
    slug = models.SlugField(_("korte naam in adressen"), unique=True)
    programmanaam = models.CharField(
        _("naam van het programma"), max_length=100, blank=True,
        help_text=_("Bijvoorbeeld 'Positief Opgroeien' of 'Oog voor jeugd'."),
    )

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["naam"]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return reverse("core:gemeente", kwargs={"gemeente": self.slug})


class User(AbstractUser):
    """A person who logs in. What they may do follows from their memberships."""

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self):
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    BELEIDSMEDEWERKER = "beleidsmedewerker", _("Beleidsmedewerker")
    GEBIEDSCOORDINATOR = "gebiedscoordinator", _("Gebiedscoördinator")
    STUURGROEPLID = "stuurgroeplid", _("Stuurgroeplid")
    PARTNER = "partner", _("Partner")
    JURYLID = "jurylid", _("Jurylid")
    RAADSLID = "raadslid", _("Raadslid")


ROLES_WITH_GEBIED = {Role.GEBIEDSCOORDINATOR, Role.STUURGROEPLID}
ROLES_WITH_ORGANISATIE = {Role.PARTNER}


class Membership(models.Model):
    """(gemeente, role[, gebied | organisatie]): the unit of every permission check."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("gebruiker"),
    )
    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("gemeente")
    )
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    gebied = models.ForeignKey(
        "regions.Gebied", on_delete=models.CASCADE, null=True, blank=True,
        related_name="memberships", verbose_name=_("gebied"),
    )
    organisatie = models.ForeignKey(
        "network.Organisatie", on_delete=models.CASCADE, null=True, blank=True,
        related_name="memberships", verbose_name=_("organisatie"),
    )

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self):
        scope = self.gebied or self.organisatie
        label = f"{self.get_role_display()} – {self.gemeente}"
        return f"{label} ({scope})" if scope else label

    def clean(self):
        errors = {}
        if self.role in ROLES_WITH_GEBIED and not self.gebied_id:
            errors["gebied"] = _("Kies het gebied bij deze rol.")
        if self.role not in ROLES_WITH_GEBIED and self.gebied_id:
            errors["gebied"] = _("Bij deze rol hoort geen gebied.")
        if self.role in ROLES_WITH_ORGANISATIE and not self.organisatie_id:
            errors["organisatie"] = _("Kies de organisatie bij deze rol.")
        if self.role not in ROLES_WITH_ORGANISATIE and self.organisatie_id:
            errors["organisatie"] = _("Bij deze rol hoort geen organisatie.")
        if self.gebied_id and self.gemeente_id and self.gebied.gemeente_id != self.gemeente_id:
            errors["gebied"] = _("Dit gebied hoort bij een andere gemeente.")
        if (self.organisatie_id and self.gemeente_id
                and self.organisatie.gemeente_id != self.gemeente_id):
            errors["organisatie"] = _("Deze organisatie hoort bij een andere gemeente.")
        if errors:
            raise ValidationError(errors)
        duplicate = Membership.objects.filter(
            user_id=self.user_id, gemeente_id=self.gemeente_id, role=self.role,
            gebied_id=self.gebied_id, organisatie_id=self.organisatie_id,
        ).exclude(pk=self.pk)
        if self.user_id and duplicate.exists():
            raise ValidationError(_("Deze gebruiker heeft deze rol hier al."))


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Het auditlog kan niet gewijzigd worden.")

    def delete(self):
        raise PermissionError("Het auditlog kan niet gewist worden.")


class AuditEntry(models.Model):
    """Append-only record of one create, update or delete done through a service."""

    class Action(models.TextChoices):
        CREATE = "create", _("aangemaakt")
        UPDATE = "update", _("gewijzigd")
        DELETE = "delete", _("verwijderd")

    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.PROTECT, related_name="audit_entries",
        verbose_name=_("gemeente"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("door"),
    )
    actor_naam = models.CharField(_("door (naam)"), max_length=200)
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    action = models.CharField(_("handeling"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    before = models.JSONField(_("voor"), null=True, blank=True)
    after = models.JSONField(_("na"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self):
        return (f"{self.at:%Y-%m-%d %H:%M} {self.actor_naam} {self.get_action_display()} "
                f"{self.object_repr}")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Het auditlog kan niet gewijzigd worden.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Het auditlog kan niet gewist worden.")

    def changes(self):
        """[(field, before, after)] for the fields that differ."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    def regels(self):
        """The changes as Dutch lines for people (core.audit.regels)."""
        from core.audit import regels

        return regels(self)


class Bericht(models.Model):
    """One message of the outbox: shown in the site to `user` and, unless the recipient chose
    otherwise or has no address, e-mailed to `email` by the background worker
    (core/notifications.py). Everything a user must be told goes through here."""

    class Status(models.TextChoices):
        WACHT = "wacht", _("wacht op verzending")
        BEZIG = "bezig", _("wordt verzonden")
        VERZONDEN = "verzonden", _("verzonden")
        MISLUKT = "mislukt", _("mislukt")
        DIGEST = "digest", _("wacht op dagoverzicht")
        ALLEEN_SITE = "alleen_site", _("alleen in de site")

    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.CASCADE, related_name="berichten", verbose_name=_("gemeente"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="berichten", verbose_name=_("ontvanger"),
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    kind = models.CharField(_("soort"), max_length=64, db_index=True)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
    )
    object_id = models.CharField(max_length=64, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # Set for a message that must go out only once (a reminder, an escalation): a second
    # notify with the same key is not written (see notifications.notify_once).
    key = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True, db_index=True)
    status = models.CharField(_("bezorging"), max_length=12, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("verzonden"), null=True, blank=True)
    last_error = models.TextField(_("laatste fout"), blank=True)
    read_at = models.DateTimeField(_("gelezen"), null=True, blank=True)

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["gemeente", "-created"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~models.Q(key=""),
                                    name="bericht_key_once"),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return self.url


class BerichtVoorkeur(models.Model):
    """How a user wants e-mail of one kind: at once, in a daily digest, or not at all. No row
    means at once. The in-site message is always there."""

    class Wijze(models.TextChoices):
        DIRECT = "direct", _("direct per e-mail")
        DIGEST = "digest", _("één keer per dag, in een overzicht")
        GEEN = "geen", _("geen e-mail, alleen in de site")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bericht_voorkeuren",
    )
    kind = models.CharField(_("soort"), max_length=64)
    wijze = models.CharField(_("e-mail"), max_length=8, choices=Wijze.choices,
                             default=Wijze.DIRECT)

    class Meta:
        verbose_name = _("berichtvoorkeur")
        verbose_name_plural = _("berichtvoorkeuren")
        constraints = [models.UniqueConstraint(fields=["user", "kind"],
                                               name="berichtvoorkeur_once")]

    def __str__(self):
        return f"{self.user} {self.kind}: {self.wijze}"


class GeplandeTaak(models.Model):
    """The state of one periodic job (core/scheduler.py): which slot of its schedule was last
    handed to the worker, and how its last run ended (recorded by the worker's signal)."""

    name = models.CharField(_("taak"), max_length=200, unique=True)
    last_slot = models.DateTimeField(_("laatste geplande tijd"), null=True, blank=True)
    last_enqueued_at = models.DateTimeField(_("laatst klaargezet"), null=True, blank=True)
    last_result_id = models.CharField(max_length=64, blank=True)
    last_started_at = models.DateTimeField(_("laatst gestart"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("laatst klaar"), null=True, blank=True)
    last_status = models.CharField(_("afloop"), max_length=20, blank=True)
    last_error = models.TextField(_("laatste fout"), blank=True)
    last_success_at = models.DateTimeField(_("laatst gelukt"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("laatst mislukt"), null=True, blank=True)

    class Meta:
        verbose_name = _("geplande taak")
        verbose_name_plural = _("geplande taken")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SchedulerLease(models.Model):
    """Who runs the scheduler: one row, held for a short lease and renewed while alive. A
    second scheduler finds it held and waits (core/scheduler.py)."""

    name = models.CharField(max_length=50, primary_key=True)
    holder = models.CharField(max_length=100)
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name}: {self.holder} tot {self.expires_at}"


class ImportPoging(models.Model):
    """One run of an import (a file read into the monitor, the regions, a wijkplan or the
    sociale kaart, from the site, a command or a job): did it go in, and if not, why not.
    Written by `core.imports.vastgelegd`, outside the import's own transaction, so a refused
    file leaves this trace while everything it would have changed is rolled back. The
    beleidsmedewerker sees the imports that failed and have not gone in since on the home page
    (core.attention)."""

    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.CASCADE, related_name="import_pogingen",
        verbose_name=_("gemeente"),
    )
    soort = models.CharField(_("soort import"), max_length=64)
    # What the import is about within its soort (e.g. one wijkplanversie): a later success of
    # the same soort and onderwerp settles an earlier failure.
    onderwerp = models.CharField(max_length=100, blank=True)
    bestandsnaam = models.CharField(_("bestandsnaam"), max_length=255, blank=True)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("door"),
    )
    tijdstip = models.DateTimeField(_("tijdstip"), auto_now_add=True)
    gelukt = models.BooleanField(_("gelukt"))
    problemen = models.JSONField(_("problemen"), default=list, blank=True)
    aantal_problemen = models.PositiveIntegerField(_("aantal problemen"), default=0)
    url = models.CharField(_("link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("importpoging")
        verbose_name_plural = _("importpogingen")
        ordering = ["-tijdstip", "-pk"]
        indexes = [models.Index(fields=["gemeente", "soort", "onderwerp", "-tijdstip"])]

    def __str__(self):
        return f"{self.soort} {self.bestandsnaam} ({'gelukt' if self.gelukt else 'mislukt'})"
