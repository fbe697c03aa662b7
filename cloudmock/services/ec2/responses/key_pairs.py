"""Key pairs: CreateKeyPair, ImportKeyPair, DescribeKeyPairs, DeleteKeyPair."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cloudmock.core.errors import InvalidParameterValue, MissingParameter
from cloudmock.core.plugin import operation
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.filters import FilterSet, apply_filters, candidates
from cloudmock.services.ec2.models.key_pairs import generate, parse_public_key
from cloudmock.services.ec2.models.tags import tag_specifications
from cloudmock.services.ec2.responses.common import Ctx

if TYPE_CHECKING:
    from cloudmock.services.ec2.shapes import (
        DeleteKeyPairResult,
        DescribeKeyPairsResult,
        Filter,
        ImportKeyPairResult,
        KeyPair,
        TagSpecification,
    )

KEY_PAIRS: FilterSet[Any] = FilterSet(
    {
        "key-pair-id": lambda k: k.id,
        "key-name": lambda k: k.name,
        "fingerprint": lambda k: k.fingerprint,
    },
    indexes={"key-name": "name", "fingerprint": "fingerprint"},
)


@operation("CreateKeyPair")
def create_key_pair(
    ctx: Ctx,
    *,
    KeyName: str,
    KeyType: str | None = None,
    TagSpecifications: list[TagSpecification] | None = None,
    KeyFormat: str | None = None,
) -> KeyPair:
    family = ctx.backend.key_pairs
    tags = tag_specifications(TagSpecifications, ("key-pair",)).get("key-pair", {})
    family.check_new(KeyName)
    commit()
    new = generate(KeyType or "rsa", KeyFormat or "pem", KeyName)
    key = family.add(KeyName, KeyType or "rsa", new.fingerprint, new.public_key, tags)
    result: KeyPair = {
        "KeyPairId": key.id,
        "KeyName": key.name,
        "KeyFingerprint": key.fingerprint,
        "KeyMaterial": new.material,
        "Tags": key.tag_list(),
    }
    return result


@operation("ImportKeyPair")
def import_key_pair(
    ctx: Ctx,
    *,
    KeyName: str,
    PublicKeyMaterial: bytes,
    TagSpecifications: list[TagSpecification] | None = None,
) -> ImportKeyPairResult:
    family = ctx.backend.key_pairs
    tags = tag_specifications(TagSpecifications, ("key-pair",)).get("key-pair", {})
    family.check_new(KeyName)
    key_type, fingerprint, public = parse_public_key(PublicKeyMaterial)
    commit()
    key = family.add(KeyName, key_type, fingerprint, f"{public} {KeyName}", tags)
    return {
        "KeyPairId": key.id,
        "KeyName": key.name,
        "KeyFingerprint": key.fingerprint,
        "Tags": key.tag_list(),
    }


@operation("DescribeKeyPairs", filters=KEY_PAIRS)
def describe_key_pairs(
    ctx: Ctx,
    *,
    KeyNames: list[str] | None = None,
    KeyPairIds: list[str] | None = None,
    IncludePublicKey: bool | None = None,
    Filters: list[Filter] | None = None,
) -> DescribeKeyPairsResult:
    family = ctx.backend.key_pairs
    if KeyNames or KeyPairIds:
        chosen: dict[str, Any] = {}
        if KeyNames:
            chosen.update((k.id, k) for k in family.by_names(KeyNames))
        if KeyPairIds:
            chosen.update((k.id, k) for k in family.store.get_many(KeyPairIds))
        items = family.store.in_order(chosen.values())
    else:
        items = candidates(family.store, Filters, KEY_PAIRS)
    items = apply_filters(items, Filters, KEY_PAIRS, ctx.operation_model)
    return {"KeyPairs": [k.describe(bool(IncludePublicKey)) for k in items]}


@operation("DeleteKeyPair")
def delete_key_pair(
    ctx: Ctx, *, KeyName: str | None = None, KeyPairId: str | None = None
) -> DeleteKeyPairResult:
    family = ctx.backend.key_pairs
    if KeyName is None and KeyPairId is None:
        raise MissingParameter("The request must contain the parameter KeyName or KeyPairId")
    key = None
    if KeyPairId is not None:
        key = family.store.get(KeyPairId)
        if KeyName is not None and key.name != KeyName:
            raise InvalidParameterValue(
                f"The key pair '{KeyName}' does not have the ID '{KeyPairId}'."
            )
    elif KeyName is not None:
        # EC2 answers true for a name no key pair has: deleting is idempotent
        key = family.by_name(KeyName)
    commit()
    result: DeleteKeyPairResult = {"Return": True}
    if key is not None:
        family.store.remove(key.id)
        result["KeyPairId"] = key.id
    return result
