"""Error pages: problem+json under /api/, HTML pages elsewhere."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .api.problems import problem_response
from .errors import CoreErrorCode


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, status_code=404, code=CoreErrorCode.NOT_FOUND, detail=_("Not found."))
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return problem_response(
            request, status_code=500, code=CoreErrorCode.SERVER_ERROR, detail="The server failed to handle the request."
        )
    return render(request, "500.html", status=500)
