"""Transit gateway Connect attachments and peers, multicast domains, policy tables, metering."""

from __future__ import annotations

import re
from typing import Any

import pytest
from ec2_helpers import ID17, assert_error, launch
from test_transit_gateways import attach_vpc, default_network, dry_run, new_tgw, other_account


@pytest.fixture
def connect(ec2: Any) -> dict[str, Any]:
    """A gateway with a CIDR block, a VPC attachment and a Connect attachment over it."""
    tgw = new_tgw(ec2, Options={"TransitGatewayCidrBlocks": ["10.200.0.0/24"]})
    transport = attach_vpc(ec2, tgw["TransitGatewayId"])["TransitGatewayAttachmentId"]
    created = ec2.create_transit_gateway_connect(
        TransportTransitGatewayAttachmentId=transport,
        Options={"Protocol": "gre"},
        TagSpecifications=[
            {"ResourceType": "transit-gateway-attachment", "Tags": [{"Key": "c", "Value": "1"}]}
        ],
    )["TransitGatewayConnect"]
    return {
        "tgw": tgw,
        "transport": transport,
        "created": created,
        "id": created["TransitGatewayAttachmentId"],
    }


# -- Connect attachments


def test_connect_attachment(ec2, connect):
    created = connect["created"]
    assert created["State"] == "pending"
    assert created["TransportTransitGatewayAttachmentId"] == connect["transport"]
    assert created["TransitGatewayId"] == connect["tgw"]["TransitGatewayId"]
    assert created["Options"] == {"Protocol": "gre"}
    assert created["Tags"] == [{"Key": "c", "Value": "1"}]
    [shown] = ec2.describe_transit_gateway_connects(TransitGatewayAttachmentIds=[connect["id"]])[
        "TransitGatewayConnects"
    ]
    assert shown["State"] == "available"
    [summary] = ec2.describe_transit_gateway_attachments(
        Filters=[{"Name": "resource-type", "Values": ["connect"]}]
    )["TransitGatewayAttachments"]
    assert summary["ResourceId"] == connect["transport"]

    def ids(name, value):
        found = ec2.describe_transit_gateway_connects(Filters=[{"Name": name, "Values": [value]}])
        return [c["TransitGatewayAttachmentId"] for c in found["TransitGatewayConnects"]]

    one = [connect["id"]]
    assert ids("options.protocol", "gre") == one
    assert ids("state", "available") == one
    assert ids("transit-gateway-attachment-id", connect["id"]) == one
    assert ids("transit-gateway-id", connect["tgw"]["TransitGatewayId"]) == one
    assert ids("transport-transit-gateway-attachment-id", connect["transport"]) == one
    # a VPC attachment is not a Connect attachment
    assert_error(
        ec2.describe_transit_gateway_connects,
        "InvalidTransitGatewayAttachmentID.NotFound",
        TransitGatewayAttachmentIds=[connect["transport"]],
    )
    # the transport cannot go while the Connect attachment uses it
    assert_error(
        ec2.delete_transit_gateway_vpc_attachment,
        "IncorrectState",
        TransitGatewayAttachmentId=connect["transport"],
    )
    dry_run(ec2.delete_transit_gateway_connect, TransitGatewayAttachmentId=connect["id"])
    deleted = ec2.delete_transit_gateway_connect(TransitGatewayAttachmentId=connect["id"])
    assert deleted["TransitGatewayConnect"]["State"] == "deleting"
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=connect["transport"])


def test_connect_refusals(ec2):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    transport = attach_vpc(ec2, tgw_id)["TransitGatewayAttachmentId"]
    dry_run(
        ec2.create_transit_gateway_connect,
        TransportTransitGatewayAttachmentId=transport,
        Options={"Protocol": "gre"},
    )
    assert ec2.describe_transit_gateway_connects()["TransitGatewayConnects"] == []
    assert_error(
        ec2.create_transit_gateway_connect,
        "InvalidTransitGatewayAttachmentID.NotFound",
        TransportTransitGatewayAttachmentId="tgw-attach-0123456789abcdef0",
        Options={"Protocol": "gre"},
    )


# -- Connect peers


def test_connect_peer(ec2, connect):
    asn = connect["tgw"]["Options"]["AmazonSideAsn"]
    dry_run(
        ec2.create_transit_gateway_connect_peer,
        TransitGatewayAttachmentId=connect["id"],
        PeerAddress="10.0.0.10",
        InsideCidrBlocks=["169.254.10.0/29"],
    )
    created = ec2.create_transit_gateway_connect_peer(
        TransitGatewayAttachmentId=connect["id"],
        PeerAddress="172.31.0.10",
        InsideCidrBlocks=["169.254.10.0/29", "fd00::/125"],
        BgpOptions={"PeerAsn": 65010},
        TagSpecifications=[
            {"ResourceType": "transit-gateway-connect-peer", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )["TransitGatewayConnectPeer"]
    peer_id = created["TransitGatewayConnectPeerId"]
    assert re.fullmatch(rf"tgw-connect-peer-{ID17}", peer_id)
    assert created["State"] == "pending"
    config = created["ConnectPeerConfiguration"]
    assert config["TransitGatewayAddress"] == "10.200.0.1"
    assert config["PeerAddress"] == "172.31.0.10"
    assert config["InsideCidrBlocks"] == ["169.254.10.0/29", "fd00::/125"]
    assert config["Protocol"] == "gre"
    v4 = [b for b in config["BgpConfigurations"] if "." in b["PeerAddress"]]
    assert [b["TransitGatewayAddress"] for b in v4] == ["169.254.10.1", "169.254.10.2"]
    assert {b["PeerAddress"] for b in v4} == {"169.254.10.0"}
    assert {b["TransitGatewayAsn"] for b in v4} == {asn}
    assert {b["PeerAsn"] for b in v4} == {65010}
    assert created["Tags"] == [{"Key": "k", "Value": "v"}]

    second = ec2.create_transit_gateway_connect_peer(
        TransitGatewayAttachmentId=connect["id"],
        PeerAddress="172.31.0.11",
        TransitGatewayAddress="10.200.0.77",
        InsideCidrBlocks=["169.254.20.0/29"],
    )["TransitGatewayConnectPeer"]
    assert second["ConnectPeerConfiguration"]["TransitGatewayAddress"] == "10.200.0.77"

    def ids(name, value):
        found = ec2.describe_transit_gateway_connect_peers(
            Filters=[{"Name": name, "Values": [value]}]
        )
        return {p["TransitGatewayConnectPeerId"] for p in found["TransitGatewayConnectPeers"]}

    both = {peer_id, second["TransitGatewayConnectPeerId"]}
    assert ids("state", "available") == both
    assert ids("transit-gateway-attachment-id", connect["id"]) == both
    assert ids("transit-gateway-connect-peer-id", peer_id) == {peer_id}

    # a Connect attachment with peers cannot go
    assert_error(
        ec2.delete_transit_gateway_connect,
        "IncorrectState",
        TransitGatewayAttachmentId=connect["id"],
    )
    dry_run(ec2.delete_transit_gateway_connect_peer, TransitGatewayConnectPeerId=peer_id)
    deleted = ec2.delete_transit_gateway_connect_peer(TransitGatewayConnectPeerId=peer_id)
    assert deleted["TransitGatewayConnectPeer"]["State"] == "deleting"
    assert ids("state", "deleted") == {peer_id}
    assert_error(
        ec2.delete_transit_gateway_connect_peer,
        "InvalidTransitGatewayConnectPeerID.NotFound",
        TransitGatewayConnectPeerId=peer_id,
    )


@pytest.mark.parametrize(
    ("cidrs", "address"),
    [
        (["169.254.10.0/28"], None),  # not a /29
        (["10.0.0.0/29"], None),  # not link-local
        (["169.254.0.0/29"], None),  # reserved by AWS
        (["fd00::/124"], None),  # not a /125
        (["169.254.10.0/29", "169.254.11.0/29"], None),  # two IPv4 blocks
        (["169.254.10.0/29"], "10.9.9.9"),  # not in the gateway's CIDR blocks
    ],
)
def test_connect_peer_validation(ec2, connect, cidrs, address):
    kw: dict[str, Any] = {"TransitGatewayAddress": address} if address else {}
    assert_error(
        ec2.create_transit_gateway_connect_peer,
        "InvalidParameterValue",
        TransitGatewayAttachmentId=connect["id"],
        PeerAddress="172.31.0.10",
        InsideCidrBlocks=cidrs,
        **kw,
    )


def test_connect_peer_inside_blocks_do_not_overlap(ec2, connect):
    create = ec2.create_transit_gateway_connect_peer
    create(
        TransitGatewayAttachmentId=connect["id"],
        PeerAddress="172.31.0.10",
        InsideCidrBlocks=["169.254.10.0/29"],
    )
    assert_error(
        create,
        "InvalidParameterValue",
        TransitGatewayAttachmentId=connect["id"],
        PeerAddress="172.31.0.12",
        InsideCidrBlocks=["169.254.10.0/29"],
    )


# -- multicast


@pytest.fixture
def multicast(ec2: Any) -> dict[str, Any]:
    tgw_id = new_tgw(ec2, Options={"MulticastSupport": "enable"})["TransitGatewayId"]
    _, subnets = default_network(ec2)
    attachment = attach_vpc(ec2, tgw_id, SubnetIds=subnets[:2])["TransitGatewayAttachmentId"]
    domain = ec2.create_transit_gateway_multicast_domain(
        TransitGatewayId=tgw_id,
        Options={"Igmpv2Support": "enable", "StaticSourcesSupport": "enable"},
        TagSpecifications=[
            {
                "ResourceType": "transit-gateway-multicast-domain",
                "Tags": [{"Key": "m", "Value": "1"}],
            }
        ],
    )["TransitGatewayMulticastDomain"]
    return {
        "tgw": tgw_id,
        "attachment": attachment,
        "subnets": subnets,
        "domain": domain,
        "id": domain["TransitGatewayMulticastDomainId"],
    }


def test_multicast_domain_dry_run(ec2):
    tgw_id = new_tgw(ec2, Options={"MulticastSupport": "enable"})["TransitGatewayId"]
    dry_run(ec2.create_transit_gateway_multicast_domain, TransitGatewayId=tgw_id)
    assert ec2.describe_transit_gateway_multicast_domains()["TransitGatewayMulticastDomains"] == []


def test_multicast_domain(ec2, multicast):
    domain = multicast["domain"]
    domain_id = multicast["id"]
    assert re.fullmatch(rf"tgw-mcast-domain-{ID17}", domain_id)
    assert domain["State"] == "pending"
    assert domain["Options"] == {
        "Igmpv2Support": "enable",
        "StaticSourcesSupport": "enable",
        "AutoAcceptSharedAssociations": "disable",
    }
    assert domain["TransitGatewayMulticastDomainArn"].endswith(
        f":transit-gateway-multicast-domain/{domain_id}"
    )
    assert domain["Tags"] == [{"Key": "m", "Value": "1"}]

    def ids(name, value):
        found = ec2.describe_transit_gateway_multicast_domains(
            Filters=[{"Name": name, "Values": [value]}]
        )["TransitGatewayMulticastDomains"]
        return [d["TransitGatewayMulticastDomainId"] for d in found]

    assert ids("state", "available") == [domain_id]
    assert ids("transit-gateway-id", multicast["tgw"]) == [domain_id]
    assert ids("transit-gateway-multicast-domain-id", domain_id) == [domain_id]
    assert_error(ec2.delete_transit_gateway, "IncorrectState", TransitGatewayId=multicast["tgw"])


def test_multicast_needs_multicast_support(ec2):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    assert_error(
        ec2.create_transit_gateway_multicast_domain,
        "InvalidParameterValue",
        TransitGatewayId=tgw_id,
    )
    assert ec2.describe_transit_gateway_multicast_domains()["TransitGatewayMulticastDomains"] == []


def test_multicast_associations_and_groups(ec2, multicast):
    domain_id, attachment, subnets = multicast["id"], multicast["attachment"], multicast["subnets"]
    vpc_id, _ = default_network(ec2)
    dry_run(
        ec2.associate_transit_gateway_multicast_domain,
        TransitGatewayMulticastDomainId=domain_id,
        TransitGatewayAttachmentId=attachment,
        SubnetIds=subnets[:1],
    )
    made = ec2.associate_transit_gateway_multicast_domain(
        TransitGatewayMulticastDomainId=domain_id,
        TransitGatewayAttachmentId=attachment,
        SubnetIds=subnets[:2],
    )["Associations"]
    assert made["ResourceId"] == vpc_id
    assert made["ResourceType"] == "vpc"
    assert [s["State"] for s in made["Subnets"]] == ["associating", "associating"]
    assert_error(
        ec2.associate_transit_gateway_multicast_domain,
        "InvalidParameterValue",
        TransitGatewayMulticastDomainId=domain_id,
        TransitGatewayAttachmentId=attachment,
        SubnetIds=[subnets[2]],
    )

    def associations(name=None, value=None):
        kw = {"Filters": [{"Name": name, "Values": [value]}]} if name else {}
        return ec2.get_transit_gateway_multicast_domain_associations(
            TransitGatewayMulticastDomainId=domain_id, **kw
        )["MulticastDomainAssociations"]

    assert [a["Subnet"] for a in associations()] == [
        {"SubnetId": subnets[0], "State": "associated"},
        {"SubnetId": subnets[1], "State": "associated"},
    ]
    assert len(associations("resource-id", vpc_id)) == 2
    assert len(associations("resource-type", "vpc")) == 2
    assert len(associations("state", "associated")) == 2
    assert len(associations("subnet-id", subnets[1])) == 1
    assert len(associations("transit-gateway-attachment-id", attachment)) == 2

    [member, source] = launch(ec2, 2, SubnetId=subnets[0])
    member_eni = member["NetworkInterfaces"][0]["NetworkInterfaceId"]
    source_eni = source["NetworkInterfaces"][0]["NetworkInterfaceId"]
    dry_run(
        ec2.register_transit_gateway_multicast_group_members,
        TransitGatewayMulticastDomainId=domain_id,
        GroupIpAddress="224.0.0.10",
        NetworkInterfaceIds=[member_eni],
    )
    registered = ec2.register_transit_gateway_multicast_group_members(
        TransitGatewayMulticastDomainId=domain_id,
        GroupIpAddress="224.0.0.10",
        NetworkInterfaceIds=[member_eni],
    )["RegisteredMulticastGroupMembers"]
    assert registered["RegisteredNetworkInterfaceIds"] == [member_eni]
    dry_run(
        ec2.register_transit_gateway_multicast_group_sources,
        TransitGatewayMulticastDomainId=domain_id,
        GroupIpAddress="224.0.0.10",
        NetworkInterfaceIds=[source_eni],
    )
    ec2.register_transit_gateway_multicast_group_sources(
        TransitGatewayMulticastDomainId=domain_id,
        GroupIpAddress="224.0.0.10",
        NetworkInterfaceIds=[source_eni],
    )
    assert_error(
        ec2.register_transit_gateway_multicast_group_members,
        "InvalidParameterValue",
        TransitGatewayMulticastDomainId=domain_id,
        GroupIpAddress="10.0.0.1",
        NetworkInterfaceIds=[member_eni],
    )
    assert_error(
        ec2.register_transit_gateway_multicast_group_members,
        "InvalidNetworkInterfaceID.NotFound",
        TransitGatewayMulticastDomainId=domain_id,
        GroupIpAddress="224.0.0.10",
        NetworkInterfaceIds=["eni-0123456789abcdef0"],
    )

    def groups(name=None, value=None):
        kw = {"Filters": [{"Name": name, "Values": [value]}]} if name else {}
        return ec2.search_transit_gateway_multicast_groups(
            TransitGatewayMulticastDomainId=domain_id, **kw
        )["MulticastGroups"]

    rows = groups()
    assert {(g["NetworkInterfaceId"], g["GroupMember"], g["GroupSource"]) for g in rows} == {
        (member_eni, True, False),
        (source_eni, False, True),
    }
    [row] = groups("is-group-member", "true")
    assert row == {
        "GroupIpAddress": "224.0.0.10",
        "TransitGatewayAttachmentId": attachment,
        "SubnetId": subnets[0],
        "ResourceId": vpc_id,
        "ResourceType": "vpc",
        "ResourceOwnerId": row["ResourceOwnerId"],
        "NetworkInterfaceId": member_eni,
        "GroupMember": True,
        "GroupSource": False,
        "MemberType": "static",
    }
    assert len(groups("group-ip-address", "224.0.0.10")) == 2
    assert [g["NetworkInterfaceId"] for g in groups("is-group-source", "true")] == [source_eni]
    assert len(groups("member-type", "static")) == 1
    assert len(groups("source-type", "static")) == 1
    assert len(groups("resource-id", vpc_id)) == 2
    assert len(groups("resource-type", "vpc")) == 2
    assert len(groups("subnet-id", subnets[0])) == 2
    assert len(groups("transit-gateway-attachment-id", attachment)) == 2

    dry_run(
        ec2.deregister_transit_gateway_multicast_group_members,
        TransitGatewayMulticastDomainId=domain_id,
        GroupIpAddress="224.0.0.10",
        NetworkInterfaceIds=[member_eni],
    )
    gone = ec2.deregister_transit_gateway_multicast_group_members(
        TransitGatewayMulticastDomainId=domain_id,
        GroupIpAddress="224.0.0.10",
        NetworkInterfaceIds=[member_eni],
    )["DeregisteredMulticastGroupMembers"]
    assert gone["DeregisteredNetworkInterfaceIds"] == [member_eni]
    dry_run(
        ec2.deregister_transit_gateway_multicast_group_sources,
        TransitGatewayMulticastDomainId=domain_id,
        GroupIpAddress="224.0.0.10",
        NetworkInterfaceIds=[source_eni],
    )
    ec2.deregister_transit_gateway_multicast_group_sources(
        TransitGatewayMulticastDomainId=domain_id,
        GroupIpAddress="224.0.0.10",
        NetworkInterfaceIds=[source_eni],
    )
    assert groups() == []

    assert_error(
        ec2.delete_transit_gateway_multicast_domain,
        "IncorrectState",
        TransitGatewayMulticastDomainId=domain_id,
    )
    dry_run(
        ec2.disassociate_transit_gateway_multicast_domain,
        TransitGatewayMulticastDomainId=domain_id,
        TransitGatewayAttachmentId=attachment,
        SubnetIds=subnets[:2],
    )
    out = ec2.disassociate_transit_gateway_multicast_domain(
        TransitGatewayMulticastDomainId=domain_id,
        TransitGatewayAttachmentId=attachment,
        SubnetIds=subnets[:2],
    )["Associations"]
    assert {s["State"] for s in out["Subnets"]} == {"disassociating"}
    assert associations() == []
    assert_error(
        ec2.disassociate_transit_gateway_multicast_domain,
        "InvalidAssociation.NotFound",
        TransitGatewayMulticastDomainId=domain_id,
        TransitGatewayAttachmentId=attachment,
        SubnetIds=subnets[:1],
    )
    dry_run(ec2.delete_transit_gateway_multicast_domain, TransitGatewayMulticastDomainId=domain_id)
    deleted = ec2.delete_transit_gateway_multicast_domain(
        TransitGatewayMulticastDomainId=domain_id
    )["TransitGatewayMulticastDomain"]
    assert deleted["State"] == "deleting"


def test_cross_account_multicast_association_needs_acceptance(env, ec2):
    tgw_id = new_tgw(
        ec2, Options={"MulticastSupport": "enable", "AutoAcceptSharedAttachments": "enable"}
    )["TransitGatewayId"]
    domain_id = ec2.create_transit_gateway_multicast_domain(TransitGatewayId=tgw_id)[
        "TransitGatewayMulticastDomain"
    ]["TransitGatewayMulticastDomainId"]
    other = other_account(env)
    _, subnets = default_network(other)
    attachment = attach_vpc(other, tgw_id)["TransitGatewayAttachmentId"]
    ec2.describe_transit_gateway_attachments()
    made = ec2.associate_transit_gateway_multicast_domain(
        TransitGatewayMulticastDomainId=domain_id,
        TransitGatewayAttachmentId=attachment,
        SubnetIds=subnets[:1],
    )["Associations"]
    assert made["Subnets"][0]["State"] == "pendingAcceptance"
    assert_error(
        other.accept_transit_gateway_multicast_domain_associations,
        "InvalidTransitGatewayMulticastDomainId.NotFound",
        TransitGatewayMulticastDomainId=domain_id,
        TransitGatewayAttachmentId=attachment,
    )
    dry_run(
        ec2.accept_transit_gateway_multicast_domain_associations,
        TransitGatewayMulticastDomainId=domain_id,
        TransitGatewayAttachmentId=attachment,
    )
    accepted = ec2.accept_transit_gateway_multicast_domain_associations(
        TransitGatewayMulticastDomainId=domain_id,
        TransitGatewayAttachmentId=attachment,
        SubnetIds=subnets[:1],
    )["Associations"]
    assert accepted["Subnets"][0]["State"] == "associating"
    [row] = ec2.get_transit_gateway_multicast_domain_associations(
        TransitGatewayMulticastDomainId=domain_id
    )["MulticastDomainAssociations"]
    assert row["Subnet"]["State"] == "associated"
    assert_error(
        ec2.reject_transit_gateway_multicast_domain_associations,
        "IncorrectState",
        TransitGatewayMulticastDomainId=domain_id,
        TransitGatewayAttachmentId=attachment,
    )


def test_reject_multicast_association(env, ec2):
    tgw_id = new_tgw(
        ec2, Options={"MulticastSupport": "enable", "AutoAcceptSharedAttachments": "enable"}
    )["TransitGatewayId"]
    domain_id = ec2.create_transit_gateway_multicast_domain(TransitGatewayId=tgw_id)[
        "TransitGatewayMulticastDomain"
    ]["TransitGatewayMulticastDomainId"]
    other = other_account(env)
    _, subnets = default_network(other)
    attachment = attach_vpc(other, tgw_id)["TransitGatewayAttachmentId"]
    ec2.associate_transit_gateway_multicast_domain(
        TransitGatewayMulticastDomainId=domain_id,
        TransitGatewayAttachmentId=attachment,
        SubnetIds=subnets[:1],
    )
    dry_run(
        ec2.reject_transit_gateway_multicast_domain_associations,
        TransitGatewayMulticastDomainId=domain_id,
        TransitGatewayAttachmentId=attachment,
    )
    rejected = ec2.reject_transit_gateway_multicast_domain_associations(
        TransitGatewayMulticastDomainId=domain_id, TransitGatewayAttachmentId=attachment
    )["Associations"]
    assert rejected["Subnets"][0]["State"] == "rejected"
    assert (
        ec2.get_transit_gateway_multicast_domain_associations(
            TransitGatewayMulticastDomainId=domain_id
        )["MulticastDomainAssociations"]
        == []
    )


# -- policy tables


def test_policy_tables(ec2):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    attachment = attach_vpc(ec2, tgw_id)["TransitGatewayAttachmentId"]
    route_table = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw_id)[
        "TransitGatewayRouteTable"
    ]["TransitGatewayRouteTableId"]
    dry_run(ec2.create_transit_gateway_policy_table, TransitGatewayId=tgw_id)
    created = ec2.create_transit_gateway_policy_table(
        TransitGatewayId=tgw_id,
        TagSpecifications=[
            {"ResourceType": "transit-gateway-policy-table", "Tags": [{"Key": "p", "Value": "t"}]}
        ],
    )["TransitGatewayPolicyTable"]
    table = created["TransitGatewayPolicyTableId"]
    assert re.fullmatch(rf"tgw-ptb-{ID17}", table)
    assert created["State"] == "pending"
    [shown] = ec2.describe_transit_gateway_policy_tables(TransitGatewayPolicyTableIds=[table])[
        "TransitGatewayPolicyTables"
    ]
    assert shown["State"] == "available"
    assert shown["Tags"] == [{"Key": "p", "Value": "t"}]

    # the attachment is in the default route table already
    assert_error(
        ec2.associate_transit_gateway_policy_table,
        "Resource.AlreadyAssociated",
        TransitGatewayPolicyTableId=table,
        TransitGatewayAttachmentId=attachment,
    )
    default = ec2.describe_transit_gateways()["TransitGateways"][0]["Options"][
        "AssociationDefaultRouteTableId"
    ]
    ec2.disassociate_transit_gateway_route_table(
        TransitGatewayRouteTableId=default, TransitGatewayAttachmentId=attachment
    )
    dry_run(
        ec2.associate_transit_gateway_policy_table,
        TransitGatewayPolicyTableId=table,
        TransitGatewayAttachmentId=attachment,
    )
    made = ec2.associate_transit_gateway_policy_table(
        TransitGatewayPolicyTableId=table, TransitGatewayAttachmentId=attachment
    )["Association"]
    assert made["State"] == "associating"
    [row] = ec2.get_transit_gateway_policy_table_associations(TransitGatewayPolicyTableId=table)[
        "Associations"
    ]
    assert row["TransitGatewayAttachmentId"] == attachment
    assert row["State"] == "associated"
    [summary] = ec2.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
    assert summary["Association"]["TransitGatewayPolicyTableId"] == table

    dry_run(
        ec2.create_transit_gateway_policy_table_entry,
        TransitGatewayPolicyTableId=table,
        PolicyRuleNumber="10",
        TargetRouteTableId=route_table,
    )
    entry = ec2.create_transit_gateway_policy_table_entry(
        TransitGatewayPolicyTableId=table,
        PolicyRuleNumber="10",
        TargetRouteTableId=route_table,
        PolicyRule={
            "SourceCidrBlock": "10.0.0.0/8",
            "DestinationCidrBlock": "192.168.0.0/16",
            "Protocol": "6",
            "SourcePortRange": "1-65535",
            "DestinationPortRange": "443",
            "MetaData": {"MetaDataKey": "k", "MetaDataValue": "v"},
        },
    )["TransitGatewayPolicyTableEntry"]
    assert entry["PolicyRuleNumber"] == "10"
    assert entry["State"] == "active"
    assert entry["PolicyRule"]["MetaData"] == {"MetaDataKey": "k", "MetaDataValue": "v"}
    assert_error(
        ec2.create_transit_gateway_policy_table_entry,
        "InvalidPolicyTableEntry.Duplicate",
        TransitGatewayPolicyTableId=table,
        PolicyRuleNumber="10",
        TargetRouteTableId=route_table,
    )
    ec2.create_transit_gateway_policy_table_entry(
        TransitGatewayPolicyTableId=table,
        PolicyRuleNumber="20",
        TargetRouteTableId=route_table,
        PolicyRule={"Protocol": "17"},
    )

    def numbers(name, value):
        return [
            e["PolicyRuleNumber"]
            for e in ec2.get_transit_gateway_policy_table_entries(
                TransitGatewayPolicyTableId=table, Filters=[{"Name": name, "Values": [value]}]
            )["TransitGatewayPolicyTableEntries"]
        ]

    assert numbers("policy-rule-number", "20") == ["20"]
    assert numbers("policy-rule.destination-ip", "192.168.0.0/16") == ["10"]
    assert numbers("policy-rule.destination-port", "443") == ["10"]
    assert numbers("policy-rule.meta-data.key", "k") == ["10"]
    assert numbers("policy-rule.meta-data.value", "v") == ["10"]
    assert numbers("policy-rule.protocol", "17") == ["20"]
    assert numbers("policy-rule.source-ip", "10.0.0.0/8") == ["10"]
    assert numbers("policy-rule.source-port", "1-65535") == ["10"]
    assert numbers("target-route-table-id", route_table) == ["10", "20"]

    dry_run(
        ec2.modify_transit_gateway_policy_table_entry,
        TransitGatewayPolicyTableId=table,
        PolicyRuleNumber="20",
        PolicyRule={"Protocol": "6"},
    )
    modified = ec2.modify_transit_gateway_policy_table_entry(
        TransitGatewayPolicyTableId=table, PolicyRuleNumber="20", PolicyRule={"Protocol": "6"}
    )["TransitGatewayPolicyTableEntry"]
    assert modified["PolicyRule"] == {"Protocol": "6"}
    assert_error(
        ec2.delete_transit_gateway_route_table,
        "IncorrectState",
        TransitGatewayRouteTableId=route_table,
    )
    dry_run(
        ec2.delete_transit_gateway_policy_table_entry,
        TransitGatewayPolicyTableId=table,
        PolicyRuleNumber="20",
    )
    deleted = ec2.delete_transit_gateway_policy_table_entry(
        TransitGatewayPolicyTableId=table, PolicyRuleNumber="20"
    )["TransitGatewayPolicyTableEntry"]
    assert deleted["State"] == "deleted"
    assert_error(
        ec2.delete_transit_gateway_policy_table_entry,
        "InvalidPolicyTableEntry.NotFound",
        TransitGatewayPolicyTableId=table,
        PolicyRuleNumber="20",
    )

    assert_error(
        ec2.delete_transit_gateway_policy_table,
        "IncorrectState",
        TransitGatewayPolicyTableId=table,
    )
    dry_run(
        ec2.disassociate_transit_gateway_policy_table,
        TransitGatewayPolicyTableId=table,
        TransitGatewayAttachmentId=attachment,
    )
    ec2.disassociate_transit_gateway_policy_table(
        TransitGatewayPolicyTableId=table, TransitGatewayAttachmentId=attachment
    )
    assert_error(
        ec2.disassociate_transit_gateway_policy_table,
        "InvalidAssociation.NotFound",
        TransitGatewayPolicyTableId=table,
        TransitGatewayAttachmentId=attachment,
    )
    dry_run(ec2.delete_transit_gateway_policy_table, TransitGatewayPolicyTableId=table)
    gone = ec2.delete_transit_gateway_policy_table(TransitGatewayPolicyTableId=table)
    assert gone["TransitGatewayPolicyTable"]["State"] == "deleting"


# -- metering policies


def test_metering_policies(ec2):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    attachment = attach_vpc(ec2, tgw_id)["TransitGatewayAttachmentId"]
    dry_run(ec2.create_transit_gateway_metering_policy, TransitGatewayId=tgw_id)
    created = ec2.create_transit_gateway_metering_policy(
        TransitGatewayId=tgw_id,
        TagSpecifications=[
            {
                "ResourceType": "transit-gateway-metering-policy",
                "Tags": [{"Key": "m", "Value": "p"}],
            }
        ],
    )["TransitGatewayMeteringPolicy"]
    policy = created["TransitGatewayMeteringPolicyId"]
    assert re.fullmatch(rf"tgw-mp-{ID17}", policy)
    assert created["MiddleboxAttachmentIds"] == []
    assert created["State"] == "pending"
    assert_error(
        ec2.create_transit_gateway_metering_policy,
        "InvalidTransitGatewayAttachmentID.NotFound",
        TransitGatewayId=tgw_id,
        MiddleboxAttachmentIds=["tgw-attach-0123456789abcdef0"],
    )

    dry_run(
        ec2.modify_transit_gateway_metering_policy,
        TransitGatewayMeteringPolicyId=policy,
        AddMiddleboxAttachmentIds=[attachment],
    )
    modified = ec2.modify_transit_gateway_metering_policy(
        TransitGatewayMeteringPolicyId=policy, AddMiddleboxAttachmentIds=[attachment]
    )["TransitGatewayMeteringPolicy"]
    assert modified["MiddleboxAttachmentIds"] == [attachment]
    [shown] = ec2.describe_transit_gateway_metering_policies(
        TransitGatewayMeteringPolicyIds=[policy]
    )["TransitGatewayMeteringPolicies"]
    assert shown["State"] == "available"
    assert shown["Tags"] == [{"Key": "m", "Value": "p"}]

    dry_run(
        ec2.create_transit_gateway_metering_policy_entry,
        TransitGatewayMeteringPolicyId=policy,
        PolicyRuleNumber=100,
        MeteredAccount="source-attachment-owner",
    )
    entry = ec2.create_transit_gateway_metering_policy_entry(
        TransitGatewayMeteringPolicyId=policy,
        PolicyRuleNumber=100,
        MeteredAccount="destination-attachment-owner",
        SourceTransitGatewayAttachmentId=attachment,
        SourceTransitGatewayAttachmentType="vpc",
        SourceCidrBlock="10.0.0.0/8",
        SourcePortRange="0-65535",
        DestinationCidrBlock="0.0.0.0/0",
        DestinationPortRange="443",
        DestinationTransitGatewayAttachmentType="vpc",
        Protocol="6",
    )["TransitGatewayMeteringPolicyEntry"]
    assert entry["PolicyRuleNumber"] == "100"
    assert entry["MeteredAccount"] == "destination-attachment-owner"
    assert entry["MeteringPolicyRule"]["SourceTransitGatewayAttachmentId"] == attachment
    assert entry["MeteringPolicyRule"]["DestinationPortRange"] == "443"
    assert_error(
        ec2.create_transit_gateway_metering_policy_entry,
        "InvalidMeteringPolicyEntry.Duplicate",
        TransitGatewayMeteringPolicyId=policy,
        PolicyRuleNumber=100,
        MeteredAccount="transit-gateway-owner",
    )
    [listed] = ec2.get_transit_gateway_metering_policy_entries(
        TransitGatewayMeteringPolicyId=policy
    )["TransitGatewayMeteringPolicyEntries"]
    assert listed["PolicyRuleNumber"] == "100"
    dry_run(
        ec2.delete_transit_gateway_metering_policy_entry,
        TransitGatewayMeteringPolicyId=policy,
        PolicyRuleNumber=100,
    )
    deleted = ec2.delete_transit_gateway_metering_policy_entry(
        TransitGatewayMeteringPolicyId=policy, PolicyRuleNumber=100
    )["TransitGatewayMeteringPolicyEntry"]
    assert deleted["State"] == "deleted"
    assert_error(
        ec2.delete_transit_gateway_metering_policy_entry,
        "InvalidMeteringPolicyEntry.NotFound",
        TransitGatewayMeteringPolicyId=policy,
        PolicyRuleNumber=100,
    )
    ec2.modify_transit_gateway_metering_policy(
        TransitGatewayMeteringPolicyId=policy, RemoveMiddleboxAttachmentIds=[attachment]
    )
    dry_run(ec2.delete_transit_gateway_metering_policy, TransitGatewayMeteringPolicyId=policy)
    gone = ec2.delete_transit_gateway_metering_policy(TransitGatewayMeteringPolicyId=policy)
    assert gone["TransitGatewayMeteringPolicy"]["State"] == "deleting"
    assert_error(
        ec2.describe_transit_gateway_metering_policies,
        "InvalidTransitGatewayMeteringPolicyId.Malformed",
        TransitGatewayMeteringPolicyIds=["tgw-mp-nope"],
    )


# -- network function attachments

GWLB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/gwy/appliances/0123456789abcdef"


def gwlb_service(ec2: Any) -> tuple[str, str]:
    """A Gateway Load Balancer endpoint service of this account: (name, id)."""
    config = ec2.create_vpc_endpoint_service_configuration(
        GatewayLoadBalancerArns=[GWLB_ARN], AcceptanceRequired=False
    )["ServiceConfiguration"]
    return config["ServiceName"], config["ServiceId"]


def test_network_function_attachment(ec2):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    SERVICE, service_id = gwlb_service(ec2)
    dry_run(
        ec2.create_transit_gateway_network_function_attachment,
        TransitGatewayId=tgw_id,
        ServiceName=SERVICE,
        AvailabilityZones=["eu-west-1a"],
    )
    created = ec2.create_transit_gateway_network_function_attachment(
        TransitGatewayId=tgw_id,
        ServiceName=SERVICE,
        AvailabilityZones=["eu-west-1a"],
        AvailabilityZoneIds=["euw1-az2"],
        TagSpecifications=[
            {"ResourceType": "transit-gateway-attachment", "Tags": [{"Key": "n", "Value": "f"}]}
        ],
    )["TransitGatewayNetworkFunctionAttachment"]
    attachment = created["TransitGatewayAttachmentId"]
    assert created["AvailabilityZones"] == ["eu-west-1a", "eu-west-1b"]
    assert created["AvailabilityZoneIds"] == ["euw1-az1", "euw1-az2"]
    assert created["ResourceId"] == service_id
    assert created["State"] == "pending"
    assert created["Tags"] == [{"Key": "n", "Value": "f"}]

    def ids(name, value):
        found = ec2.describe_transit_gateway_network_function_attachments(
            Filters=[{"Name": name, "Values": [value]}]
        )["TransitGatewayNetworkFunctionAttachments"]
        return [a["TransitGatewayAttachmentId"] for a in found]

    assert ids("service-name", SERVICE) == [attachment]
    assert ids("state", "available") == [attachment]
    assert ids("transit-gateway-attachment-id", attachment) == [attachment]
    assert ids("transit-gateway-id", tgw_id) == [attachment]
    [summary] = ec2.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
    assert summary["ResourceType"] == "network-function"
    assert_error(
        ec2.create_transit_gateway_network_function_attachment,
        "DuplicateTransitGatewayAttachment",
        TransitGatewayId=tgw_id,
        ServiceName=SERVICE,
        AvailabilityZones=["eu-west-1c"],
    )

    dry_run(
        ec2.modify_transit_gateway_network_function_attachment,
        TransitGatewayAttachmentId=attachment,
        AddAvailabilityZones=["eu-west-1c"],
    )
    modified = ec2.modify_transit_gateway_network_function_attachment(
        TransitGatewayAttachmentId=attachment,
        AddAvailabilityZoneIds=["euw1-az3"],
        RemoveAvailabilityZones=["eu-west-1a"],
    )["TransitGatewayNetworkFunctionAttachment"]
    assert modified["State"] == "modifying"
    assert modified["AvailabilityZones"] == ["eu-west-1b", "eu-west-1c"]
    modify = ec2.modify_transit_gateway_network_function_attachment
    assert_error(
        modify,
        "InvalidParameterValue",
        TransitGatewayAttachmentId=attachment,
        RemoveAvailabilityZones=["eu-west-1a"],
    )
    assert_error(
        modify,
        "InvalidParameterValue",
        TransitGatewayAttachmentId=attachment,
        RemoveAvailabilityZones=["eu-west-1b", "eu-west-1c"],
    )
    assert_error(modify, "MissingParameter", TransitGatewayAttachmentId=attachment)

    dry_run(
        ec2.delete_transit_gateway_network_function_attachment,
        TransitGatewayAttachmentId=attachment,
    )
    deleted = ec2.delete_transit_gateway_network_function_attachment(
        TransitGatewayAttachmentId=attachment
    )["TransitGatewayNetworkFunctionAttachment"]
    assert deleted["State"] == "deleting"


def test_network_function_refusals(ec2):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    SERVICE, _ = gwlb_service(ec2)
    create = ec2.create_transit_gateway_network_function_attachment
    assert_error(
        create,
        "InvalidServiceName",
        TransitGatewayId=tgw_id,
        ServiceName="com.example",
        AvailabilityZones=["eu-west-1a"],
    )
    assert_error(
        create,
        "InvalidParameterValue",
        TransitGatewayId=tgw_id,
        ServiceName=SERVICE,
        AvailabilityZones=["us-east-1a"],
    )
    assert_error(create, "MissingParameter", TransitGatewayId=tgw_id, ServiceName=SERVICE)
    # a well-formed name of a service that does not exist
    assert_error(
        create,
        "InvalidServiceName",
        TransitGatewayId=tgw_id,
        ServiceName="com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
        AvailabilityZones=["eu-west-1a"],
    )


# -- NAT configuration


def nat_rule(number: int, match: str, nat: str) -> dict[str, Any]:
    return {"RuleNumber": number, "MatchSourceCidr": match, "NatCidr": nat}


def test_nat_configuration(ec2):
    tgw = new_tgw(ec2)
    table = tgw["Options"]["AssociationDefaultRouteTableId"]
    attachment = attach_vpc(ec2, tgw["TransitGatewayId"])["TransitGatewayAttachmentId"]
    get = ec2.get_transit_gateway_attachment_nat_configuration
    initial = get(TransitGatewayAttachmentId=attachment)
    assert initial["NatGatewaySupport"] == "disabled"
    assert initial["NatGatewayRules"] == []
    assert_error(
        ec2.modify_transit_gateway_attachment_nat_configuration,
        "InvalidParameterValue",
        TransitGatewayAttachmentId=attachment,
        NatGatewaySupport="enable",
    )
    rules = [nat_rule(10, "172.31.0.0/24", "100.64.1.0/24")]
    dry_run(
        ec2.modify_transit_gateway_attachment_nat_configuration,
        TransitGatewayAttachmentId=attachment,
        NatGatewaySupport="enable",
        NatGatewayRules=rules,
    )
    changed = ec2.modify_transit_gateway_attachment_nat_configuration(
        TransitGatewayAttachmentId=attachment, NatGatewaySupport="enable", NatGatewayRules=rules
    )
    assert changed["NatGatewaySupport"] == "enabling"
    settled = get(TransitGatewayAttachmentId=attachment)
    assert settled["NatGatewaySupport"] == "enabled"
    assert settled["NatGatewayRules"] == [
        {
            "RuleNumber": 10,
            "MatchSourceCidr": "172.31.0.0/24",
            "NatCidr": "100.64.1.0/24",
            "State": "activated",
        }
    ]
    [summary] = ec2.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
    assert summary["NatGatewaySupport"] == "enabled"
    # the gateway routes the NAT CIDR to the VPC attachment
    found = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table,
        Filters=[{"Name": "route-search.exact-match", "Values": ["100.64.1.0/24"]}],
    )["Routes"]
    assert [r["Type"] for r in found] == ["propagated"]

    ec2.modify_transit_gateway_attachment_nat_configuration(
        TransitGatewayAttachmentId=attachment,
        NatGatewaySupport="disable",
        ResetNatGatewayRules=True,
    )
    assert get(TransitGatewayAttachmentId=attachment)["NatGatewaySupport"] == "disabled"
    assert get(TransitGatewayAttachmentId=attachment)["NatGatewayRules"] == []


@pytest.mark.parametrize(
    "rules",
    [
        [nat_rule(0, "10.0.0.0/24", "100.64.0.0/24")],  # rule number out of range
        [nat_rule(1, "10.0.0.0/24", "100.64.0.0/24"), nat_rule(1, "10.0.1.0/24", "100.64.1.0/24")],
        [nat_rule(1, "224.0.0.0/24", "100.64.0.0/24")],  # multicast source
        [nat_rule(1, "10.0.0.0/24", "8.8.8.0/24")],  # NAT range not private
        [nat_rule(1, "10.0.0.0/24", "100.64.0.0/25")],  # prefix lengths differ
        [nat_rule(1, "10.0.0.0/24", "100.64.0.0/24"), nat_rule(2, "10.0.1.0/24", "100.64.0.0/24")],
    ],
)
def test_nat_rules_validated(ec2, rules):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    attachment = attach_vpc(ec2, tgw_id)["TransitGatewayAttachmentId"]
    assert_error(
        ec2.modify_transit_gateway_attachment_nat_configuration,
        "InvalidParameterValue",
        TransitGatewayAttachmentId=attachment,
        NatGatewayRules=rules,
    )


def test_nat_refusals(env, ec2):
    tgw_id = new_tgw(ec2, Options={"AutoAcceptSharedAttachments": "enable"})["TransitGatewayId"]
    attachment = attach_vpc(ec2, tgw_id)["TransitGatewayAttachmentId"]
    modify = ec2.modify_transit_gateway_attachment_nat_configuration
    assert_error(
        modify,
        "InvalidParameterCombination",
        TransitGatewayAttachmentId=attachment,
        ResetNatGatewayRules=True,
        NatGatewayRules=[nat_rule(1, "10.0.0.0/24", "100.64.0.0/24")],
    )
    assert_error(
        modify,
        "InvalidParameterValue",
        TransitGatewayAttachmentId=attachment,
        NatSystemRouteSupport="disable",
    )
    # only the gateway's owner sees or changes it
    other = other_account(env)
    theirs = attach_vpc(other, tgw_id)["TransitGatewayAttachmentId"]
    assert_error(
        other.get_transit_gateway_attachment_nat_configuration,
        "OperationNotPermitted",
        TransitGatewayAttachmentId=theirs,
    )
    [summary] = other.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
    assert "NatGatewaySupport" not in summary


def test_terminated_member_leaves_its_group(ec2, multicast):
    ec2.associate_transit_gateway_multicast_domain(
        TransitGatewayMulticastDomainId=multicast["id"],
        TransitGatewayAttachmentId=multicast["attachment"],
        SubnetIds=multicast["subnets"][:1],
    )
    [instance] = launch(ec2, SubnetId=multicast["subnets"][0])
    eni = instance["NetworkInterfaces"][0]["NetworkInterfaceId"]
    ec2.register_transit_gateway_multicast_group_members(
        TransitGatewayMulticastDomainId=multicast["id"],
        GroupIpAddress="239.1.1.1",
        NetworkInterfaceIds=[eni],
    )
    search = ec2.search_transit_gateway_multicast_groups
    assert len(search(TransitGatewayMulticastDomainId=multicast["id"])["MulticastGroups"]) == 1
    ec2.terminate_instances(InstanceIds=[instance["InstanceId"]])
    ec2.describe_instances()
    assert search(TransitGatewayMulticastDomainId=multicast["id"])["MulticastGroups"] == []
