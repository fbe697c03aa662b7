"""boto 2, the client of the project's origin tutorial, in both modes: in-process
(through http.client) and against a server (signed for 127.0.0.1)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

import cloudmock
from cloudmock.server import ServerThread

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # boto 2 imports `imp` (gone in Python 3.12)
    pytest.importorskip("boto.ec2", reason="boto 2 imports on Python < 3.12 only")
    import boto
    import boto.ec2
    from boto.connection import AWSAuthConnection
    from boto.ec2.connection import EC2Connection
    from boto.exception import EC2ResponseError

AMI = "ami-f00ba4"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class SigV2Connection(EC2Connection):
    """boto 2's EC2 signs with SigV4; its other query services (and older releases)
    sign with SigV2: AWSAccessKeyId, SignatureVersion=2 in the form."""

    def _required_auth_capability(self) -> list[str]:
        return ["ec2"]


@dataclass
class Boto2:
    mode: str
    connect: Callable[..., Any]
    #: the region a connection asking for eu-west-1 lands in
    region: str


@pytest.fixture(scope="module")
def boto2_server() -> Iterator[ServerThread]:
    with ServerThread() as server:
        yield server


@pytest.fixture(params=["patched", "server"])
def boto2(request: pytest.FixtureRequest) -> Iterator[Boto2]:
    if request.param == "patched":
        with cloudmock.mock_ec2(seed=42):

            def patched(cls: type = EC2Connection, **kwargs: Any) -> Any:
                if cls is EC2Connection:
                    return boto.ec2.connect_to_region("eu-west-1", **kwargs)
                return cls(region=boto.ec2.get_region("eu-west-1"), **kwargs)

            yield Boto2("patched", patched, "eu-west-1")
    else:
        server: ServerThread = request.getfixturevalue("boto2_server")
        server.state.reset(cloudmock.Config(seed=42))

        def against_server(cls: type = EC2Connection, **kwargs: Any) -> Any:
            # boto.connect_ec2_endpoint, with the connection class left open
            region = boto.ec2.regioninfo.RegionInfo(name="eu-west-1", endpoint="127.0.0.1")
            options = {**CREDENTIALS, "port": server.port, "is_secure": False, **kwargs}
            return cls(region=region, **options)

        # Signed for 127.0.0.1, the request names no region: the default one answers.
        yield Boto2("server", against_server, "us-east-1")


# -------------------------------------------------------- the origin tutorial


def test_the_origin_tutorial_exactly_as_written():
    import boto.ec2

    import cloudmock

    mock = cloudmock.mock_ec2()
    mock.start()
    try:
        conn = boto.ec2.connect_to_region("eu-west-1")
        reservation = conn.run_instances("ami-f00ba4")
        attributes = vars(reservation.instances[0])
    finally:
        mock.stop()
    assert_fresh_launch(attributes, "eu-west-1")


def assert_fresh_launch(attributes: dict[str, Any], region: str) -> None:
    """What EC2 tells boto 2 about an instance it just launched."""
    assert attributes["id"].startswith("i-") and len(attributes["id"]) == 19
    assert attributes["image_id"] == AMI
    assert attributes["instance_type"] == "m1.small"
    assert (attributes["_state"].name, attributes["_state"].code) == ("pending", 0)
    assert attributes["state_reason"] == {"code": "pending", "message": "pending"}
    assert attributes["private_ip_address"].startswith("172.31.")
    assert attributes["private_dns_name"].startswith("ip-172-31-")
    assert attributes["_placement"].zone == f"{region}a"
    assert attributes["vpc_id"].startswith("vpc-")
    assert attributes["subnet_id"].startswith("subnet-")
    assert attributes["architecture"] == "x86_64"
    assert attributes["hypervisor"] == "xen"
    assert attributes["virtualization_type"] == "hvm"
    assert attributes["root_device_type"] == "ebs"
    assert attributes["launch_time"].endswith("Z")
    assert attributes["monitoring_state"] == "disabled"
    [interface] = attributes["interfaces"]
    assert interface.id.startswith("eni-")
    assert interface.private_ip_address == attributes["private_ip_address"]
    assert interface.subnet_id == attributes["subnet_id"]
    assert [group.name for group in attributes["groups"]] == ["default"]
    assert list(attributes["block_device_mapping"]) == ["/dev/sda1"]


def test_a_fresh_launch_in_both_modes(boto2):
    reservation = boto2.connect().run_instances(AMI)
    assert reservation.id.startswith("r-")
    assert reservation.owner_id == "123456789012"
    assert_fresh_launch(vars(reservation.instances[0]), boto2.region)


def test_the_same_seed_gives_the_same_instance_in_both_modes(boto2):
    # eu-west-1 in-process, us-east-1 against the server: each region's own first id
    expected = {"eu-west-1": "i-679dc727ec7ce6def", "us-east-1": "i-f16439f8252dd7d6e"}
    assert boto2.connect().run_instances(AMI).instances[0].id == expected[boto2.region]


# ------------------------------------------------------------- signatures


@pytest.mark.parametrize("signature", ["v4", "v2"])
def test_both_signatures_and_the_account_of_the_key(boto2, signature):
    cls = SigV2Connection if signature == "v2" else EC2Connection
    conn = boto2.connect(cls, aws_access_key_id="111122223333", aws_secret_access_key="x")
    signer = {"v2": "QuerySignatureV2AuthHandler", "v4": "HmacAuthV4Handler"}[signature]
    assert type(conn._auth_handler).__name__ == signer
    reservation = conn.run_instances(AMI)
    assert reservation.owner_id == "111122223333"
    assert reservation.instances[0].placement == f"{boto2.region}a"
    other = boto2.connect(cls)
    assert other.get_all_reservations() == []  # the testing key: another account


def test_against_the_server_the_region_can_be_named_for_the_signature(boto2_server):
    conn = boto.connect_ec2_endpoint(boto2_server.url, **CREDENTIALS)
    assert conn.run_instances(AMI).instances[0].placement == "us-east-1a"
    conn.auth_region_name = "eu-west-1"  # SigV4's scope then carries it
    assert conn.run_instances(AMI).instances[0].placement == "eu-west-1a"


# ---------------------------------------------------------- the lifecycle


def test_lifecycle_tags_and_errors(boto2):
    conn = boto2.connect()
    instance = conn.run_instances(AMI, min_count=2, max_count=2).instances[0]
    instance.update()
    assert instance.state == "running"
    conn.create_tags([instance.id], {"Name": "web-1"})
    [tagged] = conn.get_only_instances(filters={"tag:Name": "web-1"})
    assert (tagged.id, tagged.tags) == (instance.id, {"Name": "web-1"})
    assert len(conn.get_only_instances()) == 2
    assert [i.id for i in conn.stop_instances([instance.id])] == [instance.id]
    instance.update()
    assert instance.state == "stopped"
    conn.terminate_instances([instance.id])
    instance.update()
    assert instance.state == "terminated"
    with pytest.raises(EC2ResponseError) as caught:
        conn.get_all_reservations(["i-0123456789abcdef0"])
    assert (caught.value.status, caught.value.error_code) == (400, "InvalidInstanceID.NotFound")
    zones = [zone.name for zone in conn.get_all_zones()]
    assert zones[0] == f"{boto2.region}a"


# ---------------------------------------------------------------- proxies


@pytest.mark.parametrize("is_secure", [True, False])
def test_a_proxy_given_to_boto2_never_sees_aws_requests(proxy, is_secure):
    original = vars(AWSAuthConnection)["proxy_ssl"]
    with cloudmock.mock_ec2():
        conn = boto.ec2.connect_to_region(
            "eu-west-1", proxy="127.0.0.1", proxy_port=proxy.port, is_secure=is_secure
        )
        assert conn.run_instances(AMI).instances[0].state == "pending"
    assert not proxy.contacted
    assert vars(AWSAuthConnection)["proxy_ssl"] is original


@pytest.mark.parametrize("is_secure", [True, False])
def test_the_proxy_of_the_environment_never_sees_aws_requests(proxy, monkeypatch, is_secure):
    monkeypatch.setenv("http_proxy", proxy.url)  # boto 2 reads this one, for both schemes
    with cloudmock.mock_ec2():
        conn = boto.ec2.connect_to_region("eu-west-1", is_secure=is_secure)
        assert conn.use_proxy
        assert conn.run_instances(AMI).instances[0].state == "pending"
    assert not proxy.contacted


# ------------------------------------------------ known gaps (codec, not transport)

# boto 2 reads EC2's XML by element names, nested ones included, into flat objects.
# EC2 answers in the API version the client asks for (boto 2: 2014-10-01), leaving out
# newer members; cloudmock writes every member botocore's model has, and botocore's
# model says nothing of when a member appeared. The EC2 codec writes a structure's
# scalars before its lists (so a VPC's id and default flag are read), but a newer
# nested element with a name boto 2 knows still overwrites one it read: the <state> of
# cidrBlockAssociationSet's cidrBlockState, the <name> in attachedEbsStatus's details.
CODEC_GAP = pytest.mark.xfail(
    strict=True, reason="members newer than the client's API version are not left out"
)


@CODEC_GAP
def test_boto2_reads_the_default_vpc(boto2):
    import boto.vpc

    conn = boto2.connect()
    vpcs = boto.vpc.VPCConnection(
        region=conn.region, port=conn.port, is_secure=conn.is_secure, **CREDENTIALS
    ).get_all_vpcs()
    described = [(v.id or "", v.state, v.cidr_block, v.is_default) for v in vpcs]
    assert [(i[:4], *rest) for i, *rest in described] == [
        ("vpc-", "available", "172.31.0.0/16", True)
    ]


@CODEC_GAP
def test_boto2_reads_instance_status(boto2):
    conn = boto2.connect()
    conn.run_instances(AMI)
    [status] = conn.get_all_instance_status()
    assert (status.state_name, status.state_code) == ("running", 16)
