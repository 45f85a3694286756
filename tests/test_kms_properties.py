"""Random sequences of writes, key changes and key state changes, in both key-change
modes: every version reports the key that wraps it and is readable exactly when that key
is enabled (and, in classic mode, is the secret's current key); a failed call changes
nothing."""

from __future__ import annotations

from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mocksm import mock_secretsmanager

KEYS = ("k1", "k2", "default")
REPORTED_DEFAULT = "DefaultEncryptionKey"

operations = st.lists(
    st.one_of(
        st.tuples(st.just("put"), st.text(alphabet="abcxyz", min_size=1, max_size=8)),
        st.tuples(st.just("key"), st.sampled_from(KEYS)),
        st.tuples(st.just("disable"), st.sampled_from(KEYS)),
        st.tuples(st.just("enable"), st.sampled_from(KEYS)),
    ),
    max_size=12,
)


def _reported(name: str, ids: dict[str, str]) -> str:
    return REPORTED_DEFAULT if name == "default" else ids[name]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["aws", "classic"]), operations)
def test_readability_follows_the_wrapping_key(mode: str, ops: list[tuple[str, str]]) -> None:
    moving = {"AWSCURRENT", "AWSPREVIOUS"} if mode == "aws" else {"AWSCURRENT"}
    with mock_secretsmanager(kms_key_change_mode=mode) as handle:
        sm = handle.client("secretsmanager")
        ids = {"k1": handle.kms.create_key(alias="alias/k1").arn,
               "k2": handle.kms.create_key(alias="alias/k2").arn,
               "default": "alias/aws/secretsmanager"}
        enabled = dict.fromkeys(KEYS, True)
        secret_key = "k1"
        first = sm.create_secret(Name="p", SecretString="v0", KmsKeyId=ids["k1"])["VersionId"]
        # model: version id -> [value, wrapping key name]
        versions: dict[str, list[str]] = {first: ["v0", "k1"]}

        for op, arg in ops:
            if op in ("disable", "enable"):
                getattr(handle.kms, f"{op}_key")(ids[arg])
                enabled[arg] = op == "enable"
                continue
            labels = sm.describe_secret(SecretId="p")["VersionIdsToStages"]
            try:
                if op == "put":
                    vid = sm.put_secret_value(SecretId="p", SecretString=arg)["VersionId"]
                else:
                    sm.update_secret(SecretId="p", KmsKeyId="" if arg == "default" else ids[arg])
            except ClientError as error:
                assert error.response["Error"]["Code"] == "EncryptionFailure"
                target = secret_key if op == "put" else arg
                assert not enabled[target]
                assert sm.describe_secret(SecretId="p")["VersionIdsToStages"] == labels
                continue
            if op == "put":
                assert enabled[secret_key]
                versions[vid] = [arg, secret_key]
            elif arg != secret_key:
                assert enabled[arg]
                for moved, stages in labels.items():
                    if moving & set(stages) and enabled[versions[moved][1]]:
                        versions[moved][1] = arg
                secret_key = arg

        listed = sm.list_secret_version_ids(SecretId="p", IncludeDeprecated=True)["Versions"]
        assert {v["VersionId"]: v["KmsKeyIds"] for v in listed} == {
            vid: [_reported(key, ids)] for vid, (_, key) in versions.items()
        }
        for vid, (value, key) in versions.items():
            try:
                got = sm.get_secret_value(SecretId="p", VersionId=vid)["SecretString"]
            except ClientError as error:
                assert error.response["Error"]["Code"] == "DecryptionFailure"
                assert not enabled[key] or (mode == "classic" and key != secret_key), (vid, key)
            else:
                assert got == value
                assert enabled[key], (vid, key)
                assert mode == "aws" or key == secret_key, (vid, key, secret_key)
