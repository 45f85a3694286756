"""The errors Secrets Manager answers with, in AWS's exact words (spec section 6)."""

from __future__ import annotations

from mocksm.errors import ServiceError

TOKEN_REQUIRED = "You must provide a ClientRequestToken value. We recommend a UUID-type value."
MARKED_FOR_DELETION = (
    "You can't perform this operation on the secret because it was marked for deletion."
)


def not_found() -> ServiceError:
    return ServiceError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")


def no_value_for_stage(stage: str) -> ServiceError:
    return ServiceError(
        "ResourceNotFoundException",
        f"Secrets Manager can't find the specified secret value for staging label: {stage}",
    )


def no_value_for_version(version_id: str) -> ServiceError:
    return ServiceError(
        "ResourceNotFoundException",
        f"Secrets Manager can't find the specified secret value for VersionId: {version_id}",
    )


def invalid_name() -> ServiceError:
    return ServiceError(
        "ValidationException",
        "Invalid name. Must be a valid name containing alphanumeric characters, or any of the "
        "following: -/_+=.@!",
    )


def invalid_parameter(message: str) -> ServiceError:
    return ServiceError("InvalidParameterException", message)


def invalid_request(message: str) -> ServiceError:
    return ServiceError("InvalidRequestException", message)


def marked_for_deletion() -> ServiceError:
    return invalid_request(MARKED_FOR_DELETION)


def both_values() -> ServiceError:
    return invalid_parameter(
        "You can't specify both a binary secret value and a string secret value in the same "
        "secret."
    )


def token_in_use(token: str, arn: str) -> ServiceError:
    return ServiceError(
        "ResourceExistsException",
        f"You can't use ClientRequestToken {token} because that value is already in use for a "
        f"version of secret {arn}.",
    )


def secret_exists(name: str) -> ServiceError:
    return ServiceError(
        "ResourceExistsException", f"The operation failed because the secret {name} already exists."
    )


def too_many_labels() -> ServiceError:
    return ServiceError(
        "LimitExceededException",
        "You have exceeded the maximum number of staging labels for this secret.",
    )


def too_many_versions() -> ServiceError:
    return ServiceError(
        "LimitExceededException", "You have exceeded the maximum number of versions for this secret."
    )


def managed_secret() -> ServiceError:
    return invalid_request(
        "This secret is managed by an AWS service, and you must use that service to update it."
    )


def replica_write() -> ServiceError:
    return invalid_parameter(
        "Operation not permitted on a replica secret. Call must be made in primary secret's region."
    )


def cross_account_default_key() -> ServiceError:
    return invalid_request(
        "You can't access a secret from a different AWS account if you encrypt the secret with "
        "the default KMS service key."
    )
