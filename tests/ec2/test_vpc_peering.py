"""VPC peering connections: one connection both sides see, across accounts and regions."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from tests.ec2.ec2_helpers import ID17, assert_error

OTHER = "111122223333"
WAITER = {"Delay": 0, "MaxAttempts": 5}


def make_vpc(env: Any, cidr: str, account: str | None = None, region: str = "eu-west-1") -> str:
    """A VPC with ``cidr`` (every default VPC is 172.31.0.0/16, so peering them fails)."""
    keys = {} if account is None else {"aws_access_key_id": account, "aws_secret_access_key": "x"}
    client = env.client("ec2", region=region, **keys)
    return client.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]


def default_vpc(ec2: Any) -> str:
    return ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0][
        "VpcId"
    ]


def account_of(ec2: Any) -> str:
    return default_vpc_owner(ec2)


def default_vpc_owner(ec2: Any) -> str:
    return ec2.describe_vpcs()["Vpcs"][0]["OwnerId"]


def peering(ec2: Any, pcx: str) -> dict[str, Any]:
    return ec2.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx])[
        "VpcPeeringConnections"
    ][0]


def status(ec2: Any, pcx: str) -> str:
    return peering(ec2, pcx)["Status"]["Code"]


@pytest.fixture
def other(env: Any) -> Any:
    """Account 111122223333 in us-east-1."""
    return env.client("ec2", region="us-east-1", aws_access_key_id=OTHER, aws_secret_access_key="x")


@pytest.fixture
def cross(env: Any, ec2: Any, other: Any) -> dict[str, str]:
    """A pending request from this account's eu-west-1 VPC to 111122223333's us-east-1 VPC."""
    mine = make_vpc(env, "10.1.0.0/16")
    theirs = make_vpc(env, "10.2.0.0/16", account=OTHER, region="us-east-1")
    made = ec2.create_vpc_peering_connection(
        VpcId=mine, PeerVpcId=theirs, PeerOwnerId=OTHER, PeerRegion="us-east-1"
    )["VpcPeeringConnection"]
    return {"pcx": made["VpcPeeringConnectionId"], "mine": mine, "theirs": theirs}


def test_same_account_request_accept_and_describe(env, ec2):
    local = default_vpc(ec2)
    peer = make_vpc(env, "10.0.0.0/16")
    made = ec2.create_vpc_peering_connection(
        VpcId=local,
        PeerVpcId=peer,
        TagSpecifications=[
            {"ResourceType": "vpc-peering-connection", "Tags": [{"Key": "Name", "Value": "p"}]}
        ],
    )["VpcPeeringConnection"]
    pcx = made["VpcPeeringConnectionId"]
    assert re.fullmatch(rf"pcx-{ID17}", pcx)
    owner = made["RequesterVpcInfo"]["OwnerId"]
    assert made["Status"] == {
        "Code": "initiating-request",
        "Message": f"Initiating Request to {owner}",
    }
    assert made["RequesterVpcInfo"]["VpcId"] == local
    assert made["RequesterVpcInfo"]["CidrBlock"] == "172.31.0.0/16"
    assert made["RequesterVpcInfo"]["Region"] == "eu-west-1"
    assert made["AccepterVpcInfo"] == {"OwnerId": owner, "VpcId": peer, "Region": "eu-west-1"}
    assert made["Tags"] == [{"Key": "Name", "Value": "p"}]

    ec2.get_waiter("vpc_peering_connection_exists").wait(
        VpcPeeringConnectionIds=[pcx], WaiterConfig=WAITER
    )
    pending = peering(ec2, pcx)
    assert pending["Status"] == {
        "Code": "pending-acceptance",
        "Message": f"Pending Acceptance by {owner}",
    }
    created = env.clock.now()
    assert abs(pending["ExpirationTime"] - (created + timedelta(days=7))) < timedelta(minutes=1)
    assert "CidrBlock" not in pending["AccepterVpcInfo"]

    accepted = ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)["VpcPeeringConnection"]
    assert accepted["Status"] == {"Code": "provisioning", "Message": "Provisioning"}
    assert "ExpirationTime" not in accepted
    active = peering(ec2, pcx)
    assert active["Status"] == {"Code": "active", "Message": "Active"}
    assert active["AccepterVpcInfo"]["CidrBlock"] == "10.0.0.0/16"
    assert active["AccepterVpcInfo"]["CidrBlockSet"] == [{"CidrBlock": "10.0.0.0/16"}]
    assert active["AccepterVpcInfo"]["PeeringOptions"]["AllowDnsResolutionFromRemoteVpc"] is False


def test_cross_account_cross_region(env, ec2, other, cross):
    pcx = cross["pcx"]
    ec2.create_tags(Resources=[pcx], Tags=[{"Key": "side", "Value": "requester"}])
    # the accepter sees the same connection in its own account and region
    seen = other.describe_vpc_peering_connections()["VpcPeeringConnections"]
    assert [p["VpcPeeringConnectionId"] for p in seen] == [pcx]
    assert seen[0]["Status"]["Code"] == "pending-acceptance"
    assert seen[0]["Status"]["Message"] == f"Pending Acceptance by {OTHER}"
    assert seen[0]["AccepterVpcInfo"]["Region"] == "us-east-1"
    assert seen[0]["RequesterVpcInfo"]["Region"] == "eu-west-1"
    # tags belong to the account that set them
    assert "Tags" not in seen[0]
    other.create_tags(Resources=[pcx], Tags=[{"Key": "side", "Value": "accepter"}])
    assert peering(ec2, pcx)["Tags"] == [{"Key": "side", "Value": "requester"}]
    assert peering(other, pcx)["Tags"] == [{"Key": "side", "Value": "accepter"}]

    # only the accepter accepts, in the accepter's region
    assert_error(
        ec2.accept_vpc_peering_connection,
        "OperationNotPermitted",
        message=f"cannot accept peering {pcx}",
        VpcPeeringConnectionId=pcx,
    )
    other_region = env.client(
        "ec2", region="eu-west-1", aws_access_key_id=OTHER, aws_secret_access_key="x"
    )
    assert_error(
        other_region.accept_vpc_peering_connection,
        "InvalidVpcPeeringConnectionID.NotFound",
        VpcPeeringConnectionId=pcx,
    )
    other.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    mine = peering(ec2, pcx)
    assert mine["Status"]["Code"] == "active"
    assert mine["AccepterVpcInfo"]["CidrBlock"] == "10.2.0.0/16"
    assert mine["AccepterVpcInfo"]["OwnerId"] == OTHER


def test_overlapping_cidrs_fail_and_only_the_requester_sees_it(env, ec2, other):
    theirs = make_vpc(env, "172.31.128.0/20", account=OTHER, region="us-east-1")
    pcx = ec2.create_vpc_peering_connection(
        VpcId=default_vpc(ec2), PeerVpcId=theirs, PeerOwnerId=OTHER, PeerRegion="us-east-1"
    )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    failed = peering(ec2, pcx)
    assert failed["Status"] == {
        "Code": "failed",
        "Message": "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range",
    }
    assert other.describe_vpc_peering_connections()["VpcPeeringConnections"] == []
    assert_error(
        ec2.delete_vpc_peering_connection,
        "InvalidStateTransition",
        message="from failed to deleting",
        VpcPeeringConnectionId=pcx,
    )
    # a failed request is shown to the requester for two hours
    env.clock.advance(2 * 3600 + 1)
    assert ec2.describe_vpc_peering_connections()["VpcPeeringConnections"] == []


def test_a_peer_vpc_that_does_not_exist_fails(env, ec2):
    pcx = ec2.create_vpc_peering_connection(
        VpcId=default_vpc(ec2), PeerVpcId="vpc-0123456789abcdef0", PeerOwnerId=OTHER
    )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    assert status(ec2, pcx) == "failed"


def test_create_refusals(env, ec2):
    local = default_vpc(ec2)
    assert_error(
        ec2.create_vpc_peering_connection,
        "InvalidVpcID.NotFound",
        VpcId="vpc-0123456789abcdef0",
        PeerVpcId=local,
    )
    assert_error(ec2.create_vpc_peering_connection, "MissingParameter", VpcId=local)
    assert_error(
        ec2.create_vpc_peering_connection,
        "InvalidParameterValue",
        VpcId=local,
        PeerVpcId=local,
        PeerOwnerId="nope",
    )
    assert_error(
        ec2.create_vpc_peering_connection,
        "InvalidParameterValue",
        VpcId=local,
        PeerVpcId=local,
        PeerRegion="mars-north-1",
    )
    assert_error(
        ec2.create_vpc_peering_connection,
        "InvalidParameterValue",
        VpcId=local,
        PeerVpcId=local,
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "a", "Value": "b"}]}],
    )
    peer = make_vpc(env, "10.0.0.0/16")
    ec2.create_vpc_peering_connection(VpcId=local, PeerVpcId=peer)
    assert_error(
        ec2.create_vpc_peering_connection,
        "VpcPeeringConnectionAlreadyExists",
        VpcId=local,
        PeerVpcId=peer,
    )
    assert_error(
        ec2.create_vpc_peering_connection,
        "DryRunOperation",
        status=412,
        VpcId=local,
        PeerVpcId=make_vpc(env, "10.9.0.0/16"),
        DryRun=True,
    )
    assert len(ec2.describe_vpc_peering_connections()["VpcPeeringConnections"]) == 1


def test_reject(env, ec2, other, cross):
    pcx = cross["pcx"]
    assert_error(
        ec2.reject_vpc_peering_connection,
        "OperationNotPermitted",
        VpcPeeringConnectionId=pcx,
    )
    assert_error(
        other.delete_vpc_peering_connection,
        "OperationNotPermitted",
        VpcPeeringConnectionId=pcx,
    )
    assert_error(
        other.reject_vpc_peering_connection,
        "DryRunOperation",
        status=412,
        VpcPeeringConnectionId=pcx,
        DryRun=True,
    )
    assert other.reject_vpc_peering_connection(VpcPeeringConnectionId=pcx)["Return"] is True
    assert peering(ec2, pcx)["Status"] == {"Code": "rejected", "Message": f"Rejected by {OTHER}"}
    assert_error(
        other.accept_vpc_peering_connection,
        "InvalidStateTransition",
        message="from rejected to active",
        VpcPeeringConnectionId=pcx,
    )
    assert_error(
        ec2.delete_vpc_peering_connection,
        "InvalidStateTransition",
        message="from rejected to deleting",
        VpcPeeringConnectionId=pcx,
    )
    # the accepter sees a rejection for 2 hours, the requester for 2 days
    env.clock.advance(3 * 3600)
    assert other.describe_vpc_peering_connections()["VpcPeeringConnections"] == []
    assert status(ec2, pcx) == "rejected"


def test_delete_from_either_side(env, ec2, other, cross):
    pcx = cross["pcx"]
    other.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    assert_error(
        other.delete_vpc_peering_connection,
        "DryRunOperation",
        status=412,
        VpcPeeringConnectionId=pcx,
        DryRun=True,
    )
    assert status(ec2, pcx) == "active"
    assert other.delete_vpc_peering_connection(VpcPeeringConnectionId=pcx)["Return"] is True
    ec2.get_waiter("vpc_peering_connection_deleted").wait(
        VpcPeeringConnectionIds=[pcx], WaiterConfig=WAITER
    )
    gone = peering(ec2, pcx)
    assert gone["Status"] == {"Code": "deleted", "Message": f"Deleted by {OTHER}"}
    assert_error(
        ec2.delete_vpc_peering_connection,
        "InvalidStateTransition",
        VpcPeeringConnectionId=pcx,
    )
    # the requester may withdraw its own pending request
    again = ec2.create_vpc_peering_connection(
        VpcId=cross["mine"], PeerVpcId=cross["theirs"], PeerOwnerId=OTHER, PeerRegion="us-east-1"
    )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=again)
    assert status(ec2, again) == "deleted"


def test_unaccepted_requests_expire_after_seven_days(env, ec2, other, cross):
    pcx = cross["pcx"]
    env.clock.advance(7 * 86400 - 60)
    assert status(other, pcx) == "pending-acceptance"
    env.clock.advance(120)
    assert status(other, pcx) == "expired"
    assert status(ec2, pcx) == "expired"
    assert_error(
        other.accept_vpc_peering_connection,
        "InvalidStateTransition",
        message="from expired to active",
        VpcPeeringConnectionId=pcx,
    )


def test_modify_options_each_side_its_own(env, ec2, other, cross):
    pcx = cross["pcx"]
    dns = {"AllowDnsResolutionFromRemoteVpc": True}
    assert_error(
        other.modify_vpc_peering_connection_options,
        "OperationNotPermitted",
        message="is not active",
        VpcPeeringConnectionId=pcx,
        AccepterPeeringConnectionOptions=dns,
    )
    other.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    assert_error(
        ec2.modify_vpc_peering_connection_options,
        "OperationNotPermitted",
        message="modify the accepter side peering options",
        VpcPeeringConnectionId=pcx,
        AccepterPeeringConnectionOptions=dns,
    )
    assert_error(
        other.modify_vpc_peering_connection_options,
        "OperationNotPermitted",
        message="modify the requester side peering options",
        VpcPeeringConnectionId=pcx,
        RequesterPeeringConnectionOptions=dns,
    )
    assert_error(
        ec2.modify_vpc_peering_connection_options,
        "DryRunOperation",
        status=412,
        VpcPeeringConnectionId=pcx,
        RequesterPeeringConnectionOptions=dns,
        DryRun=True,
    )
    answer = ec2.modify_vpc_peering_connection_options(
        VpcPeeringConnectionId=pcx, RequesterPeeringConnectionOptions=dns
    )
    assert answer["RequesterPeeringConnectionOptions"]["AllowDnsResolutionFromRemoteVpc"] is True
    assert "AccepterPeeringConnectionOptions" not in answer
    seen = peering(other, pcx)
    assert seen["RequesterVpcInfo"]["PeeringOptions"]["AllowDnsResolutionFromRemoteVpc"] is True
    assert seen["AccepterVpcInfo"]["PeeringOptions"]["AllowDnsResolutionFromRemoteVpc"] is False


def test_multipath_resilience_is_recorded(env, ec2):
    pcx = ec2.create_vpc_peering_connection(
        VpcId=default_vpc(ec2),
        PeerVpcId=make_vpc(env, "10.0.0.0/16"),
        RequesterPeeringConnectionOptions={"AllowMultipathResilience": True},
    )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    assert peering(ec2, pcx)["MultipathResilienceStatus"] == "pending"
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    shown = peering(ec2, pcx)
    assert shown["MultipathResilienceStatus"] == "enabled"
    assert shown["RequesterVpcInfo"]["PeeringOptions"]["AllowMultipathResilience"] is True


def test_every_filter_and_paging(env, ec2, ec2_options):
    ec2_options(vpc_limit=10)
    local = default_vpc(ec2)
    owner = default_vpc_owner(ec2)
    peers = [make_vpc(env, f"10.{n}.0.0/16") for n in range(6)]
    ids = [
        ec2.create_vpc_peering_connection(
            VpcId=local,
            PeerVpcId=peer,
            TagSpecifications=[
                {"ResourceType": "vpc-peering-connection", "Tags": [{"Key": "n", "Value": str(n)}]}
            ],
        )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
        for n, peer in enumerate(peers)
    ]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=ids[0])

    def found(name, *values):
        got = ec2.describe_vpc_peering_connections(Filters=[{"Name": name, "Values": list(values)}])
        return {p["VpcPeeringConnectionId"] for p in got["VpcPeeringConnections"]}

    everything = set(ids)
    assert found("accepter-vpc-info.cidr-block", "10.0.0.0/16") == {ids[0]}
    # the accepter's CIDR is not shown (nor matched) before the connection is active
    assert found("accepter-vpc-info.cidr-block", "10.1.0.0/16") == set()
    assert found("accepter-vpc-info.owner-id", owner) == everything
    assert found("accepter-vpc-info.vpc-id", peers[2]) == {ids[2]}
    assert found("requester-vpc-info.cidr-block", "172.31.0.0/16") == everything
    assert found("requester-vpc-info.owner-id", owner) == everything
    assert found("requester-vpc-info.vpc-id", local) == everything
    assert found("status-code", "active") == {ids[0]}
    assert found("status-code", "pending-acceptance") == everything - {ids[0]}
    assert found("status-message", "Active") == {ids[0]}
    assert found("vpc-peering-connection-id", ids[3]) == {ids[3]}
    assert len(found("expiration-time", "*")) == 5
    assert found("tag:n", "4") == {ids[4]}
    assert found("tag-key", "n") == everything
    assert_error(
        ec2.describe_vpc_peering_connections,
        "InvalidParameterValue",
        Filters=[{"Name": "nope", "Values": ["x"]}],
    )

    first = ec2.describe_vpc_peering_connections(MaxResults=5)
    assert len(first["VpcPeeringConnections"]) == 5
    rest = ec2.describe_vpc_peering_connections(MaxResults=5, NextToken=first["NextToken"])
    assert len(rest["VpcPeeringConnections"]) == 1 and "NextToken" not in rest
    assert_error(ec2.describe_vpc_peering_connections, "DryRunOperation", status=412, DryRun=True)


def test_unknown_and_malformed_ids(ec2):
    assert_error(
        ec2.describe_vpc_peering_connections,
        "InvalidVpcPeeringConnectionID.NotFound",
        message="pcx-0123456789abcdef0",
        VpcPeeringConnectionIds=["pcx-0123456789abcdef0"],
    )
    assert_error(
        ec2.accept_vpc_peering_connection,
        "InvalidVpcPeeringConnectionId.Malformed",
        VpcPeeringConnectionId="nope",
    )
    assert_error(
        ec2.delete_vpc_peering_connection,
        "InvalidVpcPeeringConnectionID.NotFound",
        VpcPeeringConnectionId="pcx-0123456789abcdef0",
    )


def test_a_vpc_with_a_pending_request_from_another_account_is_in_use(env, ec2, other, cross):
    error = assert_error(other.delete_vpc, "DependencyViolation", VpcId=cross["theirs"])
    assert cross["theirs"] in error["Message"]
    other.reject_vpc_peering_connection(VpcPeeringConnectionId=cross["pcx"])
    other.delete_vpc(VpcId=cross["theirs"])
    assert_error(other.describe_vpcs, "InvalidVpcID.NotFound", VpcIds=[cross["theirs"]])


def test_deleting_a_vpc_deletes_its_live_connections(env, ec2, other, cross):
    other.accept_vpc_peering_connection(VpcPeeringConnectionId=cross["pcx"])
    ec2.delete_vpc(VpcId=cross["mine"])
    assert status(other, cross["pcx"]) == "deleted"
    assert status(ec2, cross["pcx"]) == "deleted"


def route_state(ec2: Any, vpc_id: str, destination: str) -> str:
    [table] = ec2.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"]
    [route] = [r for r in table["Routes"] if r.get("DestinationCidrBlock") == destination]
    return route["State"]


def test_a_route_through_a_connection_is_active_only_while_it_is(env, ec2, other, cross):
    """A route to a connection that is not (or no longer) active is a blackhole."""
    table = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [cross["mine"]]}])[
        "RouteTables"
    ][0]["RouteTableId"]
    ec2.create_route(
        RouteTableId=table, DestinationCidrBlock="10.2.0.0/16", VpcPeeringConnectionId=cross["pcx"]
    )
    assert route_state(ec2, cross["mine"], "10.2.0.0/16") == "blackhole"
    other.accept_vpc_peering_connection(VpcPeeringConnectionId=cross["pcx"])
    assert route_state(ec2, cross["mine"], "10.2.0.0/16") == "active"
    other.delete_vpc_peering_connection(VpcPeeringConnectionId=cross["pcx"])
    assert route_state(ec2, cross["mine"], "10.2.0.0/16") == "blackhole"
