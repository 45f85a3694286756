"""A short tour of mocksm: create a secret, update it, move labels, read AWSPREVIOUS.

Run it with:  python examples/quickstart.py
"""

from __future__ import annotations

import boto3

from mocksm import mock_secretsmanager


def main() -> None:
    with mock_secretsmanager() as handle:
        client = boto3.client("secretsmanager", region_name="us-east-1")

        created = client.create_secret(Name="prod/db", SecretString='{"password": "first"}')
        print("created      ", created["ARN"])

        client.update_secret(SecretId="prod/db", SecretString='{"password": "second"}')
        current = client.get_secret_value(SecretId="prod/db")
        previous = client.get_secret_value(SecretId="prod/db", VersionStage="AWSPREVIOUS")
        print("AWSCURRENT   ", current["SecretString"], current["VersionStages"])
        print("AWSPREVIOUS  ", previous["SecretString"], previous["VersionStages"])

        staged = client.put_secret_value(
            SecretId="prod/db", SecretString='{"password": "third"}', VersionStages=["AWSPENDING"]
        )
        print("staged       ", staged["VersionId"], staged["VersionStages"])

        client.update_secret_version_stage(
            SecretId="prod/db",
            VersionStage="AWSCURRENT",
            MoveToVersionId=staged["VersionId"],
            RemoveFromVersionId=current["VersionId"],
        )
        print("labels now   ", handle.secret("prod/db").labels())
        promoted = client.get_secret_value(SecretId="prod/db")
        print("AWSCURRENT   ", promoted["SecretString"])
        print("AWSPREVIOUS  ",
              client.get_secret_value(SecretId="prod/db", VersionStage="AWSPREVIOUS")["SecretString"])

        try:
            client.get_secret_value(SecretId="prod/missing")
        except client.exceptions.ResourceNotFoundException as error:
            print("missing      ", error.response["Error"]["Message"])


if __name__ == "__main__":
    main()
