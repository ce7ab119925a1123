"""The partner API's limits, answered in JSON: requests a minute per API key (429) and the size of
a request's body (413). The numbers are settings (GRIP_RATE_LIMITS["partner_api"],
GRIP_API_MAX_BODY_BYTES; docs/operations.md)."""

from __future__ import annotations

import io

from django.conf import settings
from rest_framework.exceptions import APIException
from rest_framework.parsers import JSONParser
from rest_framework.throttling import BaseThrottle

from grip.core.ratelimits import seconds_until_allowed


class BodyTooLarge(APIException):
    status_code = 413
    default_code = "body_too_large"

    def __init__(self, limit: int):
        super().__init__(f"The request's body is larger than {limit} bytes: send fewer children or shorter text.")


class SizeLimitedJSONParser(JSONParser):
    """JSON, refused with 413 once the body passes GRIP_API_MAX_BODY_BYTES (whatever Content-Length says)."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.GRIP_API_MAX_BODY_BYTES
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise BodyTooLarge(limit)
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise BodyTooLarge(limit)
        return super().parse(io.BytesIO(body), media_type, parser_context)


class PerKeyRateLimit(BaseThrottle):
    """GRIP_RATE_LIMITS["partner_api"] requests per API key; DRF answers 429 with Retry-After."""

    wait_seconds: int | None = None

    def allow_request(self, request, view) -> bool:
        if request.auth is None:  # no key: refused as unauthenticated before this counts
            return True
        self.wait_seconds = seconds_until_allowed(request, name="partner_api", key=f"key:{request.auth.pk}")
        return self.wait_seconds is None

    def wait(self):
        return self.wait_seconds
