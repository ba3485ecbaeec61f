"""OpenAPI building blocks shared by every endpoint: the problem document and its responses."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from .problems import PROBLEM_CONTENT_TYPE


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The field or query parameter, dotted for nested fields.")
    code = serializers.CharField()
    reason = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    invalidParams = InvalidParamSerializer(many=True, required=False)  # noqa: N815 - published field name


_DESCRIPTIONS = {
    400: "Invalid input; `invalidParams` names each field or parameter at fault.",
    401: "No valid credentials were given.",
    403: "The credentials do not allow this.",
    404: "No such object, or not visible to the caller.",
    405: "The method is not allowed on this resource.",
    406: "The requested representation is not available.",
    409: "The request conflicts with the current state.",
    415: "The request body is not JSON.",
}


def problem_responses(*statuses: int) -> dict[tuple[int, str], OpenApiResponse]:
    """Documented error responses of an operation, as problem+json; 406 is possible everywhere."""
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(response=ProblemSerializer, description=_DESCRIPTIONS[code])
        for code in sorted({*statuses, 406})
    }
