"""GetRandomPassword (spec 5.16); the generator lives in ``secretsmanager.password``."""

from __future__ import annotations

from typing import Any

from mocksm.secretsmanager.call import Call
from mocksm.secretsmanager.operations import operation
from mocksm.secretsmanager.password import DEFAULT_LENGTH, PasswordRules, generate


@operation("GetRandomPassword")
def get_random_password(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    rules = PasswordRules(
        length=int(p.get("PasswordLength", DEFAULT_LENGTH)),
        exclude_characters=str(p.get("ExcludeCharacters", "")),
        exclude_numbers=bool(p.get("ExcludeNumbers", False)),
        exclude_punctuation=bool(p.get("ExcludePunctuation", False)),
        exclude_uppercase=bool(p.get("ExcludeUppercase", False)),
        exclude_lowercase=bool(p.get("ExcludeLowercase", False)),
        include_space=bool(p.get("IncludeSpace", False)),
        require_each_included_type=bool(p.get("RequireEachIncludedType", True)),
    )
    return {"RandomPassword": generate(rules)}
