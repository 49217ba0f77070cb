"""The API base every app's `api.py` builds on: tenant-scoped fields, serializers, viewsets,
the policy permission and the gemeenten endpoint. `api/` only assembles the router and schema."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers, viewsets

from core import policy, services
from core.models import Gemeente


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
