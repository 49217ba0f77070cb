"""The API base every app's `api.py` builds on: tenant-scoped fields, serializers, viewsets,
the policy permission and the gemeenten endpoint. `api/` only assembles the router and schema."""

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core import notifications, policy, selectors, services
from core.models import Bericht, Gemeente


def request_user(context):
    """The user of the request in a serializer's context (None outside a request)."""
    request = context.get("request")
    return getattr(request, "user", None)


class TenantRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object by id, chosen only from the gemeenten the user belongs to: an id of
    another gemeente is answered as 'does not exist', never with a hint."""

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.filter(gemeente_id__in=policy.gemeente_ids(request_user(self.context)))


class GemeenteField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "cbs_code")
        kwargs.setdefault("queryset", Gemeente.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=policy.gemeente_ids(request_user(self.context)))


def call_service(fn):
    """Call a service for the API: its PermissionDenied answers 403 and its ValidationError 400,
    with the service's Dutch messages."""
    try:
        return fn()
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from None
    except DjangoValidationError as exc:
        raise exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        ) from None


class ServiceModelSerializer(serializers.ModelSerializer):
    """Creates and updates through core.services (permission check + audit), never directly."""

    gemeente = GemeenteField()
    serializer_related_field = TenantRelatedField

    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        if field_class is serializers.PrimaryKeyRelatedField:
            field_class = TenantRelatedField
        return field_class, kwargs

    def get_fields(self):
        """DRF drops `allow_blank` from read-only fields, so the schema would promise a choice
        where the row may hold "" (e.g. an aanvraag's `eis` before the decision)."""
        fields = super().get_fields()
        for name, field in fields.items():
            if field.read_only and isinstance(field, serializers.ChoiceField) and \
                    not field.allow_blank:
                try:  # not bound yet: `source` is still None when it is the field's name
                    model_field = self.Meta.model._meta.get_field(field.source or name)
                except FieldDoesNotExist:
                    continue
                field.allow_blank = model_field.blank
        return fields

    def save_instance(self, instance, m2m):
        """Override to call an app's own service."""
        return services.save_object(request_user(self.context), instance, m2m=m2m)

    def _split(self, validated_data):
        m2m_names = {f.name for f in self.Meta.model._meta.many_to_many}
        m2m = {k: validated_data.pop(k) for k in list(validated_data) if k in m2m_names}
        return validated_data, m2m

    def create(self, validated_data):
        data, m2m = self._split(validated_data)
        return self._run(self.Meta.model(**data), m2m)

    def update(self, instance, validated_data):
        data, m2m = self._split(validated_data)
        if "gemeente" in data and data["gemeente"].pk != instance.gemeente_id:
            raise exceptions.ValidationError({"gemeente": "De gemeente kan niet veranderen."})
        for key, value in data.items():
            setattr(instance, key, value)
        return self._run(instance, m2m)

    def _run(self, instance, m2m):
        return call_service(lambda: self.save_instance(instance, m2m))


class TenantModelViewSet(viewsets.ModelViewSet):
    """Lists and details only rows of the user's gemeenten; ?gemeente=GM0014 narrows it."""

    model = None
    select_related: tuple = ("gemeente",)

    def get_queryset(self):
        qs = self.model._default_manager.filter(
            gemeente_id__in=policy.gemeente_ids(self.request.user)
        ).select_related(*self.select_related)
        code = self.request.query_params.get("gemeente")
        if code:
            qs = qs.filter(gemeente__cbs_code=code.upper())
        return qs.order_by("pk")

    def perform_destroy(self, instance):
        try:
            services.delete_object(self.request.user, instance)
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"detail": exc.messages}) from None


class TenantReadOnlyViewSet(TenantModelViewSet):
    http_method_names = ["get", "head", "options"]


class GemeenteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Gemeente
        fields = ["id", "cbs_code", "naam", "slug", "programmanaam"]


class GemeenteViewSet(viewsets.ReadOnlyModelViewSet):
    """The gemeenten the user is a member of."""

    serializer_class = GemeenteSerializer

    def get_queryset(self):
        return Gemeente.objects.filter(pk__in=policy.gemeente_ids(self.request.user)).order_by("pk")


# The user's own messages (the inbox) -------------------------------------------------------------

class BerichtSerializer(serializers.ModelSerializer):
    gemeente = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)
    soort = serializers.SerializerMethodField(help_text="De soort bericht, in woorden.")
    link = serializers.SerializerMethodField(
        help_text="Waar het bericht over gaat, in de site (leeg als er niets bij hoort).")
    gelezen = serializers.SerializerMethodField()

    class Meta:
        model = Bericht
        fields = ["id", "gemeente", "kind", "soort", "subject", "body", "link", "created",
                  "status", "read_at", "gelezen"]
        read_only_fields = fields

    def get_soort(self, obj) -> str:
        return str(notifications.kind_label(obj.kind))

    def get_link(self, obj) -> str:
        return notifications.absolute(obj.url)

    def get_gelezen(self, obj) -> bool:
        return obj.read_at is not None


class OwnBerichtPermission(permissions.BasePermission):
    """Logged in, and only one's own messages: the queryset holds nothing else (another
    user's message answers 404, also for a beleidsmedewerker: the gemeente's outbox is a page
    of its own)."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj):
        return obj.user_id == request.user.pk


GEMEENTE_PARAM = OpenApiParameter(
    "gemeente", OpenApiTypes.STR, description="Alleen berichten in deze gemeente (CBS-code, "
    "bijvoorbeeld GM0014).")
ONGELEZEN_PARAM = OpenApiParameter(
    "ongelezen", OpenApiTypes.BOOL, description="true: alleen de ongelezen berichten.")
AANTAL = inline_serializer("AantalOngelezen", {"ongelezen": serializers.IntegerField()})
GEMARKEERD = inline_serializer("AantalGemarkeerd", {"gemarkeerd": serializers.IntegerField()})


@extend_schema_view(list=extend_schema(parameters=[GEMEENTE_PARAM, ONGELEZEN_PARAM]))
class BerichtViewSet(viewsets.ReadOnlyModelViewSet):
    """The user's own messages (the inbox of the site), newest first, in the gemeenten they are
    a member of; the unread count; marking one or all as read."""

    serializer_class = BerichtSerializer
    permission_classes = [OwnBerichtPermission]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the types
            return Bericht.objects.none()
        qs = selectors.inbox(self.request.user).select_related("gemeente")
        code = self.request.query_params.get("gemeente")
        if code:
            qs = qs.filter(gemeente__cbs_code=code.upper())
        if self.request.query_params.get("ongelezen", "").lower() in {"true", "1"}:
            qs = qs.filter(read_at__isnull=True)
        return qs.order_by("-created", "-pk")

    @extend_schema(parameters=[GEMEENTE_PARAM], responses={200: AANTAL})
    @action(detail=False, methods=["get"])
    def ongelezen(self, request):
        """How many of the user's messages are unread."""
        return Response({"ongelezen": self.get_queryset().filter(read_at__isnull=True).count()})

    @extend_schema(request=None, responses={200: BerichtSerializer})
    @action(detail=True, methods=["post"])
    def gelezen(self, request, pk=None):
        """Mark this message as read (again: nothing changes)."""
        bericht = self.get_object()
        services.markeer_gelezen(request.user, bericht.gemeente, [bericht.pk])
        bericht.refresh_from_db()
        return Response(self.get_serializer(bericht).data)

    @extend_schema(request=None, parameters=[GEMEENTE_PARAM], responses={200: GEMARKEERD})
    @action(detail=False, methods=["post"], url_path="alles-gelezen")
    def alles_gelezen(self, request):
        """Mark every unread message as read (in ?gemeente= only, if given)."""
        code = request.query_params.get("gemeente", "").upper()
        gemeente = None
        if code:
            gemeente = next((g for g in policy.gemeenten(request.user) if g.cbs_code == code),
                            None)
            if gemeente is None:  # not one of theirs: there is nothing of theirs to mark
                return Response({"gemarkeerd": 0})
        return Response({"gemarkeerd": services.markeer_gelezen(request.user, gemeente)})


# Errors ---------------------------------------------------------------------------------------

def exception_handler(exc, context):
    """DRF's handler, in Dutch and without 500s for a client's mistake:

    - a 404 says "Niet gevonden." (Django's get_object_or_404 text is English and names the
      model);
    - a filter value the model cannot hold (`?periode=abc`: a Django ValidationError while the
      queryset is built; a number beyond the database's integers: OverflowError on SQLite)
      is a 400 that says which value was wrong.
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Niet gevonden."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ParseError(
            _("Ongeldige waarde: %(fout)s") % {"fout": " ".join(exc.messages)})
    elif isinstance(exc, OverflowError):
        exc = exceptions.ParseError(_(
            "Een getal in de vraag is groter dan het grootste getal dat de API kent."))
    return drf_exception_handler(exc, context)


ERROR_BODY = {"type": "object", "properties": {"detail": {"type": "string"}},
              "required": ["detail"]}
VALIDATION_BODY = {"type": "object", "additionalProperties": {},
                   "description": "Per veld een lijst van meldingen, of `detail`."}


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the errors the API can
    give it (400 invalid input or filter, 401 not logged in, 403 not allowed, 404 not found or
    another gemeente's row; the token endpoint 400 and 429), each with its body, as references
    to shared responses."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {}).update(Fout=ERROR_BODY, Validatiefout=VALIDATION_BODY)

    def body(schema):
        return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}

    shared = {
        "400": ("OngeldigeInvoer", _("Ongeldige invoer of zoekvraag."), "Validatiefout"),
        "401": ("NietIngelogd", _("Niet ingelogd."), "Fout"),
        "403": ("GeenToestemming", _("Geen toestemming."), "Fout"),
        "404": ("NietGevonden", _("Niet gevonden (of van een andere gemeente)."), "Fout"),
        "429": ("TeVeelPogingen", _("Te veel pogingen; probeer het later opnieuw."), "Fout"),
    }
    components.setdefault("responses", {}).update({
        name: {"description": str(description), "content": body(schema)}
        for name, description, schema in shared.values()})
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            statuses = ("400", "429") if path.endswith("/token/") else \
                ("400", "401", "403", "404")
            responses = operation.setdefault("responses", {})
            for status in statuses:
                ref = f"#/components/responses/{shared[status][0]}"
                responses.setdefault(status, {"$ref": ref})
    return result
