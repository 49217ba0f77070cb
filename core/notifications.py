"""The outbox: everything a user must be told is one `Bericht` row.

A service calls `notify(...)` inside its own transaction, so the message exists exactly when
the change it reports does. After the commit the background worker (django-tasks, database
backend: `manage.py db_worker`) sends the e-mail through Django's e-mail backend
(`core.tasks.verstuur_bericht` → `deliver`). A failed delivery is retried with backoff
(`BACKOFF`); a permanent refusal by the mail server, or the last attempt, marks it failed.
The in-site message (the inbox) does not depend on e-mail at all: a user without an address,
or who chose "no e-mail" for this kind, still finds it there.

    from core.notifications import notify

    with transaction.atomic():
        aanvraag.save()
        notify(gemeente=aanvraag.gemeente, kind="finance.aanvraag_besloten",
               subject=_("Uw aanvraag is besloten"), body=..., user=aanvrager,
               obj=aanvraag, url=aanvraag.get_absolute_url())

`kind` is "<app>.<what>"; register it (`register_kind`, in the app's AppConfig.ready) so a
user can choose per kind: e-mail at once, in the daily digest, or not at all.

Delivery is at least once: a worker that dies between handing a message to the mail server
and recording it can send that one message again after `STALE_CLAIM`. Reminders and
escalations use `notify_once(key=...)`: a second call with the same key writes nothing.
"""

import datetime
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.models import Bericht, BerichtVoorkeur

# Wait before attempt 2, 3, ...; after the last one the message is marked failed.
BACKOFF = [datetime.timedelta(minutes=m) for m in (1, 5, 30, 120, 360)]
MAX_ATTEMPTS = len(BACKOFF) + 1
# A message claimed by a worker longer ago than this is taken to be lost with that worker.
STALE_CLAIM = datetime.timedelta(minutes=15)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str


KINDS: dict[str, Kind] = {}


def register_kind(code: str, label) -> None:
    """Make a kind of message choosable on the user's preferences page."""
    KINDS[code] = Kind(code, label)


def kind_label(code: str):
    kind = KINDS.get(code)
    return kind.label if kind else code


def wijze_for(user, kind: str) -> str:
    voorkeur = BerichtVoorkeur.objects.filter(user=user, kind=kind).first()
    return voorkeur.wijze if voorkeur else BerichtVoorkeur.Wijze.DIRECT


def notify(*, gemeente, kind: str, subject: str, body: str, user=None, email: str = "",
           obj=None, url: str = "") -> Bericht:
    """Put one message in the outbox (see the module docstring). `email` overrides the user's
    own address (e.g. a parent's address for a child without an account)."""
    return _write(gemeente=gemeente, kind=kind, subject=subject, body=body, user=user,
                  email=email, obj=obj, url=url, key="")


def notify_once(*, key: str, gemeente, kind: str, subject: str, body: str, user=None,
                email: str = "", obj=None, url: str = "") -> Bericht | None:
    """`notify`, unless a message with this key was written before (then None). For reminders
    and escalations that a scheduled job may try again: the unique key makes it once."""
    if Bericht.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            return _write(gemeente=gemeente, kind=kind, subject=subject, body=body, user=user,
                          email=email, obj=obj, url=url, key=key)
    except IntegrityError:
        return None  # written at the same moment by another process


def _write(*, gemeente, kind, subject, body, user, email, obj, url, key) -> Bericht:
    if user is None and not email:
        raise ValueError("notify needs a user or an e-mail address")
    address = (email or (user.email if user is not None else "")).strip()
    if not address:
        status = Bericht.Status.ALLEEN_SITE
    elif user is None:
        status = Bericht.Status.WACHT
    else:
        status = {
            BerichtVoorkeur.Wijze.DIRECT: Bericht.Status.WACHT,
            BerichtVoorkeur.Wijze.DIGEST: Bericht.Status.DIGEST,
            BerichtVoorkeur.Wijze.GEEN: Bericht.Status.ALLEEN_SITE,
        }[wijze_for(user, kind)]
    bericht = Bericht.objects.create(
        gemeente_id=getattr(gemeente, "pk", gemeente), user=user, email=address, kind=kind,
        subject=str(subject)[:200], body=str(body), url=url, key=key, status=status,
        content_type=ContentType.objects.get_for_model(type(obj)) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
    )
    if status == Bericht.Status.WACHT:
        transaction.on_commit(lambda: enqueue(bericht.pk))
    return bericht


def enqueue(bericht_id: int, run_after: datetime.datetime | None = None) -> None:
    from core.tasks import verstuur_bericht

    task = verstuur_bericht.using(run_after=run_after) if run_after else verstuur_bericht
    task.enqueue(bericht_id)


def absolute(url: str) -> str:
    if not url or "://" in url:
        return url
    return f"{settings.SITE_URL}/{url.lstrip('/')}"


def email_text(bericht: Bericht) -> str:
    link = absolute(bericht.url)
    return f"{bericht.body}\n\n{link}\n" if link else f"{bericht.body}\n"


def is_permanent(exc: BaseException) -> bool:
    """A 5xx answer of the mail server: trying again will not help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    code = getattr(exc, "smtp_code", 0)
    return isinstance(code, int) and code >= 500


def claim(bericht_id: int, now) -> Bericht | None:
    """Take a waiting message for sending: one conditional UPDATE, so two workers never both
    send it."""
    taken = Bericht.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=bericht_id, status=Bericht.Status.WACHT,
    ).update(status=Bericht.Status.BEZIG, claimed_at=now, attempts=F("attempts") + 1)
    return Bericht.objects.get(pk=bericht_id) if taken else None


def deliver(bericht_id: int, now=None) -> str:
    """Send one message by e-mail. Returns its status afterwards (or "" when it was not
    waiting: sent before, or taken by another worker)."""
    now = now or timezone.now()
    bericht = claim(bericht_id, now)
    if bericht is None:
        return ""
    try:
        EmailMessage(subject=bericht.subject, body=email_text(bericht),
                     to=[bericht.email]).send()
    except (smtplib.SMTPException, OSError) as exc:
        return record_failure(bericht, exc, now)
    Bericht.objects.filter(pk=bericht.pk).update(
        status=Bericht.Status.VERZONDEN, sent_at=timezone.now(), next_attempt_at=None,
        last_error="")
    return Bericht.Status.VERZONDEN


def record_failure(bericht: Bericht, exc: BaseException, now) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if is_permanent(exc) or bericht.attempts >= MAX_ATTEMPTS:
        Bericht.objects.filter(pk=bericht.pk).update(
            status=Bericht.Status.MISLUKT, next_attempt_at=None, last_error=error)
        return Bericht.Status.MISLUKT
    retry_at = now + BACKOFF[bericht.attempts - 1]
    Bericht.objects.filter(pk=bericht.pk).update(
        status=Bericht.Status.WACHT, next_attempt_at=retry_at, last_error=error)
    enqueue(bericht.pk, run_after=retry_at)
    return Bericht.Status.WACHT


def deliver_due(now=None) -> int:
    """The safety net, run by the scheduler: send every message that waits and is due (its
    task was lost, e.g. the queue was emptied) and release claims of a worker that died."""
    now = now or timezone.now()
    Bericht.objects.filter(status=Bericht.Status.BEZIG, claimed_at__lt=now - STALE_CLAIM).update(
        status=Bericht.Status.WACHT, next_attempt_at=None)
    due = Bericht.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status=Bericht.Status.WACHT, created__lte=now - datetime.timedelta(minutes=1),
    ).values_list("pk", flat=True)
    return sum(1 for pk in list(due[:500]) if deliver(pk, now) == Bericht.Status.VERZONDEN)


def send_digests(now=None) -> int:
    """The daily digest: one e-mail per address with every message that waits for it
    (status DIGEST). Returns the number of e-mails sent. A message is claimed (DIGEST → BEZIG)
    before sending, so a second run at the same moment does not send it again; on failure it
    waits for the next digest."""
    from django.template.loader import render_to_string
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    sent = 0
    waiting = (Bericht.objects.filter(status=Bericht.Status.DIGEST)
               .select_related("gemeente").order_by("email", "created", "pk"))
    per_address: dict[str, list[Bericht]] = {}
    for bericht in waiting:
        per_address.setdefault(bericht.email, []).append(bericht)
    for address, berichten in per_address.items():
        ids = [b.pk for b in berichten]
        if Bericht.objects.filter(pk__in=ids, status=Bericht.Status.DIGEST).update(
                status=Bericht.Status.BEZIG, claimed_at=now,
                attempts=F("attempts") + 1) != len(ids):
            Bericht.objects.filter(pk__in=ids, status=Bericht.Status.BEZIG,
                                   claimed_at=now).update(status=Bericht.Status.DIGEST)
            continue  # another run took some of them: leave these for the next digest
        items = [(b, absolute(b.url)) for b in berichten]
        try:
            EmailMessage(
                subject=_("Opgroeien: %(n)s berichten van de afgelopen dag") % {"n": len(ids)},
                body=render_to_string("core/mail/digest.txt", {"items": items}),
                to=[address]).send()
        except (smtplib.SMTPException, OSError) as exc:
            Bericht.objects.filter(pk__in=ids).update(
                status=Bericht.Status.DIGEST, last_error=f"{type(exc).__name__}: {exc}"[:2000])
            continue
        Bericht.objects.filter(pk__in=ids).update(
            status=Bericht.Status.VERZONDEN, sent_at=timezone.now(), last_error="")
        sent += 1
    return sent
