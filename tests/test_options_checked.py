"""Options a client would only trip over later are refused when the mock is made."""

from __future__ import annotations

from typing import Any

import pytest

from mocksm import MocksmError, mock_secretsmanager


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"region": ""}, "region must be a Region code such as 'us-east-1', not ''"),
        ({"region": "US East"}, "region must be a Region code such as 'us-east-1', not 'US East'"),
        ({"account_id": 123456789012},
         "account_id must be a string of 12 digits, not 123456789012"),
    ],
)
def test_options_a_client_would_trip_over_later_are_refused_at_once(
    options: dict[str, Any], message: str
) -> None:
    # region="" used to surface only at client creation, as "Invalid endpoint:
    # https://secretsmanager..amazonaws.com"; an int account id as a bare TypeError.
    with pytest.raises(MocksmError) as caught:
        mock_secretsmanager(**options)
    assert str(caught.value) == message


def test_partition_regions_are_accepted() -> None:
    for region in ("us-gov-west-1", "cn-north-1", "eu-isoe-west-1", "ap-southeast-7"):
        with mock_secretsmanager(region=region) as handle:
            assert handle.region == region
