"""Signature checks (``Config.verify_signatures``): recompute a request's AWS signature
from the request as received and refuse it, as AWS does, when it does not match.

SigV4 in the ``Authorization`` header and in a presigned query string, and SigV2 Query
requests (``SignatureVersion=2``, which boto 2 and older SDKs send), following AWS's
documented algorithms. The secret is the configured one (``Config.secret_keys``) or
that of credentials the mock's STS issued, whose session token must come along. The
request's date must be near the mock's clock, so moving the clock ages signatures.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from cloudmock.core.errors import ServiceError
from cloudmock.core.http import Request, parse_pairs

if TYPE_CHECKING:
    from cloudmock.core.state import State

#: how far a signed date may be from the clock; EC2's API reference says 15 minutes
SKEW = timedelta(minutes=5)
EC2_SKEW = timedelta(minutes=15)
_MAX_PRESIGN = 7 * 24 * 3600  # X-Amz-Expires is at most a week
_AMZ_DATE = "%Y%m%dT%H%M%SZ"
_SIGV4 = "AWS4-HMAC-SHA256"
_UNSIGNED = "UNSIGNED-PAYLOAD"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")

_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service "
    "documentation for details."
)
_EC2_AUTH = "AWS was not able to validate the provided access credentials"
_INVALID_TOKEN = "The security token included in the request is invalid."
_EXPIRED_TOKEN = "The security token included in the request is expired"


@dataclass(frozen=True)
class _Answers:
    """What one protocol family answers each failure with: (code, status, message)."""

    mismatch: tuple[str, int, str]
    stale: tuple[str, int, str | None]  # None: the "Signature expired: ..." text
    unknown_key: tuple[str, int, str]
    expired_token: tuple[str, int, str]
    missing: tuple[str, int, str]
    incomplete: tuple[str, int, str | None]  # None: why it is incomplete


_EC2 = _Answers(
    mismatch=("AuthFailure", 401, _EC2_AUTH),
    stale=("RequestExpired", 400, "Request has expired."),
    unknown_key=("AuthFailure", 401, _EC2_AUTH),
    expired_token=("RequestExpired", 400, "Request has expired."),
    missing=("AuthFailure", 401, _EC2_AUTH),
    incomplete=("AuthFailure", 401, _EC2_AUTH),
)
_QUERY = _Answers(
    mismatch=("SignatureDoesNotMatch", 403, _MISMATCH),
    stale=("SignatureDoesNotMatch", 403, None),
    unknown_key=("InvalidClientTokenId", 403, _INVALID_TOKEN),
    expired_token=("ExpiredToken", 403, _EXPIRED_TOKEN),
    missing=("MissingAuthenticationToken", 403, "Request is missing Authentication Token"),
    incomplete=("IncompleteSignature", 400, None),
)
_JSON = _Answers(
    mismatch=("InvalidSignatureException", 400, _MISMATCH),
    stale=("InvalidSignatureException", 400, None),
    unknown_key=("UnrecognizedClientException", 400, _INVALID_TOKEN),
    expired_token=("ExpiredTokenException", 400, _EXPIRED_TOKEN),
    missing=("MissingAuthenticationTokenException", 400, "Missing Authentication Token"),
    incomplete=("IncompleteSignatureException", 400, None),
)


class _Refused(Exception):
    """Which failure, with the text for answers that say more than their fixed message."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind)
        self.kind = kind
        self.detail = detail


def verify_request(request: Request, protocol: str, state: State) -> None:
    """Raise the :class:`ServiceError` AWS would answer unless ``request`` is signed
    with a key ``state`` knows; ``protocol`` is the service model's."""
    answers = _EC2 if protocol == "ec2" else _QUERY if protocol in ("query", "rest-xml") else _JSON
    skew = EC2_SKEW if protocol == "ec2" else SKEW
    try:
        try:
            _verify(request, state, skew)
        except (ValueError, TypeError, OverflowError) as garbled:  # parts that do not parse
            raise _Refused("incomplete", f"The signature could not be read: {garbled}") from None
    except _Refused as refused:
        code, status, message = getattr(answers, refused.kind)
        raise ServiceError(message or refused.detail, code=code, status=status) from None


def _verify(request: Request, state: State, skew: timedelta) -> None:
    auth = request.headers.get("authorization")
    if auth:
        if not auth.startswith(_SIGV4 + " "):
            # the scheme is the first word; a value of only (non-ASCII) white space has none
            scheme = auth.split(maxsplit=1)[0] if auth.split() else repr(auth)
            raise _Refused("incomplete", f"Unsupported authorization type: {scheme}")
        _verify_sigv4_header(request, auth, state, skew)
        return
    query = request.query_params
    if any(name == "X-Amz-Signature" for name, _ in query):
        _verify_sigv4_query(request, query, state, skew)
        return
    pairs = _sigv2_pairs(request)
    if any(name == "Signature" for name, _ in pairs):
        _verify_sigv2(request, pairs, state, skew)
        return
    raise _Refused("missing")


# -- SigV4


def _verify_sigv4_header(request: Request, auth: str, state: State, skew: timedelta) -> None:
    fields: dict[str, str] = {}
    for part in auth[len(_SIGV4) :].split(","):
        name, sep, value = part.strip().partition("=")
        if sep:
            fields[name] = value
    wanted = ("Credential", "SignedHeaders", "Signature")
    absent = [name for name in wanted if not fields.get(name)]
    if absent:
        raise _Refused(
            "incomplete",
            f"Authorization header requires {', '.join(absent)} parameter(s). "
            f"Authorization={_SIGV4}",
        )
    amz_date = request.headers.get("x-amz-date") or _from_http_date(request.headers.get("date"))
    if not amz_date:
        raise _Refused(
            "incomplete",
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        )
    key, scope = _credential(fields["Credential"], amz_date)
    secret = _secret(state, key, request.headers.get("x-amz-security-token"))
    signed_at = _amz_time(amz_date)
    _check_window(signed_at, signed_at, state, skew)
    payload = _payload_hash(request)
    expected = _sigv4(request, secret, scope, amz_date, fields["SignedHeaders"], [], payload)
    if not _same(expected, fields["Signature"]):
        raise _Refused("mismatch")


def _verify_sigv4_query(
    request: Request, query: list[tuple[str, str]], state: State, skew: timedelta
) -> None:
    params = dict(query)
    if params.get("X-Amz-Algorithm") != _SIGV4:
        raise _Refused("incomplete", 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"')
    wanted = ("X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature")
    absent = [name for name in wanted if not params.get(name)]
    if absent:
        raise _Refused("incomplete", f"AWS query-string parameters missing: {', '.join(absent)}")
    amz_date = params["X-Amz-Date"]
    key, scope = _credential(params["X-Amz-Credential"], amz_date)
    secret = _secret(state, key, params.get("X-Amz-Security-Token"))
    signed_at = _amz_time(amz_date)
    expires = params.get("X-Amz-Expires", str(_MAX_PRESIGN))
    if not expires.isdigit() or not 0 < int(expires) <= _MAX_PRESIGN:
        raise _Refused("incomplete", f"X-Amz-Expires must be 1 to {_MAX_PRESIGN}, not {expires}")
    _check_window(signed_at, signed_at + timedelta(seconds=int(expires)), state, skew)
    signature = params["X-Amz-Signature"].strip()
    # A presigned URL's payload is whatever the client chose to sign: its body's hash
    # or (botocore's choice for S3-style signing) the constant UNSIGNED-PAYLOAD.
    for payload in (hashlib.sha256(request.body).hexdigest(), _UNSIGNED):
        expected = _sigv4(
            request,
            secret,
            scope,
            amz_date,
            params["X-Amz-SignedHeaders"],
            ["X-Amz-Signature"],
            payload,
        )
        if _same(expected, signature):
            return
    raise _Refused("mismatch")


def _same(expected: str, given: str) -> bool:
    """A constant-time comparison that takes any text a client sends (compare_digest
    refuses non-ASCII str)."""
    return hmac.compare_digest(expected.encode("ascii"), given.strip().encode("utf-8", "replace"))


def _credential(credential: str, amz_date: str) -> tuple[str, str]:
    """``KEY/20261128/eu-west-1/ec2/aws4_request`` -> (key, the scope after the key)."""
    key, _, scope = credential.strip().partition("/")
    parts = scope.split("/")
    if not key or len(parts) != 4 or parts[3] != "aws4_request":
        raise _Refused("incomplete", f"Credential should be scoped correctly: {credential!r}")
    if parts[0] != amz_date[:8]:  # the scope's day must be the signing day
        raise _Refused("mismatch")
    return key, scope


def _payload_hash(request: Request) -> str:
    actual = hashlib.sha256(request.body).hexdigest()
    claimed = request.headers.get("x-amz-content-sha256", "").strip().lower()
    if claimed == _UNSIGNED.lower():
        return _UNSIGNED
    if claimed and _HEX64.match(claimed) and claimed != actual:
        raise _Refused("mismatch")  # the body changed after it was signed
    return actual


def _sigv4(
    request: Request,
    secret: str,
    scope: str,
    amz_date: str,
    signed_headers: str,
    unsigned_params: list[str],
    payload: str,
) -> str:
    parts = request.split_url
    canonical = "\n".join(
        (
            request.method,
            _canonical_path(parts.path),
            _canonical_query(parts.query, unsigned_params),
            "".join(f"{name}:{_header(request, name)}\n" for name in signed_headers.split(";")),
            signed_headers,
            payload,
        )
    )
    to_sign = "\n".join(
        (_SIGV4, amz_date, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest())
    )
    date, region, service, terminal = scope.split("/")
    key = ("AWS4" + secret).encode("utf-8")
    for step in (date, region, service, terminal):
        key = hmac.new(key, step.encode("utf-8"), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def _canonical_path(path: str) -> str:
    """The path as received, dot segments and repeated slashes removed, URI-encoded again
    (AWS's services other than S3 sign the encoded path encoded once more)."""
    segments: list[str] = []
    for segment in (path or "/").split("/"):
        if segment == "..":
            if segments:
                segments.pop()
        elif segment not in ("", "."):
            segments.append(segment)
    normal = "/" + "/".join(segments)
    if path.endswith("/") and segments:
        normal += "/"
    return quote(normal, safe="/~")


def _canonical_query(query: str, unsigned: list[str]) -> str:
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        name, value = unquote(name), unquote(value)
        if name not in unsigned:
            pairs.append((_encode(name), _encode(value)))
    return "&".join(f"{name}={value}" for name, value in sorted(pairs))


def _encode(text: str) -> str:
    return quote(text, safe="-_.~")


def _header(request: Request, name: str) -> str:
    value = request.headers.get(name)
    if value is None:
        # What a transport may drop although the client sent and signed it.
        if name == "host":
            parts = urlsplit(request.url)
            default = {"http": ":80", "https": ":443"}.get(parts.scheme, "")
            value = parts.netloc.removesuffix(default) if default else parts.netloc
        elif name == "content-length":
            value = str(len(request.body))
        else:
            value = ""
    return " ".join(value.split())


# -- SigV2


def _sigv2_pairs(request: Request) -> list[tuple[str, str]]:
    pairs = list(request.query_params)
    ctype = request.headers.get("content-type", "")
    if request.body and (not ctype or "x-www-form-urlencoded" in ctype):
        pairs += parse_pairs(request.body.decode("utf-8", errors="replace"))
    return pairs


def _verify_sigv2(
    request: Request, pairs: list[tuple[str, str]], state: State, skew: timedelta
) -> None:
    params = dict(pairs)
    if params.get("SignatureVersion") != "2":
        raise _Refused(
            "incomplete", f"SignatureVersion {params.get('SignatureVersion')!r} is not supported"
        )
    digests = {"HmacSHA256": hashlib.sha256, "HmacSHA1": hashlib.sha1}
    digest = digests.get(params.get("SignatureMethod", ""))
    if digest is None:
        raise _Refused(
            "incomplete", f"SignatureMethod {params.get('SignatureMethod')!r} is not supported"
        )
    key = params.get("AWSAccessKeyId")
    if not key:
        raise _Refused("incomplete", "The request must contain the parameter AWSAccessKeyId")
    secret = _secret(state, key, params.get("SecurityToken"))
    if "Timestamp" in params:
        signed_at = _iso_time(params["Timestamp"])
        _check_window(signed_at, signed_at, state, skew)
    elif "Expires" in params:
        expires = _iso_time(params["Expires"])
        _check_window(expires, expires, state, timedelta(0), until_only=True)
    else:
        raise _Refused("incomplete", "The request must contain the parameter Timestamp or Expires")
    canonical = "&".join(
        f"{_encode(name)}={_encode(value)}" for name, value in sorted(pairs) if name != "Signature"
    )
    path = request.split_url.path or "/"
    to_sign = f"{request.method}\n{request.host.lower()}\n{path}\n{canonical}"
    expected = base64.b64encode(
        hmac.new(secret.encode("utf-8"), to_sign.encode("utf-8"), digest).digest()
    ).decode("ascii")
    if not _same(expected, params["Signature"]):
        raise _Refused("mismatch")


# -- keys and time


def _secret(state: State, key: str, token: str | None) -> str:
    issued = state.credentials.find(key)
    if issued is not None:
        if issued.session_token is not None and token != issued.session_token:
            raise _Refused("unknown_key")
        if issued.expires is not None and state.clock.now() >= issued.expires:
            raise _Refused("expired_token")
        return issued.secret_access_key
    secret = state.config.secret_keys.get(key)
    if secret is None or token:  # a long-term key signs without a session token
        raise _Refused("unknown_key")
    return secret


def _check_window(
    earliest: datetime,
    latest: datetime,
    state: State,
    skew: timedelta,
    until_only: bool = False,
) -> None:
    """The clock must be within ``skew`` of [earliest, latest] (``until_only``: before latest)."""
    now = state.clock.now()
    minutes = int(skew.total_seconds() // 60)
    if now - skew > latest:
        raise _Refused(
            "stale",
            f"Signature expired: {_stamp(latest)} is now earlier than {_stamp(now - skew)} "
            f"({_stamp(now)} - {minutes} min.)",
        )
    if not until_only and now + skew < earliest:
        raise _Refused(
            "stale",
            f"Signature not yet current: {_stamp(earliest)} is still later than "
            f"{_stamp(now + skew)} ({_stamp(now)} + {minutes} min.)",
        )


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime(_AMZ_DATE)


def _amz_time(text: str) -> datetime:
    try:
        return datetime.strptime(text.strip(), _AMZ_DATE).replace(tzinfo=timezone.utc)
    except ValueError:
        raise _Refused(
            "incomplete", f"Date must be in ISO-8601 'basic format', not {text!r}"
        ) from None


def _iso_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise _Refused("incomplete", f"Invalid timestamp {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _from_http_date(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return _stamp(parsedate_to_datetime(text))
    except (TypeError, ValueError):
        return None
