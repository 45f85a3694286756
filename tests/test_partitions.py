"""Partitions botocore knows beyond the classic five: their ARNs name the right one."""

from __future__ import annotations

import pytest

from mocksm import mock_secretsmanager


@pytest.mark.parametrize(
    ("region", "partition"),
    [("eu-isoe-west-1", "aws-iso-e"), ("us-isof-south-1", "aws-iso-f"),
     ("eusc-de-east-1", "aws-eusc"), ("us-isob-east-1", "aws-iso-b")],
)
def test_secret_and_key_arns_carry_the_region_partition(region: str, partition: str) -> None:
    with mock_secretsmanager() as handle:
        client = handle.client(region=region)
        arn = client.create_secret(Name="x", SecretString="v")["ARN"]
        assert arn.startswith(f"arn:{partition}:secretsmanager:{region}:123456789012:secret:x-")
        assert client.get_secret_value(SecretId=arn)["ARN"] == arn
        key = handle.client("kms", region=region).create_key()["KeyMetadata"]["Arn"]
        assert key.startswith(f"arn:{partition}:kms:{region}:123456789012:key/")


def test_refusal_on_an_aws_managed_key_names_the_principal_in_its_partition() -> None:
    from botocore.exceptions import ClientError

    with mock_secretsmanager() as handle:
        kms = handle.client("kms", region="cn-north-1")
        arn = kms.describe_key(KeyId="alias/aws/secretsmanager")["KeyMetadata"]["Arn"]
        assert arn.startswith("arn:aws-cn:kms:cn-north-1:123456789012:key/")
        with pytest.raises(ClientError) as caught:
            kms.disable_key(KeyId=arn)
        assert caught.value.response["Error"] == {
            "Code": "AccessDeniedException",
            "Message": "User: arn:aws-cn:iam::123456789012:root is not authorized to perform: "
            f"kms:DisableKey on resource: {arn} because no resource-based policy allows the "
            "kms:DisableKey action",
        }
