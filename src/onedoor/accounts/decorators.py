"""What every e-account page requires: a signed-in person acting as a client (ACC-1, SEC-2)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from onedoor.identity.selectors import actor_for_request

View = Callable[..., HttpResponseBase]


def client_required(view: View) -> View:
    """Sign-in required; in an institution context the page says to switch context (403)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not actor_for_request(request).is_client:
            return render(request, "accounts/not_a_client.html", {"active_nav": "account"}, status=403)
        return view(request, *args, **kwargs)

    return login_required(wrapped)
