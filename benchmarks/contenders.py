"""The four things measured side by side.

* ``mocksm`` and ``moto``: full mocks, holding state; every figure applies.
* ``stubber``: ``botocore.stub.Stubber`` with canned responses queued up front. It pays
  only botocore's client-side work (parameter validation, serialization, endpoint
  resolution, events): the floor no in-process mock can go under.
* ``before-send``: a canned raw response returned from the ``before-send`` event, so
  botocore also signs the request and parses the body. That is what a mock answering
  through botocore's documented hook pays at least.

The two floors have no state, so only the per-call, per-test and import figures apply.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3

REGION = "us-east-1"
ACCOUNT = "123456789012"
SERVICE = "secretsmanager"
EVENT_ID = "secrets-manager"  # botocore's hyphenized service id, used in event names


def new_client() -> Any:
    return boto3.client(SERVICE, region_name=REGION)


class Contender:
    name = ""
    stateful = True
    note = ""

    def available(self) -> bool:
        return True

    def implements(self, operation: str) -> bool:
        return True

    @contextmanager
    def active(self) -> Iterator[Any]:
        """Activate, yield a client made inside the activation, deactivate."""
        raise NotImplementedError
        yield  # pragma: no cover

    # Floors only: a client that answers ``operation`` ``count`` times with ``canned``.
    @contextmanager
    def canned(self, operation: str, canned: dict[str, Any], count: int) -> Iterator[Any]:
        raise NotImplementedError
        yield  # pragma: no cover

    # The one-call-per-test scenario (enter, create client, one CreateSecret, exit).
    def one_test(self, canned: dict[str, Any]) -> None:
        with self.active() as client:
            client.create_secret(Name="per-test", SecretString="value")

    import_statement = ""


class Mocksm(Contender):
    name = "mocksm"
    import_statement = "import mocksm"

    def implements(self, operation: str) -> bool:
        from mocksm.secretsmanager.operations import table

        return operation in table()

    @contextmanager
    def active(self) -> Iterator[Any]:
        from mocksm import mock_secretsmanager

        with mock_secretsmanager():
            yield new_client()


class Moto(Contender):
    name = "moto"
    import_statement = "from moto import mock_aws"

    def available(self) -> bool:
        try:
            import moto  # noqa: F401
        except ImportError:
            self.note = "moto not installed (pip install -e '.[bench]'): skipped"
            return False
        import moto as _moto

        self.note = f"moto {_moto.__version__}"
        return True

    @contextmanager
    def active(self) -> Iterator[Any]:
        from moto import mock_aws

        with mock_aws():
            yield new_client()


class StubberFloor(Contender):
    name = "stubber"
    stateful = False
    import_statement = "import botocore.stub"

    @contextmanager
    def canned(self, operation: str, canned: dict[str, Any], count: int) -> Iterator[Any]:
        from botocore.stub import Stubber

        client = new_client()
        method = _method_name(client, operation)
        with Stubber(client) as stubber:
            for _ in range(count):
                stubber.add_response(method, canned)
            yield client

    def one_test(self, canned: dict[str, Any]) -> None:
        from botocore.stub import Stubber

        client = new_client()
        with Stubber(client) as stubber:
            stubber.add_response("create_secret", canned)
            client.create_secret(Name="per-test", SecretString="value")


class BeforeSendFloor(Contender):
    name = "before-send"
    stateful = False
    import_statement = ""

    @contextmanager
    def canned(self, operation: str, canned: dict[str, Any], count: int) -> Iterator[Any]:
        client = new_client()
        client.meta.events.register(f"before-send.{EVENT_ID}.{operation}", _responder(canned))
        yield client

    def one_test(self, canned: dict[str, Any]) -> None:
        client = new_client()
        client.meta.events.register(
            f"before-send.{EVENT_ID}.CreateSecret", _responder(canned)
        )
        client.create_secret(Name="per-test", SecretString="value")


def _method_name(client: Any, operation: str) -> str:
    for method, api in client.meta.method_to_api_mapping.items():
        if api == operation:
            return str(method)
    raise KeyError(operation)


class _Raw:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


def _wire_default(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return value.timestamp()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(type(value).__name__)


def _responder(canned: dict[str, Any]) -> Callable[..., Any]:
    from botocore.awsrequest import AWSResponse

    body = json.dumps(canned, default=_wire_default).encode()
    headers = {
        "x-amzn-RequestId": "00000000-0000-0000-0000-000000000000",
        "Content-Type": "application/x-amz-json-1.1",
        "Content-Length": str(len(body)),
    }

    def respond(request: Any, **_: Any) -> Any:
        return AWSResponse(request.url, 200, headers, _Raw(body))

    return respond


ALL: list[Contender] = [Mocksm(), Moto(), StubberFloor(), BeforeSendFloor()]
