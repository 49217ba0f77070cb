from rest_framework import serializers, viewsets

from core import policy
from core.models import Gemeente


class GemeenteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Gemeente
        fields = ["id", "cbs_code", "naam", "slug", "programmanaam"]


class GemeenteViewSet(viewsets.ReadOnlyModelViewSet):
    """The gemeenten the user is a member of."""

    serializer_class = GemeenteSerializer

    def get_queryset(self):
        return Gemeente.objects.filter(pk__in=policy.gemeente_ids(self.request.user)).order_by("pk")
