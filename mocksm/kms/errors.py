"""The errors the embedded KMS answers with, in KMS's own words.

KMS error bodies carry a lowercase ``message`` member (its error shapes model it so),
and some errors (InvalidCiphertextException, NotAuthorizedException) carry none.
"""

from __future__ import annotations

from mocksm.errors import ServiceError


class KmsError(ServiceError):
    """A KMS service error; rendered with KMS's lowercase ``message`` key."""

    message_key = "message"


def key_not_found(key_arn: str) -> KmsError:
    return KmsError("NotFoundException", f"Key '{key_arn}' does not exist")


def alias_not_found(alias_arn: str) -> KmsError:
    return KmsError("NotFoundException", f"Alias {alias_arn} is not found.")


def invalid_key_id(key_id: str) -> KmsError:
    return KmsError("NotFoundException", f"Invalid keyId '{key_id}'")


def invalid_arn_region(region: str) -> KmsError:
    return KmsError("NotFoundException", f"Invalid arn {region}")


def disabled(key_arn: str) -> KmsError:
    return KmsError("DisabledException", f"{key_arn} is disabled.")


def pending_deletion(key_arn: str) -> KmsError:
    return KmsError("KMSInvalidStateException", f"{key_arn} is pending deletion.")


def not_pending_deletion(key_arn: str) -> KmsError:
    return KmsError("KMSInvalidStateException", f"{key_arn} is not pending deletion.")


def validation(message: str) -> KmsError:
    return KmsError("ValidationException", message)


def alias_prefix() -> KmsError:
    return validation(
        'Alias must start with the prefix "alias/". Please see '
        "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html"
    )


def alias_exists(alias_arn: str) -> KmsError:
    return KmsError("AlreadyExistsException", f"An alias with the name {alias_arn} already exists")


def reserved_alias() -> KmsError:
    return KmsError("NotAuthorizedException", "")


def invalid_ciphertext() -> KmsError:
    return KmsError("InvalidCiphertextException", "")


def unknown_ciphertext_key() -> KmsError:
    """A readable ciphertext whose key is gone, in another Region, or not the caller's to use."""
    return KmsError(
        "AccessDeniedException",
        "The ciphertext refers to a customer master key that does not exist, does not exist "
        "in this region, or you are not allowed to access.",
    )


def incompatible_algorithm(algorithm: str) -> KmsError:
    """An asymmetric algorithm named for a symmetric key (the text mirrors the one KMS
    gives the other way round: "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec
    RSA_4096.", zalando/spring-cloud-config-aws-kms#82)."""
    return KmsError(
        "InvalidKeyUsageException",
        f"Algorithm {algorithm} is incompatible with key spec SYMMETRIC_DEFAULT.",
    )


def incorrect_key() -> KmsError:
    return KmsError(
        "IncorrectKeyException",
        "The key ID in the request does not identify a CMK that can perform this operation.",
    )


def policy_denied(account: str, action: str, key_arn: str) -> KmsError:
    """The key's policy does not let the caller's account root do ``action``: an AWS
    managed key's policy for management actions, and any key of another account for
    actions KMS does not allow across accounts."""
    partition = key_arn.split(":", 2)[1]  # the caller's partition is the key's
    return KmsError(
        "AccessDeniedException",
        f"User: arn:{partition}:iam::{account}:root is not authorized to perform: kms:{action} on "
        f"resource: {key_arn} because no resource-based policy allows the kms:{action} action",
    )


def unsupported(what: str) -> KmsError:
    """A request mocksm's KMS deliberately does not model (asymmetric keys, HMAC, ...)."""
    return KmsError("NotImplemented", f"mocksm does not implement {what} yet.", status=501)
