"""Key pairs: create (RSA / ED25519, PEM / PPK), import, describe, delete, launches."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from ec2_helpers import ID17, assert_error, assert_launch_error, launch

COLON_HEX = r"^([0-9a-f]{2}:)+[0-9a-f]{2}$"


def _openssh(key) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )


def test_create_rsa_pem_with_aws_fingerprint(ec2):
    made = ec2.create_key_pair(KeyName="web")
    assert re.fullmatch(rf"key-{ID17}", made["KeyPairId"])
    assert made["KeyMaterial"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    private = serialization.load_pem_private_key(made["KeyMaterial"].encode(), None)
    assert isinstance(private, rsa.RSAPrivateKey)
    assert private.key_size == 2048
    der = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    sha1 = ":".join(f"{b:02x}" for b in hashlib.sha1(der).digest())
    assert made["KeyFingerprint"] == sha1
    [shown] = ec2.describe_key_pairs(KeyNames=["web"], IncludePublicKey=True)["KeyPairs"]
    assert shown["KeyType"] == "rsa"
    assert shown["KeyFingerprint"] == sha1
    assert shown["PublicKey"].startswith(_openssh(private).decode())
    assert shown["CreateTime"].tzinfo is not None
    assert "PublicKey" not in ec2.describe_key_pairs(KeyNames=["web"])["KeyPairs"][0]


def test_create_ed25519_pem_fingerprint_is_sha256_of_the_blob(ec2):
    made = ec2.create_key_pair(KeyName="ed", KeyType="ed25519")
    assert made["KeyMaterial"].startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    private = serialization.load_ssh_private_key(made["KeyMaterial"].encode(), None)
    assert isinstance(private, ed25519.Ed25519PrivateKey)
    blob = base64.b64decode(_openssh(private).split()[1])
    expected = base64.b64encode(hashlib.sha256(blob).digest()).decode()
    assert made["KeyFingerprint"] == expected
    assert (
        ec2.describe_key_pairs(KeyPairIds=[made["KeyPairId"]])["KeyPairs"][0]["KeyType"]
        == "ed25519"
    )


@pytest.mark.parametrize("key_type,algorithm", [("rsa", "ssh-rsa"), ("ed25519", "ssh-ed25519")])
def test_create_ppk(ec2, key_type, algorithm):
    made = ec2.create_key_pair(KeyName="putty", KeyType=key_type, KeyFormat="ppk")
    lines = made["KeyMaterial"].splitlines()
    assert lines[0] == f"PuTTY-User-Key-File-2: {algorithm}"
    assert lines[1] == "Encryption: none"
    assert lines[-1].startswith("Private-MAC: ")
    public_count = int(lines[3].split(": ")[1])
    blob = base64.b64decode("".join(lines[4 : 4 + public_count]))
    public = ec2.describe_key_pairs(KeyNames=["putty"], IncludePublicKey=True)["KeyPairs"][0][
        "PublicKey"
    ]
    assert base64.b64decode(public.split()[1]) == blob


def test_import_rsa_fingerprint_is_md5_of_der_public_key(ec2):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    made = ec2.import_key_pair(KeyName="mine", PublicKeyMaterial=_openssh(key) + b" me@host")
    assert made["KeyFingerprint"] == ":".join(f"{b:02x}" for b in hashlib.md5(der).digest())
    assert re.match(COLON_HEX, made["KeyFingerprint"])
    shown = ec2.describe_key_pairs(KeyNames=["mine"], IncludePublicKey=True)["KeyPairs"][0]
    assert shown["PublicKey"].startswith(_openssh(key).decode())


def test_import_ed25519_and_other_formats(ec2):
    key = ed25519.Ed25519PrivateKey.generate()
    blob = base64.b64decode(_openssh(key).split()[1])
    made = ec2.import_key_pair(KeyName="ed", PublicKeyMaterial=_openssh(key))
    assert made["KeyFingerprint"] == base64.b64encode(hashlib.sha256(blob).digest()).decode()

    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    pem = rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert ec2.import_key_pair(KeyName="pem", PublicKeyMaterial=pem)["KeyFingerprint"]
    rsa_blob = base64.b64encode(base64.b64decode(_openssh(rsa_key).split()[1])).decode()
    rfc4716 = (
        "---- BEGIN SSH2 PUBLIC KEY ----\n"
        'Comment: "4096-bit RSA, converted"\n'
        + "\n".join(rsa_blob[i : i + 70] for i in range(0, len(rsa_blob), 70))
        + "\n---- END SSH2 PUBLIC KEY ----\n"
    )
    imported = ec2.import_key_pair(KeyName="rfc", PublicKeyMaterial=rfc4716.encode())
    shown = ec2.describe_key_pairs(KeyNames=["pem", "rfc"])["KeyPairs"]
    assert shown[0]["KeyFingerprint"] == shown[1]["KeyFingerprint"] == imported["KeyFingerprint"]


@pytest.mark.parametrize(
    "material",
    [
        b"not a key",
        b"ssh-rsa AAAA-not-base64",
        b"",
    ],
)
def test_import_refuses_bad_material(ec2, material):
    assert_error(
        ec2.import_key_pair, "InvalidKey.Format", KeyName="bad", PublicKeyMaterial=material
    )
    assert ec2.describe_key_pairs()["KeyPairs"] == []


def test_import_refuses_dsa_ecdsa_and_odd_rsa_sizes(ec2):
    for key in (
        ec.generate_private_key(ec.SECP256R1()),
        rsa.generate_private_key(public_exponent=65537, key_size=1536),
    ):
        assert_error(
            ec2.import_key_pair, "InvalidKey.Format", KeyName="k", PublicKeyMaterial=_openssh(key)
        )


def test_duplicate_name(ec2):
    ec2.create_key_pair(KeyName="dup")
    assert_error(ec2.create_key_pair, "InvalidKeyPair.Duplicate", message="dup", KeyName="dup")
    key = ed25519.Ed25519PrivateKey.generate()
    assert_error(
        ec2.import_key_pair,
        "InvalidKeyPair.Duplicate",
        KeyName="dup",
        PublicKeyMaterial=_openssh(key),
    )


def test_describe_not_found_and_filters(ec2):
    assert_error(
        ec2.describe_key_pairs,
        "InvalidKeyPair.NotFound",
        message="The key pair 'nope' does not exist",
        KeyNames=["nope"],
    )
    assert_error(
        ec2.describe_key_pairs, "InvalidKeyPair.NotFound", KeyPairIds=["key-0123456789abcdef0"]
    )
    rsa_made = ec2.create_key_pair(
        KeyName="alpha",
        TagSpecifications=[{"ResourceType": "key-pair", "Tags": [{"Key": "team", "Value": "a"}]}],
    )
    ed_made = ec2.create_key_pair(KeyName="beta", KeyType="ed25519")
    assert rsa_made["Tags"] == [{"Key": "team", "Value": "a"}]

    def names(filters):
        return [k["KeyName"] for k in ec2.describe_key_pairs(Filters=filters)["KeyPairs"]]

    assert names([{"Name": "key-name", "Values": ["al*"]}]) == ["alpha"]
    assert names([{"Name": "key-pair-id", "Values": [ed_made["KeyPairId"]]}]) == ["beta"]
    assert names([{"Name": "fingerprint", "Values": [rsa_made["KeyFingerprint"]]}]) == ["alpha"]
    assert names([{"Name": "tag:team", "Values": ["a"]}]) == ["alpha"]
    assert names([{"Name": "tag-key", "Values": ["team"]}]) == ["alpha"]
    assert_error(
        ec2.describe_key_pairs,
        "InvalidParameterValue",
        Filters=[{"Name": "tag-value", "Values": ["a"]}],
    )
    assert names([]) == ["alpha", "beta"]
    tags = ec2.describe_key_pairs(KeyNames=["alpha"])["KeyPairs"][0]["Tags"]
    assert tags == [{"Key": "team", "Value": "a"}]
    ec2.create_tags(Resources=[ed_made["KeyPairId"]], Tags=[{"Key": "team", "Value": "b"}])
    assert names([{"Name": "tag:team", "Values": ["b"]}]) == ["beta"]


def test_delete_by_name_and_id(ec2):
    first = ec2.create_key_pair(KeyName="one")
    second = ec2.create_key_pair(KeyName="two")
    assert ec2.delete_key_pair(KeyName="one")["KeyPairId"] == first["KeyPairId"]
    assert ec2.delete_key_pair(KeyPairId=second["KeyPairId"])["Return"] is True
    assert ec2.describe_key_pairs()["KeyPairs"] == []
    # EC2 answers true for a name it does not know
    assert ec2.delete_key_pair(KeyName="one")["Return"] is True
    assert_error(ec2.delete_key_pair, "InvalidKeyPair.NotFound", KeyPairId=first["KeyPairId"])
    ec2.create_key_pair(KeyName="one")  # the name is free again


def test_dry_run(ec2):
    for call, kw in (
        (ec2.create_key_pair, {"KeyName": "d"}),
        (
            ec2.import_key_pair,
            {"KeyName": "d", "PublicKeyMaterial": _openssh(ed25519.Ed25519PrivateKey.generate())},
        ),
    ):
        assert_error(call, "DryRunOperation", 412, DryRun=True, **kw)
    assert ec2.describe_key_pairs()["KeyPairs"] == []
    ec2.create_key_pair(KeyName="d")
    assert_error(ec2.delete_key_pair, "DryRunOperation", 412, DryRun=True, KeyName="d")
    assert_error(ec2.create_key_pair, "InvalidKeyPair.Duplicate", DryRun=True, KeyName="d")
    assert len(ec2.describe_key_pairs()["KeyPairs"]) == 1


def test_key_pair_exists_waiter(ec2):
    ec2.create_key_pair(KeyName="waited")
    ec2.get_waiter("key_pair_exists").wait(
        KeyNames=["waited"], WaiterConfig={"Delay": 0, "MaxAttempts": 5}
    )


def test_launch_needs_an_existing_key(ec2):
    assert_launch_error(
        ec2,
        "InvalidKeyPair.NotFound",
        message="The key pair 'ghost' does not exist",
        KeyName="ghost",
    )
    assert ec2.describe_instances()["Reservations"] == []
    ec2.create_key_pair(KeyName="ghost")
    [inst] = launch(ec2, KeyName="ghost")
    assert inst["KeyName"] == "ghost"


def test_lenient_key_names_option(ec2, ec2_options):
    ec2_options(lenient_key_names=True)
    [inst] = launch(ec2, KeyName="made-up")
    assert inst["KeyName"] == "made-up"


def test_key_pairs_are_per_region(env, ec2):
    ec2.create_key_pair(KeyName="here")
    other = env.client("ec2", region="us-east-1")
    with pytest.raises(ClientError):
        other.describe_key_pairs(KeyNames=["here"])
