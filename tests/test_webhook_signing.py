"""Standard Webhooks signing and the target address check, with no database or Redis."""

from __future__ import annotations

import base64
import ipaddress
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook as StandardWebhook

from service.store.errors import WebhookTargetRefused
from service.webhooks import blocked_reason, check_target, new_secret, sign, signed_headers


def test_sign_matches_the_standard_webhooks_example() -> None:
    # the example of the Standard Webhooks specification
    signature = sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                     1614265330, '{"test": 2432232314}')
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signed_headers_verify_with_the_standardwebhooks_package() -> None:
    secret, body = new_secret(), '{"type":"claim.verified","data":{"é":1}}'.encode()
    now = int(datetime.now(UTC).timestamp())
    headers = signed_headers(secret, "msg_1", body, timestamp=now)
    assert StandardWebhook(secret).verify(body, headers) == {"type": "claim.verified",
                                                             "data": {"é": 1}}


def test_a_secret_is_whsec_and_32_random_bytes() -> None:
    secrets = {new_secret() for _ in range(20)}
    assert len(secrets) == 20
    assert all(len(base64.b64decode(s.removeprefix("whsec_"))) == 32 for s in secrets)


@pytest.mark.parametrize(("address", "reason"), [
    ("8.8.8.8", None),
    ("2606:4700:4700::1111", None),
    ("127.0.0.1", "loopback"),
    ("::1", "loopback"),
    ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
    ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
    ("10.0.0.1", "private"),
    ("::ffff:192.168.1.1", "private"),
    ("169.254.169.254", "link-local"),  # cloud metadata
    ("fe80::1", "link-local"),
    ("224.0.0.1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("100.64.0.1", "non-global"),  # shared address space
])
def test_blocked_reason(address: str, reason: str | None) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) == reason


def test_private_targets_pass_only_when_allowed() -> None:
    with pytest.raises(WebhookTargetRefused):
        check_target("http://127.0.0.1:8000/hook", False)
    assert check_target("http://127.0.0.1:8000/hook", True) == [ipaddress.ip_address("127.0.0.1")]
    with pytest.raises(WebhookTargetRefused):
        check_target("gopher://127.0.0.1/", True)  # allowing private targets allows no scheme
