"""Transit gateway route tables: associations, propagations, routes, search, export,
prefix list references."""

from __future__ import annotations

import re
from typing import Any

import pytest
from ec2_helpers import ID17, assert_error
from test_transit_gateways import attach_vpc, default_network, dry_run, new_tgw

VPC_CIDR = "172.31.0.0/16"


@pytest.fixture
def hub(ec2: Any) -> dict[str, str]:
    """A gateway with its default table, a VPC attachment and a second, empty table."""
    tgw = new_tgw(ec2)
    tgw_id = tgw["TransitGatewayId"]
    attachment = attach_vpc(ec2, tgw_id)["TransitGatewayAttachmentId"]
    table = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw_id)[
        "TransitGatewayRouteTable"
    ]["TransitGatewayRouteTableId"]
    return {
        "tgw": tgw_id,
        "default": tgw["Options"]["AssociationDefaultRouteTableId"],
        "attachment": attachment,
        "table": table,
    }


def routes(ec2: Any, table: str, *filters: tuple[str, list[str]]) -> list[dict[str, Any]]:
    return ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table,
        Filters=[{"Name": n, "Values": v} for n, v in filters]
        or [{"Name": "state", "Values": ["active", "blackhole"]}],
    )["Routes"]


def cidrs(found: list[dict[str, Any]]) -> list[str]:
    return [r["DestinationCidrBlock"] for r in found]


# -- route tables


def test_route_table_lifecycle(ec2, env):
    tgw_id = new_tgw(ec2)["TransitGatewayId"]
    dry_run(ec2.create_transit_gateway_route_table, TransitGatewayId=tgw_id)
    created = ec2.create_transit_gateway_route_table(
        TransitGatewayId=tgw_id,
        TagSpecifications=[
            {"ResourceType": "transit-gateway-route-table", "Tags": [{"Key": "a", "Value": "b"}]}
        ],
    )["TransitGatewayRouteTable"]
    table = created["TransitGatewayRouteTableId"]
    assert re.fullmatch(rf"tgw-rtb-{ID17}", table)
    assert created["State"] == "pending"
    assert created["DefaultAssociationRouteTable"] is False
    assert created["Tags"] == [{"Key": "a", "Value": "b"}]
    [shown] = ec2.describe_transit_gateway_route_tables(TransitGatewayRouteTableIds=[table])[
        "TransitGatewayRouteTables"
    ]
    assert shown["State"] == "available"
    dry_run(ec2.delete_transit_gateway_route_table, TransitGatewayRouteTableId=table)
    deleted = ec2.delete_transit_gateway_route_table(TransitGatewayRouteTableId=table)
    assert deleted["TransitGatewayRouteTable"]["State"] == "deleting"
    [gone] = ec2.describe_transit_gateway_route_tables(TransitGatewayRouteTableIds=[table])[
        "TransitGatewayRouteTables"
    ]
    assert gone["State"] == "deleted"
    env.clock.advance(7200)
    assert_error(
        ec2.describe_transit_gateway_route_tables,
        "InvalidRouteTableID.NotFound",
        TransitGatewayRouteTableIds=[table],
    )


def test_route_table_refusals(ec2, hub):
    assert_error(
        ec2.create_transit_gateway_route_table,
        "InvalidTransitGatewayID.NotFound",
        TransitGatewayId="tgw-0123456789abcdef0",
    )
    assert_error(
        ec2.create_transit_gateway_route_table,
        "InvalidParameterValue",
        TransitGatewayId=hub["tgw"],
        TagSpecifications=[{"ResourceType": "transit-gateway", "Tags": []}],
    )
    # the default table, and a table with associations, stay
    assert_error(
        ec2.delete_transit_gateway_route_table,
        "IncorrectState",
        TransitGatewayRouteTableId=hub["default"],
    )
    ec2.disassociate_transit_gateway_route_table(
        TransitGatewayRouteTableId=hub["default"], TransitGatewayAttachmentId=hub["attachment"]
    )
    ec2.associate_transit_gateway_route_table(
        TransitGatewayRouteTableId=hub["table"], TransitGatewayAttachmentId=hub["attachment"]
    )
    assert_error(
        ec2.delete_transit_gateway_route_table,
        "IncorrectState",
        TransitGatewayRouteTableId=hub["table"],
    )
    assert_error(
        ec2.delete_transit_gateway_route_table,
        "InvalidRouteTableID.Malformed",
        TransitGatewayRouteTableId="tgw-rtb-zz",
    )


def test_describe_route_tables_filters(ec2, hub):
    def ids(name, *values):
        found = ec2.describe_transit_gateway_route_tables(
            Filters=[{"Name": name, "Values": list(values)}]
        )["TransitGatewayRouteTables"]
        return {t["TransitGatewayRouteTableId"] for t in found}

    both = {hub["default"], hub["table"]}
    assert ids("default-association-route-table", "true") == {hub["default"]}
    assert ids("default-propagation-route-table", "false") == {hub["table"]}
    assert ids("state", "available") == both
    assert ids("transit-gateway-id", hub["tgw"]) == both
    assert ids("transit-gateway-route-table-id", hub["table"]) == {hub["table"]}
    page = ec2.describe_transit_gateway_route_tables(MaxResults=5)
    assert len(page["TransitGatewayRouteTables"]) == 2


# -- associations


def test_associations(ec2, hub):
    vpc_id, _ = default_network(ec2)
    associations = ec2.get_transit_gateway_route_table_associations(
        TransitGatewayRouteTableId=hub["default"]
    )["Associations"]
    assert associations == [
        {
            "TransitGatewayAttachmentId": hub["attachment"],
            "ResourceId": vpc_id,
            "ResourceType": "vpc",
            "State": "associated",
        }
    ]
    assert_error(
        ec2.associate_transit_gateway_route_table,
        "Resource.AlreadyAssociated",
        message=f"{hub['attachment']} is already associated",
        TransitGatewayRouteTableId=hub["table"],
        TransitGatewayAttachmentId=hub["attachment"],
    )
    dry_run(
        ec2.disassociate_transit_gateway_route_table,
        TransitGatewayRouteTableId=hub["default"],
        TransitGatewayAttachmentId=hub["attachment"],
    )
    gone = ec2.disassociate_transit_gateway_route_table(
        TransitGatewayRouteTableId=hub["default"], TransitGatewayAttachmentId=hub["attachment"]
    )["Association"]
    assert gone["State"] == "disassociating"
    assert_error(
        ec2.disassociate_transit_gateway_route_table,
        "InvalidAssociation.NotFound",
        TransitGatewayRouteTableId=hub["default"],
        TransitGatewayAttachmentId=hub["attachment"],
    )
    dry_run(
        ec2.associate_transit_gateway_route_table,
        TransitGatewayRouteTableId=hub["table"],
        TransitGatewayAttachmentId=hub["attachment"],
    )
    made = ec2.associate_transit_gateway_route_table(
        TransitGatewayRouteTableId=hub["table"], TransitGatewayAttachmentId=hub["attachment"]
    )["Association"]
    assert made == {
        "TransitGatewayRouteTableId": hub["table"],
        "TransitGatewayAttachmentId": hub["attachment"],
        "ResourceId": vpc_id,
        "ResourceType": "vpc",
        "State": "associating",
    }
    [summary] = ec2.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
    assert summary["Association"]["TransitGatewayRouteTableId"] == hub["table"]

    def filtered(name, value):
        return ec2.get_transit_gateway_route_table_associations(
            TransitGatewayRouteTableId=hub["table"], Filters=[{"Name": name, "Values": [value]}]
        )["Associations"]

    assert len(filtered("resource-id", vpc_id)) == 1
    assert len(filtered("resource-type", "vpc")) == 1
    assert len(filtered("transit-gateway-attachment-id", hub["attachment"])) == 1
    assert filtered("resource-type", "peering") == []


def test_association_across_gateways_is_refused(ec2, hub):
    other_table = new_tgw(ec2)["Options"]["AssociationDefaultRouteTableId"]
    assert_error(
        ec2.enable_transit_gateway_route_table_propagation,
        "InvalidParameterValue",
        TransitGatewayRouteTableId=other_table,
        TransitGatewayAttachmentId=hub["attachment"],
    )


# -- propagations and propagated routes


def test_propagations_make_routes(ec2, hub):
    vpc_id, _ = default_network(ec2)
    found = routes(ec2, hub["default"])
    assert found == [
        {
            "DestinationCidrBlock": VPC_CIDR,
            "TransitGatewayAttachments": [
                {
                    "ResourceId": vpc_id,
                    "TransitGatewayAttachmentId": hub["attachment"],
                    "ResourceType": "vpc",
                }
            ],
            "Type": "propagated",
            "State": "active",
        }
    ]
    assert routes(ec2, hub["table"]) == []
    assert_error(
        ec2.enable_transit_gateway_route_table_propagation,
        "TransitGatewayRouteTablePropagation.Duplicate",
        TransitGatewayRouteTableId=hub["default"],
        TransitGatewayAttachmentId=hub["attachment"],
    )
    dry_run(
        ec2.enable_transit_gateway_route_table_propagation,
        TransitGatewayRouteTableId=hub["table"],
        TransitGatewayAttachmentId=hub["attachment"],
    )
    enabled = ec2.enable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=hub["table"], TransitGatewayAttachmentId=hub["attachment"]
    )["Propagation"]
    assert enabled["State"] == "enabled"
    assert enabled["ResourceId"] == vpc_id
    assert cidrs(routes(ec2, hub["table"])) == [VPC_CIDR]
    rows = ec2.get_transit_gateway_route_table_propagations(
        TransitGatewayRouteTableId=hub["table"],
        Filters=[{"Name": "resource-type", "Values": ["vpc"]}],
    )["TransitGatewayRouteTablePropagations"]
    assert rows == [
        {
            "TransitGatewayAttachmentId": hub["attachment"],
            "ResourceId": vpc_id,
            "ResourceType": "vpc",
            "State": "enabled",
        }
    ]
    for name, value in (
        ("resource-id", vpc_id),
        ("transit-gateway-attachment-id", hub["attachment"]),
    ):
        assert (
            ec2.get_transit_gateway_route_table_propagations(
                TransitGatewayRouteTableId=hub["table"], Filters=[{"Name": name, "Values": [value]}]
            )["TransitGatewayRouteTablePropagations"]
            == rows
        )
    tables = ec2.get_transit_gateway_attachment_propagations(
        TransitGatewayAttachmentId=hub["attachment"],
        Filters=[{"Name": "transit-gateway-route-table-id", "Values": [hub["table"]]}],
    )["TransitGatewayAttachmentPropagations"]
    assert tables == [{"TransitGatewayRouteTableId": hub["table"], "State": "enabled"}]

    dry_run(
        ec2.disable_transit_gateway_route_table_propagation,
        TransitGatewayRouteTableId=hub["table"],
        TransitGatewayAttachmentId=hub["attachment"],
    )
    disabled = ec2.disable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=hub["table"], TransitGatewayAttachmentId=hub["attachment"]
    )["Propagation"]
    assert disabled["State"] == "disabled"
    assert routes(ec2, hub["table"]) == []
    assert_error(
        ec2.disable_transit_gateway_route_table_propagation,
        "TransitGatewayRouteTablePropagation.NotFound",
        TransitGatewayRouteTableId=hub["table"],
        TransitGatewayAttachmentId=hub["attachment"],
    )
    assert_error(
        ec2.enable_transit_gateway_route_table_propagation,
        "MissingParameter",
        TransitGatewayRouteTableId=hub["table"],
    )


def test_deleted_attachment_leaves_the_tables(ec2, hub):
    ec2.create_transit_gateway_route(
        TransitGatewayRouteTableId=hub["table"],
        DestinationCidrBlock="10.0.0.0/8",
        TransitGatewayAttachmentId=hub["attachment"],
    )
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=hub["attachment"])
    assert routes(ec2, hub["default"]) == []
    [static] = routes(ec2, hub["table"])
    assert static["State"] == "blackhole"
    assert (
        ec2.get_transit_gateway_route_table_propagations(TransitGatewayRouteTableId=hub["default"])[
            "TransitGatewayRouteTablePropagations"
        ]
        == []
    )


# -- static routes


def test_static_routes(ec2, hub):
    table = hub["table"]
    dry_run(
        ec2.create_transit_gateway_route,
        TransitGatewayRouteTableId=table,
        DestinationCidrBlock="10.0.0.0/16",
        Blackhole=True,
    )
    assert routes(ec2, table) == []
    route = ec2.create_transit_gateway_route(
        TransitGatewayRouteTableId=table,
        DestinationCidrBlock="10.0.0.0/16",
        TransitGatewayAttachmentId=hub["attachment"],
    )["Route"]
    assert route["Type"] == "static"
    assert route["State"] == "active"
    assert route["TransitGatewayAttachments"][0]["TransitGatewayAttachmentId"] == hub["attachment"]
    hole = ec2.create_transit_gateway_route(
        TransitGatewayRouteTableId=table, DestinationCidrBlock="192.168.0.0/24", Blackhole=True
    )["Route"]
    assert hole["State"] == "blackhole"
    assert "TransitGatewayAttachments" not in hole
    assert_error(
        ec2.create_transit_gateway_route,
        "RouteAlreadyExists",
        TransitGatewayRouteTableId=table,
        DestinationCidrBlock="10.0.0.0/16",
        Blackhole=True,
    )
    assert_error(
        ec2.create_transit_gateway_route,
        "InvalidParameterValue",
        TransitGatewayRouteTableId=table,
        DestinationCidrBlock="10.0.0.1/16",
        Blackhole=True,
    )
    assert_error(
        ec2.create_transit_gateway_route,
        "InvalidParameterCombination",
        TransitGatewayRouteTableId=table,
        DestinationCidrBlock="10.1.0.0/16",
        Blackhole=True,
        TransitGatewayAttachmentId=hub["attachment"],
    )
    assert_error(
        ec2.create_transit_gateway_route,
        "MissingParameter",
        TransitGatewayRouteTableId=table,
        DestinationCidrBlock="10.1.0.0/16",
    )
    assert_error(
        ec2.create_transit_gateway_route,
        "InvalidTransitGatewayAttachmentID.NotFound",
        TransitGatewayRouteTableId=table,
        DestinationCidrBlock="10.1.0.0/16",
        TransitGatewayAttachmentId="tgw-attach-0123456789abcdef0",
    )

    dry_run(
        ec2.replace_transit_gateway_route,
        TransitGatewayRouteTableId=table,
        DestinationCidrBlock="10.0.0.0/16",
        Blackhole=True,
    )
    replaced = ec2.replace_transit_gateway_route(
        TransitGatewayRouteTableId=table, DestinationCidrBlock="10.0.0.0/16", Blackhole=True
    )["Route"]
    assert replaced["State"] == "blackhole"
    assert_error(
        ec2.replace_transit_gateway_route,
        "InvalidRoute.NotFound",
        TransitGatewayRouteTableId=table,
        DestinationCidrBlock="10.9.0.0/16",
        Blackhole=True,
    )
    assert cidrs(routes(ec2, table)) == ["10.0.0.0/16", "192.168.0.0/24"]

    dry_run(
        ec2.delete_transit_gateway_route,
        TransitGatewayRouteTableId=table,
        DestinationCidrBlock="10.0.0.0/16",
    )
    deleted = ec2.delete_transit_gateway_route(
        TransitGatewayRouteTableId=table, DestinationCidrBlock="10.0.0.0/16"
    )["Route"]
    assert deleted["State"] == "deleted"
    assert_error(
        ec2.delete_transit_gateway_route,
        "InvalidRoute.NotFound",
        TransitGatewayRouteTableId=table,
        DestinationCidrBlock="10.0.0.0/16",
    )
    assert cidrs(routes(ec2, table)) == ["192.168.0.0/24"]


def test_static_route_wins_over_propagated(ec2, hub):
    ec2.create_transit_gateway_route(
        TransitGatewayRouteTableId=hub["default"], DestinationCidrBlock=VPC_CIDR, Blackhole=True
    )
    [route] = routes(ec2, hub["default"])
    assert route["Type"] == "static"
    assert route["State"] == "blackhole"


# -- search


@pytest.fixture
def searchable(ec2, hub):
    table = hub["default"]
    for cidr in ("10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24"):
        ec2.create_transit_gateway_route(
            TransitGatewayRouteTableId=table,
            DestinationCidrBlock=cidr,
            TransitGatewayAttachmentId=hub["attachment"],
        )
    ec2.create_transit_gateway_route(
        TransitGatewayRouteTableId=table, DestinationCidrBlock="192.168.0.0/16", Blackhole=True
    )
    return hub


def test_search_routes_by_cidr(ec2, searchable):
    table = searchable["default"]
    assert cidrs(routes(ec2, table, ("route-search.exact-match", ["10.1.0.0/16"]))) == [
        "10.1.0.0/16"
    ]
    assert cidrs(routes(ec2, table, ("route-search.longest-prefix-match", ["10.1.2.7/32"]))) == [
        "10.1.2.0/24"
    ]
    assert cidrs(routes(ec2, table, ("route-search.longest-prefix-match", ["10.9.0.0/16"]))) == [
        "10.0.0.0/8"
    ]
    assert cidrs(routes(ec2, table, ("route-search.subnet-of-match", ["10.1.0.0/16"]))) == [
        "10.1.0.0/16",
        "10.1.2.0/24",
    ]
    assert cidrs(routes(ec2, table, ("route-search.supernet-of-match", ["10.1.0.0/16"]))) == [
        "10.0.0.0/8",
        "10.1.0.0/16",
    ]
    assert_error(
        ec2.search_transit_gateway_routes,
        "InvalidParameterValue",
        TransitGatewayRouteTableId=table,
        Filters=[{"Name": "route-search.exact-match", "Values": ["nonsense"]}],
    )


def test_search_routes_by_attributes(ec2, searchable):
    table = searchable["default"]
    vpc_id, _ = default_network(ec2)
    assert cidrs(routes(ec2, table, ("state", ["blackhole"]))) == ["192.168.0.0/16"]
    assert cidrs(routes(ec2, table, ("type", ["propagated"]))) == [VPC_CIDR]
    assert len(routes(ec2, table, ("type", ["static"]))) == 4
    by_attachment = routes(
        ec2, table, ("attachment.transit-gateway-attachment-id", [searchable["attachment"]])
    )
    assert len(by_attachment) == 4
    assert len(routes(ec2, table, ("attachment.resource-id", [vpc_id]))) == 4
    assert len(routes(ec2, table, ("attachment.resource-type", ["vpc"]))) == 4
    assert routes(ec2, table, ("prefix-list-id", ["pl-12345678"])) == []
    assert_error(
        ec2.search_transit_gateway_routes,
        "InvalidParameterValue",
        TransitGatewayRouteTableId=table,
        Filters=[{"Name": "bogus", "Values": ["x"]}],
    )


def test_search_routes_limit(ec2, hub):
    table = hub["table"]
    for third in range(7):
        ec2.create_transit_gateway_route(
            TransitGatewayRouteTableId=table,
            DestinationCidrBlock=f"10.0.{third}.0/24",
            Blackhole=True,
        )
    found = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table,
        Filters=[{"Name": "type", "Values": ["static"]}],
        MaxResults=5,
    )
    assert len(found["Routes"]) == 5
    assert found["AdditionalRoutesAvailable"] is True
    everything = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table, Filters=[{"Name": "type", "Values": ["static"]}]
    )
    assert len(everything["Routes"]) == 7
    assert everything["AdditionalRoutesAvailable"] is False


def test_export_routes(ec2, hub):
    dry_run(
        ec2.export_transit_gateway_routes,
        TransitGatewayRouteTableId=hub["default"],
        S3Bucket="my-bucket",
    )
    location = ec2.export_transit_gateway_routes(
        TransitGatewayRouteTableId=hub["default"],
        S3Bucket="my-bucket",
        Filters=[
            {"Name": "transit-gateway-route-destination-cidr-block", "Values": [VPC_CIDR]},
            {"Name": "route-search.subnet-of-match", "Values": ["172.16.0.0/12"]},
        ],
    )["S3Location"]
    assert location.startswith(
        f"s3://my-bucket/VPCTransitGateway/TransitGatewayRouteTables/{hub['default']}"
    )
    assert_error(
        ec2.export_transit_gateway_routes,
        "InvalidParameterValue",
        TransitGatewayRouteTableId=hub["default"],
        S3Bucket="Not_A_Bucket",
    )
    assert_error(
        ec2.export_transit_gateway_routes,
        "InvalidParameterValue",
        TransitGatewayRouteTableId=hub["default"],
        S3Bucket="my-bucket",
        Filters=[{"Name": "prefix-list-id", "Values": ["pl-1"]}],
    )


# -- prefix list references


def managed_list(ec2: Any) -> dict[str, Any]:
    """The region's AWS-managed S3 prefix list, as DescribePrefixLists shows it."""
    [found] = ec2.describe_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": ["com.amazonaws.eu-west-1.s3"]}]
    )["PrefixLists"]
    return found


def test_prefix_list_references(ec2, hub):
    s3 = managed_list(ec2)
    table = hub["table"]
    dry_run(
        ec2.create_transit_gateway_prefix_list_reference,
        TransitGatewayRouteTableId=table,
        PrefixListId=s3["PrefixListId"],
        Blackhole=True,
    )
    created = ec2.create_transit_gateway_prefix_list_reference(
        TransitGatewayRouteTableId=table,
        PrefixListId=s3["PrefixListId"],
        TransitGatewayAttachmentId=hub["attachment"],
    )["TransitGatewayPrefixListReference"]
    vpc_id, _ = default_network(ec2)
    assert created == {
        "TransitGatewayRouteTableId": table,
        "PrefixListId": s3["PrefixListId"],
        "PrefixListOwnerId": "AWS",
        "State": "available",
        "Blackhole": False,
        "TransitGatewayAttachment": {
            "TransitGatewayAttachmentId": hub["attachment"],
            "ResourceType": "vpc",
            "ResourceId": vpc_id,
        },
    }
    by_list = routes(ec2, table, ("prefix-list-id", [s3["PrefixListId"]]))
    assert sorted(cidrs(by_list)) == sorted(s3["Cidrs"])
    assert all(r["PrefixListId"] == s3["PrefixListId"] and r["State"] == "active" for r in by_list)
    assert_error(
        ec2.create_transit_gateway_prefix_list_reference,
        "RouteAlreadyExists",
        TransitGatewayRouteTableId=table,
        PrefixListId=s3["PrefixListId"],
        Blackhole=True,
    )
    assert_error(
        ec2.create_transit_gateway_prefix_list_reference,
        "InvalidPrefixListID.NotFound",
        TransitGatewayRouteTableId=table,
        PrefixListId="pl-00000000",
        Blackhole=True,
    )
    assert_error(
        ec2.create_transit_gateway_prefix_list_reference,
        "InvalidPrefixListID.Malformed",
        TransitGatewayRouteTableId=table,
        PrefixListId="pl-x",
        Blackhole=True,
    )

    def refs(name, value):
        return ec2.get_transit_gateway_prefix_list_references(
            TransitGatewayRouteTableId=table, Filters=[{"Name": name, "Values": [value]}]
        )["TransitGatewayPrefixListReferences"]

    assert len(refs("attachment.resource-id", vpc_id)) == 1
    assert len(refs("attachment.resource-type", "vpc")) == 1
    assert len(refs("attachment.transit-gateway-attachment-id", hub["attachment"])) == 1
    assert len(refs("is-blackhole", "false")) == 1
    assert len(refs("prefix-list-id", s3["PrefixListId"])) == 1
    assert len(refs("prefix-list-owner-id", "AWS")) == 1
    assert len(refs("state", "available")) == 1
    assert refs("is-blackhole", "true") == []

    dry_run(
        ec2.modify_transit_gateway_prefix_list_reference,
        TransitGatewayRouteTableId=table,
        PrefixListId=s3["PrefixListId"],
        Blackhole=True,
    )
    modified = ec2.modify_transit_gateway_prefix_list_reference(
        TransitGatewayRouteTableId=table, PrefixListId=s3["PrefixListId"], Blackhole=True
    )["TransitGatewayPrefixListReference"]
    assert modified["Blackhole"] is True
    assert "TransitGatewayAttachment" not in modified
    assert {r["State"] for r in routes(ec2, table, ("prefix-list-id", [s3["PrefixListId"]]))} == {
        "blackhole"
    }

    dry_run(
        ec2.delete_transit_gateway_prefix_list_reference,
        TransitGatewayRouteTableId=table,
        PrefixListId=s3["PrefixListId"],
    )
    deleted = ec2.delete_transit_gateway_prefix_list_reference(
        TransitGatewayRouteTableId=table, PrefixListId=s3["PrefixListId"]
    )["TransitGatewayPrefixListReference"]
    assert deleted["State"] == "deleting"
    assert routes(ec2, table, ("prefix-list-id", [s3["PrefixListId"]])) == []
    assert_error(
        ec2.delete_transit_gateway_prefix_list_reference,
        "InvalidRoute.NotFound",
        TransitGatewayRouteTableId=table,
        PrefixListId=s3["PrefixListId"],
    )
    assert_error(
        ec2.modify_transit_gateway_prefix_list_reference,
        "InvalidRoute.NotFound",
        TransitGatewayRouteTableId=table,
        PrefixListId=s3["PrefixListId"],
        Blackhole=True,
    )
