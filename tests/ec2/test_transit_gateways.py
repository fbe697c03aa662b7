"""Transit gateways and VPC attachments: create, describe, modify, delete, accept across accounts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from ec2_helpers import ID17, assert_error

OTHER_ACCOUNT = "111122223333"


def other_account(env: Any, region: str = "eu-west-1") -> Any:
    """An EC2 client of another account (a 12-digit access key is that account)."""
    return env.client(
        "ec2", region=region, aws_access_key_id=OTHER_ACCOUNT, aws_secret_access_key="x"
    )


# -- helpers the other transit gateway test files share


def new_tgw(ec2: Any, **kw: Any) -> dict[str, Any]:
    """A transit gateway, available (the transition completes by the next request)."""
    tgw = ec2.create_transit_gateway(**kw)["TransitGateway"]
    return gateway(ec2, tgw["TransitGatewayId"])


def gateway(ec2: Any, tgw_id: str) -> dict[str, Any]:
    [found] = ec2.describe_transit_gateways(TransitGatewayIds=[tgw_id])["TransitGateways"]
    return found


def default_network(ec2: Any) -> tuple[str, list[str]]:
    """The default VPC and its subnets (one per zone)."""
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])
    return vpc["VpcId"], [s["SubnetId"] for s in subnets["Subnets"]]


def attach_vpc(ec2: Any, tgw_id: str, **kw: Any) -> dict[str, Any]:
    vpc_id, subnets = default_network(ec2)
    kw.setdefault("VpcId", vpc_id)
    kw.setdefault("SubnetIds", subnets[:1])
    return ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw_id, **kw)[
        "TransitGatewayVpcAttachment"
    ]


def vpc_attachment(ec2: Any, attachment_id: str) -> dict[str, Any]:
    [found] = ec2.describe_transit_gateway_vpc_attachments(
        TransitGatewayAttachmentIds=[attachment_id]
    )["TransitGatewayVpcAttachments"]
    return found


def dry_run(call: Any, **kw: Any) -> None:
    assert_error(call, "DryRunOperation", status=412, DryRun=True, **kw)


# -- transit gateways


def test_create_transit_gateway_defaults(ec2):
    created = ec2.create_transit_gateway(Description="core")["TransitGateway"]
    tgw_id = created["TransitGatewayId"]
    assert re.fullmatch(rf"tgw-{ID17}", tgw_id)
    assert created["State"] == "pending"
    assert created["Description"] == "core"
    account = created["OwnerId"]
    assert (
        created["TransitGatewayArn"] == f"arn:aws:ec2:eu-west-1:{account}:transit-gateway/{tgw_id}"
    )
    options = created["Options"]
    assert options["AmazonSideAsn"] == 64512
    assert options["AutoAcceptSharedAttachments"] == "disable"
    assert options["DefaultRouteTableAssociation"] == "enable"
    assert options["DefaultRouteTablePropagation"] == "enable"
    assert options["VpnEcmpSupport"] == "enable"
    assert options["DnsSupport"] == "enable"
    assert options["SecurityGroupReferencingSupport"] == "disable"
    assert options["MulticastSupport"] == "disable"
    table_id = options["AssociationDefaultRouteTableId"]
    assert re.fullmatch(rf"tgw-rtb-{ID17}", table_id)
    assert options["PropagationDefaultRouteTableId"] == table_id
    assert gateway(ec2, tgw_id)["State"] == "available"
    [table] = ec2.describe_transit_gateway_route_tables(TransitGatewayRouteTableIds=[table_id])[
        "TransitGatewayRouteTables"
    ]
    assert table["TransitGatewayId"] == tgw_id
    assert table["DefaultAssociationRouteTable"] is True
    assert table["DefaultPropagationRouteTable"] is True


def test_create_transit_gateway_options(ec2):
    tgw = new_tgw(
        ec2,
        Options={
            "AmazonSideAsn": 4200000001,
            "AutoAcceptSharedAttachments": "enable",
            "DefaultRouteTableAssociation": "disable",
            "DefaultRouteTablePropagation": "disable",
            "VpnEcmpSupport": "disable",
            "DnsSupport": "disable",
            "SecurityGroupReferencingSupport": "enable",
            "MulticastSupport": "enable",
            "TransitGatewayCidrBlocks": ["10.99.0.0/24", "2001:db8::/64"],
        },
        TagSpecifications=[
            {"ResourceType": "transit-gateway", "Tags": [{"Key": "Name", "Value": "hub"}]}
        ],
    )
    options = tgw["Options"]
    assert options["AmazonSideAsn"] == 4200000001
    assert options["AutoAcceptSharedAttachments"] == "enable"
    assert options["MulticastSupport"] == "enable"
    assert options["SecurityGroupReferencingSupport"] == "enable"
    assert options["TransitGatewayCidrBlocks"] == ["10.99.0.0/24", "2001:db8::/64"]
    assert "AssociationDefaultRouteTableId" not in options
    assert "PropagationDefaultRouteTableId" not in options
    assert tgw["Tags"] == [{"Key": "Name", "Value": "hub"}]
    tables = ec2.describe_transit_gateway_route_tables(
        Filters=[{"Name": "transit-gateway-id", "Values": [tgw["TransitGatewayId"]]}]
    )["TransitGatewayRouteTables"]
    assert tables == []


@pytest.mark.parametrize("asn", [1, 64511, 65535, 4199999999, 4294967295])
def test_amazon_side_asn_out_of_range(ec2, asn):
    assert_error(
        ec2.create_transit_gateway,
        "InvalidParameterValue",
        message=str(asn),
        Options={"AmazonSideAsn": asn},
    )


@pytest.mark.parametrize("cidr", ["10.0.0.0/25", "2001:db8::/65", "not-a-cidr", "169.254.0.0/24"])
def test_transit_gateway_cidr_blocks_validated(ec2, cidr):
    assert_error(
        ec2.create_transit_gateway,
        "InvalidParameterValue",
        Options={"TransitGatewayCidrBlocks": [cidr]},
    )


def test_tag_specification_type_checked(ec2):
    assert_error(
        ec2.create_transit_gateway,
        "InvalidParameterValue",
        message="vpc",
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "a", "Value": "b"}]}],
    )


def test_describe_transit_gateways_filters(ec2):
    first = new_tgw(ec2, Options={"AmazonSideAsn": 65000, "VpnEcmpSupport": "disable"})
    second = new_tgw(
        ec2,
        Options={
            "DnsSupport": "disable",
            "AutoAcceptSharedAttachments": "enable",
            "DefaultRouteTableAssociation": "disable",
            "DefaultRouteTablePropagation": "disable",
        },
        TagSpecifications=[
            {"ResourceType": "transit-gateway", "Tags": [{"Key": "team", "Value": "net"}]}
        ],
    )
    first_id, second_id = first["TransitGatewayId"], second["TransitGatewayId"]
    first_table = first["Options"]["AssociationDefaultRouteTableId"]

    def ids(name, *values):
        found = ec2.describe_transit_gateways(Filters=[{"Name": name, "Values": list(values)}])
        return {g["TransitGatewayId"] for g in found["TransitGateways"]}

    assert ids("options.amazon-side-asn", "65000") == {first_id}
    assert ids("options.association-default-route-table-id", first_table) == {first_id}
    assert ids("options.propagation-default-route-table-id", first_table) == {first_id}
    assert ids("options.auto-accept-shared-attachments", "enable") == {second_id}
    assert ids("options.default-route-table-association", "disable") == {second_id}
    assert ids("options.default-route-table-propagation", "enable") == {first_id}
    assert ids("options.dns-support", "disable") == {second_id}
    assert ids("options.vpn-ecmp-support", "disable") == {first_id}
    assert ids("owner-id", first["OwnerId"]) == {first_id, second_id}
    assert ids("state", "available") == {first_id, second_id}
    assert ids("transit-gateway-id", second_id) == {second_id}
    assert ids("tag-key", "team") == {second_id}
    assert_error(
        ec2.describe_transit_gateways,
        "InvalidParameterValue",
        Filters=[{"Name": "vpc-id", "Values": ["x"]}],
    )


def test_describe_transit_gateways_paging_and_ids(ec2):
    ids = [new_tgw(ec2)["TransitGatewayId"] for _ in range(6)]
    first = ec2.describe_transit_gateways(MaxResults=5)
    assert len(first["TransitGateways"]) == 5
    rest = ec2.describe_transit_gateways(MaxResults=5, NextToken=first["NextToken"])
    assert "NextToken" not in rest
    seen = [g["TransitGatewayId"] for g in first["TransitGateways"] + rest["TransitGateways"]]
    assert seen == ids
    assert_error(
        ec2.describe_transit_gateways,
        "InvalidTransitGatewayID.NotFound",
        message="was deleted or does not exist",
        TransitGatewayIds=["tgw-0123456789abcdef0"],
    )
    assert_error(
        ec2.describe_transit_gateways,
        "InvalidTransitGatewayID.Malformed",
        TransitGatewayIds=["tgw-nope"],
    )


def test_modify_transit_gateway(ec2):
    tgw = new_tgw(ec2, Options={"TransitGatewayCidrBlocks": ["10.1.0.0/24"]})
    tgw_id = tgw["TransitGatewayId"]
    table = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw_id)[
        "TransitGatewayRouteTable"
    ]["TransitGatewayRouteTableId"]
    modified = ec2.modify_transit_gateway(
        TransitGatewayId=tgw_id,
        Description="changed",
        Options={
            "AddTransitGatewayCidrBlocks": ["10.2.0.0/24"],
            "RemoveTransitGatewayCidrBlocks": ["10.1.0.0/24"],
            "VpnEcmpSupport": "disable",
            "DnsSupport": "disable",
            "SecurityGroupReferencingSupport": "enable",
            "AutoAcceptSharedAttachments": "enable",
            "AssociationDefaultRouteTableId": table,
            "DefaultRouteTablePropagation": "disable",
            "AmazonSideAsn": 65100,
            "EncryptionSupport": "enable",
        },
    )["TransitGateway"]
    assert modified["State"] == "modifying"
    shown = gateway(ec2, tgw_id)
    assert shown["State"] == "available"
    assert shown["Description"] == "changed"
    options = shown["Options"]
    assert options["TransitGatewayCidrBlocks"] == ["10.2.0.0/24"]
    assert options["VpnEcmpSupport"] == "disable"
    assert options["DnsSupport"] == "disable"
    assert options["SecurityGroupReferencingSupport"] == "enable"
    assert options["AutoAcceptSharedAttachments"] == "enable"
    assert options["AssociationDefaultRouteTableId"] == table
    assert options["DefaultRouteTablePropagation"] == "disable"
    assert "PropagationDefaultRouteTableId" not in options
    assert options["AmazonSideAsn"] == 65100
    assert options["EncryptionSupport"]["EncryptionState"] == "enabled"
    [described] = ec2.describe_transit_gateway_route_tables(TransitGatewayRouteTableIds=[table])[
        "TransitGatewayRouteTables"
    ]
    assert described["DefaultAssociationRouteTable"] is True


def test_modify_transit_gateway_refusals(ec2):
    tgw_id = new_tgw(ec2, Options={"DefaultRouteTableAssociation": "disable"})["TransitGatewayId"]
    assert_error(
        ec2.modify_transit_gateway,
        "InvalidParameterCombination",
        TransitGatewayId=tgw_id,
        Options={"DefaultRouteTableAssociation": "enable"},
    )
    table = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw_id)[
        "TransitGatewayRouteTable"
    ]["TransitGatewayRouteTableId"]
    assert_error(
        ec2.modify_transit_gateway,
        "InvalidParameterCombination",
        TransitGatewayId=tgw_id,
        Options={"AssociationDefaultRouteTableId": table},
    )
    assert_error(
        ec2.modify_transit_gateway,
        "InvalidRouteTableID.NotFound",
        TransitGatewayId=tgw_id,
        Options={
            "DefaultRouteTableAssociation": "enable",
            "AssociationDefaultRouteTableId": "tgw-rtb-0123456789abcdef0",
        },
    )
    assert_error(
        ec2.modify_transit_gateway,
        "InvalidParameterValue",
        TransitGatewayId=tgw_id,
        Options={"AmazonSideAsn": 12},
    )
    assert_error(
        ec2.modify_transit_gateway,
        "InvalidParameterValue",
        TransitGatewayId=tgw_id,
        Options={"RemoveTransitGatewayCidrBlocks": ["10.0.0.0/24"]},
    )
    dry_run(ec2.modify_transit_gateway, TransitGatewayId=tgw_id, Description="dry")
    assert gateway(ec2, tgw_id)["Description"] == ""


def test_delete_transit_gateway(ec2, env):
    tgw = new_tgw(ec2)
    tgw_id = tgw["TransitGatewayId"]
    table = tgw["Options"]["AssociationDefaultRouteTableId"]
    dry_run(ec2.delete_transit_gateway, TransitGatewayId=tgw_id)
    assert gateway(ec2, tgw_id)["State"] == "available"
    deleted = ec2.delete_transit_gateway(TransitGatewayId=tgw_id)["TransitGateway"]
    assert deleted["State"] == "deleting"
    assert gateway(ec2, tgw_id)["State"] == "deleted"
    [rt] = ec2.describe_transit_gateway_route_tables(TransitGatewayRouteTableIds=[table])[
        "TransitGatewayRouteTables"
    ]
    assert rt["State"] == "deleted"
    assert_error(
        ec2.delete_transit_gateway, "InvalidTransitGatewayID.NotFound", TransitGatewayId=tgw_id
    )
    env.clock.advance(7200)
    assert ec2.describe_transit_gateways()["TransitGateways"] == []


def test_delete_transit_gateway_with_attachment_is_refused(ec2):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    attachment = attach_vpc(ec2, tgw_id)["TransitGatewayAttachmentId"]
    assert_error(
        ec2.delete_transit_gateway,
        "IncorrectState",
        message=f"{tgw_id} has non-deleted VPC Attachments: {attachment}",
        TransitGatewayId=tgw_id,
    )
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
    assert vpc_attachment(ec2, attachment)["State"] == "deleted"
    ec2.delete_transit_gateway(TransitGatewayId=tgw_id)


def test_create_dry_run_changes_nothing(ec2):
    dry_run(ec2.create_transit_gateway)
    assert ec2.describe_transit_gateways()["TransitGateways"] == []
    assert ec2.describe_transit_gateway_route_tables()["TransitGatewayRouteTables"] == []


# -- VPC attachments


def test_vpc_attachment_lifecycle(ec2):
    tgw = new_tgw(ec2)
    tgw_id = tgw["TransitGatewayId"]
    default_table = tgw["Options"]["AssociationDefaultRouteTableId"]
    vpc_id, subnets = default_network(ec2)
    created = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw_id,
        VpcId=vpc_id,
        SubnetIds=subnets[:2],
        Options={"ApplianceModeSupport": "enable", "Ipv6Support": "disable"},
        TagSpecifications=[
            {"ResourceType": "transit-gateway-attachment", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )["TransitGatewayVpcAttachment"]
    attachment_id = created["TransitGatewayAttachmentId"]
    assert re.fullmatch(rf"tgw-attach-{ID17}", attachment_id)
    assert created["State"] == "pending"
    assert created["VpcId"] == vpc_id
    assert created["SubnetIds"] == subnets[:2]
    assert created["VpcOwnerId"] == tgw["OwnerId"]
    assert created["Options"] == {
        "DnsSupport": "enable",
        "SecurityGroupReferencingSupport": "enable",
        "Ipv6Support": "disable",
        "ApplianceModeSupport": "enable",
    }
    assert created["Tags"] == [{"Key": "k", "Value": "v"}]
    assert vpc_attachment(ec2, attachment_id)["State"] == "available"

    [summary] = ec2.describe_transit_gateway_attachments(
        TransitGatewayAttachmentIds=[attachment_id]
    )["TransitGatewayAttachments"]
    assert summary["ResourceType"] == "vpc"
    assert summary["ResourceId"] == vpc_id
    assert summary["TransitGatewayOwnerId"] == tgw["OwnerId"]
    assert summary["Association"] == {
        "TransitGatewayRouteTableId": default_table,
        "State": "associated",
    }
    propagations = ec2.get_transit_gateway_attachment_propagations(
        TransitGatewayAttachmentId=attachment_id
    )["TransitGatewayAttachmentPropagations"]
    assert propagations == [{"TransitGatewayRouteTableId": default_table, "State": "enabled"}]

    modified = ec2.modify_transit_gateway_vpc_attachment(
        TransitGatewayAttachmentId=attachment_id,
        AddSubnetIds=[subnets[2]],
        RemoveSubnetIds=[subnets[0]],
        Options={"DnsSupport": "disable", "SecurityGroupReferencingSupport": "disable"},
    )["TransitGatewayVpcAttachment"]
    assert modified["State"] == "modifying"
    shown = vpc_attachment(ec2, attachment_id)
    assert shown["State"] == "available"
    assert shown["SubnetIds"] == [subnets[1], subnets[2]]
    assert shown["Options"]["DnsSupport"] == "disable"
    assert shown["Options"]["SecurityGroupReferencingSupport"] == "disable"

    dry_run(ec2.delete_transit_gateway_vpc_attachment, TransitGatewayAttachmentId=attachment_id)
    assert vpc_attachment(ec2, attachment_id)["State"] == "available"
    deleted = ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment_id)
    assert deleted["TransitGatewayVpcAttachment"]["State"] == "deleting"
    assert vpc_attachment(ec2, attachment_id)["State"] == "deleted"
    associations = ec2.get_transit_gateway_route_table_associations(
        TransitGatewayRouteTableId=default_table
    )["Associations"]
    assert associations == []
    assert_error(
        ec2.delete_transit_gateway_vpc_attachment,
        "InvalidTransitGatewayAttachmentID.NotFound",
        message=f"Transit Gateway VPC Attachment {attachment_id} was deleted or does not exist",
        TransitGatewayAttachmentId=attachment_id,
    )


def test_vpc_attachment_validation(ec2):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    vpc_id, subnets = default_network(ec2)
    create = ec2.create_transit_gateway_vpc_attachment
    assert_error(
        create,
        "InvalidVpcID.NotFound",
        TransitGatewayId=tgw_id,
        VpcId="vpc-0123456789abcdef0",
        SubnetIds=subnets[:1],
    )
    assert_error(
        create,
        "InvalidSubnetID.NotFound",
        TransitGatewayId=tgw_id,
        VpcId=vpc_id,
        SubnetIds=["subnet-0123456789abcdef0"],
    )
    assert_error(
        create,
        "InvalidSubnetID.Malformed",
        TransitGatewayId=tgw_id,
        VpcId=vpc_id,
        SubnetIds=["subnet-x"],
    )
    assert_error(
        create,
        "InvalidTransitGatewayID.NotFound",
        TransitGatewayId="tgw-0123456789abcdef0",
        VpcId=vpc_id,
        SubnetIds=subnets[:1],
    )
    dry_run(create, TransitGatewayId=tgw_id, VpcId=vpc_id, SubnetIds=subnets[:1])
    assert ec2.describe_transit_gateway_attachments()["TransitGatewayAttachments"] == []
    attach_vpc(ec2, tgw_id)
    assert_error(
        create,
        "DuplicateTransitGatewayAttachment",
        TransitGatewayId=tgw_id,
        VpcId=vpc_id,
        SubnetIds=subnets[1:2],
    )


def test_ipv6_support_needs_ipv6_subnets(ec2):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    vpc_id, subnets = default_network(ec2)
    assert_error(
        ec2.create_transit_gateway_vpc_attachment,
        "InvalidParameterValue",
        message="IPv6",
        TransitGatewayId=tgw_id,
        VpcId=vpc_id,
        SubnetIds=subnets[:1],
        Options={"Ipv6Support": "enable"},
    )
    attachment = attach_vpc(ec2, tgw_id)["TransitGatewayAttachmentId"]
    vpc_attachment(ec2, attachment)
    assert_error(
        ec2.modify_transit_gateway_vpc_attachment,
        "InvalidParameterValue",
        message="IPv6",
        TransitGatewayAttachmentId=attachment,
        Options={"Ipv6Support": "enable"},
    )


def test_one_subnet_per_zone(ec2, env):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    vpc_id, subnets = default_network(ec2)
    # the default VPC has one subnet per zone; a second id for the same subnet is the same zone
    assert_error(
        ec2.create_transit_gateway_vpc_attachment,
        "DuplicateSubnetsInSameZone",
        TransitGatewayId=tgw_id,
        VpcId=vpc_id,
        SubnetIds=[subnets[0], subnets[0]],
    )


def test_attachment_to_pending_gateway_is_refused(ec2, ec2_options):
    ec2_options(transition_delay=60)
    tgw_id = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    vpc_id, subnets = default_network(ec2)
    assert_error(
        ec2.create_transit_gateway_vpc_attachment,
        "IncorrectState",
        TransitGatewayId=tgw_id,
        VpcId=vpc_id,
        SubnetIds=subnets[:1],
    )


def test_states_follow_the_clock(ec2, env, ec2_options):
    ec2_options(transition_delay=30)
    tgw_id = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    assert gateway(ec2, tgw_id)["State"] == "pending"
    env.clock.advance(31)
    assert gateway(ec2, tgw_id)["State"] == "available"
    attachment = attach_vpc(ec2, tgw_id)["TransitGatewayAttachmentId"]
    assert vpc_attachment(ec2, attachment)["State"] == "pending"
    env.clock.advance(31)
    assert vpc_attachment(ec2, attachment)["State"] == "available"


def test_vpc_and_subnet_are_held_by_an_attachment(ec2):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    vpc = ec2.create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.77.1.0/24")["Subnet"]["SubnetId"]
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw_id, VpcId=vpc, SubnetIds=[subnet]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    assert_error(ec2.delete_subnet, "DependencyViolation", SubnetId=subnet)
    assert_error(ec2.delete_vpc, "DependencyViolation", VpcId=vpc)
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
    ec2.describe_transit_gateway_attachments()  # deleting -> deleted
    ec2.delete_subnet(SubnetId=subnet)
    ec2.delete_vpc(VpcId=vpc)


def test_describe_vpc_attachments_filters_and_paging(ec2):
    tgw_a = new_tgw(ec2)["TransitGatewayId"]
    tgw_b = new_tgw(ec2)["TransitGatewayId"]
    a = attach_vpc(ec2, tgw_a)["TransitGatewayAttachmentId"]
    b = attach_vpc(ec2, tgw_b)["TransitGatewayAttachmentId"]
    vpc_id, _ = default_network(ec2)

    def ids(name, *values):
        found = ec2.describe_transit_gateway_vpc_attachments(
            Filters=[{"Name": name, "Values": list(values)}]
        )["TransitGatewayVpcAttachments"]
        return {x["TransitGatewayAttachmentId"] for x in found}

    assert ids("transit-gateway-id", tgw_a) == {a}
    assert ids("transit-gateway-attachment-id", b) == {b}
    assert ids("vpc-id", vpc_id) == {a, b}
    assert ids("state", "available") == {a, b}
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=a)
    assert ids("state", "deleted") == {a}
    page = ec2.describe_transit_gateway_vpc_attachments(MaxResults=5)
    assert "NextToken" not in page


def test_describe_attachments_filters(ec2):
    tgw = new_tgw(ec2)
    tgw_id, owner = tgw["TransitGatewayId"], tgw["OwnerId"]
    table = tgw["Options"]["AssociationDefaultRouteTableId"]
    attachment = attach_vpc(ec2, tgw_id)["TransitGatewayAttachmentId"]
    vpc_id, _ = default_network(ec2)
    other = new_tgw(ec2, Options={"DefaultRouteTableAssociation": "disable"})["TransitGatewayId"]
    loose = attach_vpc(ec2, other)["TransitGatewayAttachmentId"]

    def ids(name, *values):
        found = ec2.describe_transit_gateway_attachments(
            Filters=[{"Name": name, "Values": list(values)}]
        )["TransitGatewayAttachments"]
        return {x["TransitGatewayAttachmentId"] for x in found}

    assert ids("association.state", "associated") == {attachment}
    assert ids("association.transit-gateway-route-table-id", table) == {attachment}
    assert ids("resource-id", vpc_id) == {attachment, loose}
    assert ids("resource-owner-id", owner) == {attachment, loose}
    assert ids("resource-type", "vpc") == {attachment, loose}
    assert ids("state", "available") == {attachment, loose}
    assert ids("transit-gateway-attachment-id", loose) == {loose}
    assert ids("transit-gateway-id", other) == {loose}
    assert ids("transit-gateway-owner-id", owner) == {attachment, loose}


def test_cross_account_attachment_needs_acceptance(env, ec2):
    owner_tgw = new_tgw(ec2)
    tgw_id = owner_tgw["TransitGatewayId"]
    other = other_account(env)
    vpc_id, subnets = default_network(other)
    created = other.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw_id, VpcId=vpc_id, SubnetIds=subnets[:1]
    )["TransitGatewayVpcAttachment"]
    attachment_id = created["TransitGatewayAttachmentId"]
    assert created["State"] == "pendingAcceptance"
    assert created["VpcOwnerId"] == OTHER_ACCOUNT
    # both accounts see it
    assert vpc_attachment(ec2, attachment_id)["State"] == "pendingAcceptance"
    [summary] = other.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
    assert summary["TransitGatewayOwnerId"] == owner_tgw["OwnerId"]
    assert summary["ResourceOwnerId"] == OTHER_ACCOUNT
    # only the gateway owner accepts
    assert_error(
        other.accept_transit_gateway_vpc_attachment,
        "OperationNotPermitted",
        TransitGatewayAttachmentId=attachment_id,
    )
    dry_run(ec2.accept_transit_gateway_vpc_attachment, TransitGatewayAttachmentId=attachment_id)
    accepted = ec2.accept_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment_id)
    assert accepted["TransitGatewayVpcAttachment"]["State"] == "pending"
    assert vpc_attachment(ec2, attachment_id)["State"] == "available"
    assert vpc_attachment(other, attachment_id)["State"] == "available"
    assert_error(
        ec2.accept_transit_gateway_vpc_attachment,
        "IncorrectState",
        TransitGatewayAttachmentId=attachment_id,
    )


def test_cross_account_attachment_rejected(env, ec2):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    other = other_account(env)
    vpc_id, subnets = default_network(other)
    attachment_id = other.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw_id, VpcId=vpc_id, SubnetIds=subnets[:1]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    dry_run(ec2.reject_transit_gateway_vpc_attachment, TransitGatewayAttachmentId=attachment_id)
    rejected = ec2.reject_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment_id)
    assert rejected["TransitGatewayVpcAttachment"]["State"] == "rejecting"
    assert vpc_attachment(other, attachment_id)["State"] == "rejected"


def test_cross_account_auto_accept(env, ec2):
    tgw_id = new_tgw(ec2, Options={"AutoAcceptSharedAttachments": "enable"})["TransitGatewayId"]
    other = other_account(env)
    vpc_id, subnets = default_network(other)
    created = other.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw_id, VpcId=vpc_id, SubnetIds=subnets[:1]
    )["TransitGatewayVpcAttachment"]
    assert created["State"] == "pending"
    assert vpc_attachment(ec2, created["TransitGatewayAttachmentId"])["State"] == "available"


def test_modify_vpc_attachment_refusals(ec2):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    _, subnets = default_network(ec2)
    attachment_id = attach_vpc(ec2, tgw_id)["TransitGatewayAttachmentId"]
    modify = ec2.modify_transit_gateway_vpc_attachment
    assert_error(
        modify,
        "InvalidParameterValue",
        TransitGatewayAttachmentId=attachment_id,
        RemoveSubnetIds=[subnets[1]],
    )
    assert_error(
        modify,
        "InvalidParameterValue",
        TransitGatewayAttachmentId=attachment_id,
        RemoveSubnetIds=[subnets[0]],
    )
    assert_error(
        modify,
        "DuplicateSubnetsInSameZone",
        TransitGatewayAttachmentId=attachment_id,
        AddSubnetIds=[subnets[0]],
    )
    dry_run(modify, TransitGatewayAttachmentId=attachment_id, AddSubnetIds=[subnets[1]])
    assert vpc_attachment(ec2, attachment_id)["SubnetIds"] == subnets[:1]


def test_tags_on_transit_gateway_resources(ec2):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    attachment_id = attach_vpc(ec2, tgw_id)["TransitGatewayAttachmentId"]
    ec2.create_tags(Resources=[tgw_id, attachment_id], Tags=[{"Key": "env", "Value": "prod"}])
    assert gateway(ec2, tgw_id)["Tags"] == [{"Key": "env", "Value": "prod"}]
    assert vpc_attachment(ec2, attachment_id)["Tags"] == [{"Key": "env", "Value": "prod"}]
    found = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [attachment_id]}])
    assert found["Tags"][0]["ResourceType"] == "transit-gateway-attachment"


# -- what other families do with a gateway (a VPN connection's attachment, VPC routes to it)


def test_a_vpn_connection_attaches_to_the_gateway(env, ec2):
    tgw = new_tgw(ec2)
    tgw_id = tgw["TransitGatewayId"]
    table = tgw["Options"]["AssociationDefaultRouteTableId"]
    customer = ec2.create_customer_gateway(Type="ipsec.1", IpAddress="203.0.113.10", BgpAsn=65000)[
        "CustomerGateway"
    ]["CustomerGatewayId"]
    vpn = ec2.create_vpn_connection(
        Type="ipsec.1", CustomerGatewayId=customer, TransitGatewayId=tgw_id
    )["VpnConnection"]["VpnConnectionId"]
    [summary] = ec2.describe_transit_gateway_attachments(
        Filters=[{"Name": "resource-type", "Values": ["vpn"]}]
    )["TransitGatewayAttachments"]
    assert summary["ResourceId"] == vpn
    assert summary["State"] == "available"
    assert summary["Association"]["TransitGatewayRouteTableId"] == table
    [propagation] = ec2.get_transit_gateway_route_table_propagations(
        TransitGatewayRouteTableId=table,
        Filters=[{"Name": "resource-type", "Values": ["vpn"]}],
    )["TransitGatewayRouteTablePropagations"]
    assert propagation["ResourceId"] == vpn
    assert_error(
        ec2.delete_transit_gateway,
        "IncorrectState",
        message="VPN Attachments",
        TransitGatewayId=tgw_id,
    )
    ec2.delete_vpn_connection(VpnConnectionId=vpn)
    [gone] = ec2.describe_transit_gateway_attachments(
        TransitGatewayAttachmentIds=[summary["TransitGatewayAttachmentId"]]
    )["TransitGatewayAttachments"]
    assert gone["State"] in ("deleting", "deleted")
    ec2.delete_transit_gateway(TransitGatewayId=tgw_id)


def vpc_route_state(ec2: Any, vpc_id: str, destination: str) -> str:
    [table] = ec2.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"]
    [route] = [r for r in table["Routes"] if r.get("DestinationCidrBlock") == destination]
    return route["State"]


def test_a_vpc_route_to_the_gateway_needs_the_vpc_attached(env, ec2):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    vpc_id, _ = default_network(ec2)
    attachment = attach_vpc(ec2, tgw_id)["TransitGatewayAttachmentId"]
    assert vpc_attachment(ec2, attachment)["State"] == "available"
    table = ec2.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"][0]["RouteTableId"]
    ec2.create_route(
        RouteTableId=table, DestinationCidrBlock="10.50.0.0/16", TransitGatewayId=tgw_id
    )
    assert vpc_route_state(ec2, vpc_id, "10.50.0.0/16") == "active"
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
    ec2.describe_transit_gateway_vpc_attachments()  # deleting -> deleted
    assert vpc_route_state(ec2, vpc_id, "10.50.0.0/16") == "blackhole"
