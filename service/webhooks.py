"""Webhook sending, shared by the API (the address check at creation) and the delivery job.

No web framework and no database here. Three parts:

- **Signing**, the Standard Webhooks scheme: ``webhook-signature`` is ``v1,`` + base64 of
  HMAC-SHA256 over ``{msg_id}.{timestamp}.{body}``, keyed with the base64-decoded part of the
  ``whsec_`` secret; ``webhook-timestamp`` is the attempt's unix time in seconds.
- **The target check** (``check_target``): http(s) only, no credentials in the URL, and no
  host that is or resolves to a private, loopback, link-local, multicast, reserved,
  unspecified or otherwise non-global address, unless the operator allows private targets.
  It runs when a webhook is created and again at every attempt, since DNS can change.
- **One attempt** (``deliver``): checks the target, then POSTs the exact signed bytes to the
  address it checked (the connection is pinned to it, so a DNS answer that changes between
  the check and the connect cannot point the request elsewhere). Redirects are not followed,
  proxies from the environment are not used, and the answer's body is never read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from schemas.fields import rfc3339
from service.store.clock import utcnow
from service.store.errors import WebhookTargetRefused

SECRET_PREFIX = "whsec_"
USER_AGENT = "claimdesk-webhooks/1"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class DeliveryFailed(Exception):
    """An attempt that got no 2xx answer; raised by the job so RQ retries it."""


def new_secret() -> str:
    """A signing secret: ``whsec_`` and the base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def _secret_key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, msg_id: str, timestamp: int, body: bytes | str) -> str:
    """The ``webhook-signature`` value of one message: ``v1,<base64 HMAC-SHA256>``."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    signed = f"{msg_id}.{timestamp}.".encode() + raw
    digest = hmac.new(_secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signed_headers(secret: str, msg_id: str, body: bytes, *, timestamp: int) -> dict[str, str]:
    """The headers of one attempt."""
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id, timestamp, body),
    }


def encode_body(payload: dict[str, Any]) -> bytes:
    """The bytes sent and signed: compact JSON, the same on every attempt."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def blocked_reason(address: IPAddress) -> str | None:
    """Why an address is not a public one (None: it is), looking inside IPv4-mapped and 6to4
    IPv6 addresses."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is not None:
            return blocked_reason(inner)
    for flag in ("unspecified", "loopback", "link_local", "multicast", "reserved",
                 "private"):
        if getattr(address, f"is_{flag}"):
            return flag.replace("_", "-")
    if not address.is_global:
        return "non-global"
    return None


def check_target(url: str, allow_private: bool) -> list[IPAddress]:
    """The addresses ``url``'s host resolves to, once the URL is found acceptable.

    :raise WebhookTargetRefused: not http(s), a user name or password in it, no host, or (unless
        ``allow_private``) a host that is or resolves to an address that is not public.
    :returns: the resolved addresses; empty when the name does not resolve now (a delivery
        reports that as a network error and is retried).
    """
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise WebhookTargetRefused(f"the webhook URL is not valid: {exc}") from None
    if parsed.scheme not in ("http", "https"):
        raise WebhookTargetRefused("a webhook URL must be http or https")
    if parsed.userinfo:
        raise WebhookTargetRefused("a webhook URL may not carry a user name or password")
    host = parsed.raw_host.decode("ascii").lower()
    if not host:
        raise WebhookTargetRefused("a webhook URL needs a host")
    named_local = host == "localhost" or host.endswith(".localhost")
    if named_local and not allow_private:
        raise WebhookTargetRefused(f"the webhook host {host} is a loopback name",
                                   reason="loopback")
    addresses = _resolve(host, parsed.port or (443 if parsed.scheme == "https" else 80))
    if allow_private:
        return addresses
    for address in addresses:
        reason = blocked_reason(address)
        if reason is not None:
            what = "is" if address == _literal(host) else f"resolves to {address}, which is"
            raise WebhookTargetRefused(
                f"the webhook host {host} {what} not a public address ({reason}); webhooks "
                "are only sent to public addresses", reason=reason)
    return addresses


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    found: dict[str, IPAddress] = {}
    for _family, _type, _proto, _name, sockaddr in infos:
        text = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 zone id
        found.setdefault(text, ipaddress.ip_address(text))
    return list(found.values())


@dataclass(frozen=True)
class AttemptResult:
    """What one attempt got: a status code or an error; ``refused`` when the address check
    refused the target (not worth retrying)."""

    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int
    refused: bool = False

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    def as_record(self) -> dict[str, Any]:
        """The attempt as the delivery log stores it."""
        return {"at": rfc3339(self.at), "status_code": self.status_code,
                "error": self.error, "duration_ms": self.duration_ms}


def deliver(url: str, *, secret: str, msg_id: str, body: bytes, timeout: float,
            allow_private: bool) -> AttemptResult:
    """One attempt: check the target again, then POST ``body`` signed, to the address checked."""
    at, started = utcnow(), time.monotonic()

    def result(status: int | None, error: str | None, refused: bool = False) -> AttemptResult:
        duration = int((time.monotonic() - started) * 1000)
        return AttemptResult(at, status, error, duration, refused)

    try:
        addresses = check_target(url, allow_private)
    except WebhookTargetRefused as exc:
        return result(None, f"refused: {exc.detail}", refused=True)
    if not addresses:
        return result(None, "the webhook host does not resolve")
    headers = signed_headers(secret, msg_id, body, timestamp=int(time.time()))
    target = httpx.URL(url)
    host = target.raw_host.decode("ascii")
    extensions: dict[str, Any] = {}
    if str(addresses[0]) != host:  # pin the connection to the checked address
        headers["host"] = target.netloc.decode("ascii")
        if target.scheme == "https":
            extensions["sni_hostname"] = host
        target = target.copy_with(host=str(addresses[0]))
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            request = client.build_request("POST", target, content=body, headers=headers,
                                           extensions=extensions)
            response = client.send(request, stream=True)
            response.close()  # the answer's body is never read
    except httpx.HTTPError as exc:
        return result(None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
    if 200 <= response.status_code < 300:
        return result(response.status_code, None)
    return result(response.status_code, f"the endpoint answered {response.status_code}")
