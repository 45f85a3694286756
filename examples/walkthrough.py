"""A notebook-style walk through the rest of mocksm: keys, time, deletion, listing,
replication, and what a test can see through the handle. Each cell prints what it did.

Run it with:  python examples/walkthrough.py   (or paste the cells into a notebook)
"""

from __future__ import annotations

import boto3

from mocksm import mock_secretsmanager


def main() -> None:
    # -- start the mock the way a notebook would ------------------------------------------
    mock = mock_secretsmanager(region="us-east-1")
    handle = mock.start()
    try:
        sm = boto3.client("secretsmanager", region_name="us-east-1")
        kms = boto3.client("kms", region_name="us-east-1")

        # -- a customer KMS key, created exactly as production code would --------------------
        key_arn = kms.create_key(Description="app key")["KeyMetadata"]["Arn"]
        sm.create_secret(Name="app/api-key", SecretString="k-1", KmsKeyId=key_arn,
                         Tags=[{"Key": "team", "Value": "payments"}])
        print("versions and keys ", sm.list_secret_version_ids(SecretId="app/api-key")["Versions"][0]["KmsKeyIds"])

        handle.kms.disable_key(key_arn)
        try:
            sm.get_secret_value(SecretId="app/api-key")
        except sm.exceptions.DecryptionFailure as error:
            print("key disabled      ", error.response["Error"]["Code"])
        handle.kms.enable_key(key_arn)
        print("key enabled again ", sm.get_secret_value(SecretId="app/api-key")["SecretString"])

        # -- listing with AWS's filter rules ---------------------------------------------------
        sm.create_secret(Name="app/db", SecretString="pw", Description="Primary database")
        sm.create_secret(Name="other/thing", SecretString="x")
        listed = sm.list_secrets(Filters=[{"Key": "name", "Values": ["app/"]}])["SecretList"]
        print("name prefix app/  ", sorted(s["Name"] for s in listed))
        listed = sm.list_secrets(Filters=[{"Key": "description", "Values": ["data"]}])["SecretList"]
        print("description 'data'", [s["Name"] for s in listed])

        # -- deletion windows run on the mock clock --------------------------------------------
        deleted = sm.delete_secret(SecretId="other/thing", RecoveryWindowInDays=7)
        print("deletion date     ", deleted["DeletionDate"].date())
        handle.clock.advance(days=8)
        names = [s.name for s in handle.secrets()]
        print("after 8 days      ", names)

        # -- replication to another Region ----------------------------------------------------
        sm.replicate_secret_to_regions(SecretId="app/db", AddReplicaRegions=[{"Region": "eu-west-1"}])
        sm.put_secret_value(SecretId="app/db", SecretString="pw-2")
        west = boto3.client("secretsmanager", region_name="eu-west-1")
        print("replica reads     ", west.get_secret_value(SecretId="app/db")["SecretString"])

        # -- what the handle shows: labels per version, never a value ---------------------------
        print("labels of app/db  ", handle.secret("app/db").labels())
    finally:
        mock.stop()


if __name__ == "__main__":
    main()
