"""Route tables: routes to every target kind, associations, the main table, filters, paging."""

from __future__ import annotations

import re

import pytest
from ec2_helpers import ID17, assert_error, launch


def default_vpc(ec2):
    return ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]


def main_table(ec2, vpc_id):
    [table] = ec2.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"]
    return table


def table_of(ec2, table_id):
    return ec2.describe_route_tables(RouteTableIds=[table_id])["RouteTables"][0]


def routes_by_destination(table):
    return {
        r.get("DestinationCidrBlock")
        or r.get("DestinationIpv6CidrBlock")
        or r.get("DestinationPrefixListId"): r
        for r in table["Routes"]
    }


def new_table(ec2, vpc_id, **kw):
    return ec2.create_route_table(VpcId=vpc_id, **kw)["RouteTable"]["RouteTableId"]


def test_default_vpc_main_table(ec2):
    vpc = default_vpc(ec2)
    table = main_table(ec2, vpc["VpcId"])
    assert re.fullmatch(rf"rtb-{ID17}", table["RouteTableId"])
    assert table["OwnerId"] == "123456789012"
    [association] = table["Associations"]
    assert association["Main"] is True
    assert association["RouteTableAssociationId"].startswith("rtbassoc-")
    assert association["AssociationState"] == {"State": "associated"}
    assert "SubnetId" not in association
    routes = routes_by_destination(table)
    assert routes["172.31.0.0/16"] == {
        "DestinationCidrBlock": "172.31.0.0/16",
        "GatewayId": "local",
        "Origin": "CreateRouteTable",
        "State": "active",
    }
    [igw] = ec2.describe_internet_gateways()["InternetGateways"]
    assert routes["0.0.0.0/0"]["GatewayId"] == igw["InternetGatewayId"]
    assert routes["0.0.0.0/0"]["Origin"] == "CreateRouteTable"
    assert routes["0.0.0.0/0"]["State"] == "active"


def test_create_route_table(ec2):
    vpc_id = default_vpc(ec2)["VpcId"]
    created = ec2.create_route_table(
        VpcId=vpc_id,
        TagSpecifications=[{"ResourceType": "route-table", "Tags": [{"Key": "k", "Value": "v"}]}],
    )["RouteTable"]
    assert created["VpcId"] == vpc_id
    assert created["Associations"] == []
    assert created["PropagatingVgws"] == []
    assert created["Tags"] == [{"Key": "k", "Value": "v"}]
    assert [r["GatewayId"] for r in created["Routes"]] == ["local"]
    found = ec2.describe_route_tables(Filters=[{"Name": "tag:k", "Values": ["v"]}])["RouteTables"]
    assert [t["RouteTableId"] for t in found] == [created["RouteTableId"]]


def test_create_route_table_client_token_is_idempotent(ec2):
    vpc_id = default_vpc(ec2)["VpcId"]
    first = ec2.create_route_table(VpcId=vpc_id, ClientToken="tok")
    second = ec2.create_route_table(VpcId=vpc_id, ClientToken="tok")
    assert first["ClientToken"] == "tok"
    assert first["RouteTable"]["RouteTableId"] == second["RouteTable"]["RouteTableId"]
    assert len(ec2.describe_route_tables()["RouteTables"]) == 2


def test_create_route_table_errors(ec2):
    assert_error(ec2.create_route_table, "InvalidVpcID.NotFound", VpcId="vpc-12345678")
    assert_error(
        ec2.describe_route_tables,
        "InvalidRouteTableID.NotFound",
        message="^The routeTable ID 'rtb-12345678' does not exist$",
        RouteTableIds=["rtb-12345678"],
    )
    assert_error(ec2.create_route_table, "InvalidVpcID.Malformed", VpcId="nope")
    assert_error(
        ec2.describe_route_tables, "InvalidRouteTableId.Malformed", RouteTableIds=["rtb-x"]
    )
    vpc_id = default_vpc(ec2)["VpcId"]
    assert_error(
        ec2.create_route_table,
        "InvalidParameterValue",
        VpcId=vpc_id,
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "k", "Value": "v"}]}],
    )


def test_dry_run(ec2):
    vpc_id = default_vpc(ec2)["VpcId"]
    assert_error(ec2.create_route_table, "DryRunOperation", 412, VpcId=vpc_id, DryRun=True)
    assert len(ec2.describe_route_tables()["RouteTables"]) == 1
    table_id = new_table(ec2, vpc_id)
    subnet_id = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    igw_id = ec2.describe_internet_gateways()["InternetGateways"][0]["InternetGatewayId"]
    calls = [
        (
            ec2.create_route,
            {"RouteTableId": table_id, "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw_id},
        ),
        (ec2.associate_route_table, {"RouteTableId": table_id, "SubnetId": subnet_id}),
        (ec2.delete_route_table, {"RouteTableId": table_id}),
        (ec2.describe_route_tables, {}),
    ]
    for call, kw in calls:
        assert_error(call, "DryRunOperation", 412, DryRun=True, **kw)
    ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw_id)
    association = ec2.associate_route_table(RouteTableId=table_id, SubnetId=subnet_id)
    main_assoc = main_table(ec2, vpc_id)["Associations"][0]["RouteTableAssociationId"]
    more = [
        (
            ec2.replace_route,
            {"RouteTableId": table_id, "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw_id},
        ),
        (ec2.delete_route, {"RouteTableId": table_id, "DestinationCidrBlock": "0.0.0.0/0"}),
        (ec2.disassociate_route_table, {"AssociationId": association["AssociationId"]}),
        (
            ec2.replace_route_table_association,
            {"AssociationId": main_assoc, "RouteTableId": table_id},
        ),
    ]
    for call, kw in more:
        assert_error(call, "DryRunOperation", 412, DryRun=True, **kw)
    # nothing changed
    assert main_table(ec2, vpc_id)["Associations"][0]["RouteTableAssociationId"] == main_assoc
    assert "0.0.0.0/0" in routes_by_destination(table_of(ec2, table_id))
    # a request that would fail answers its own error under DryRun
    assert_error(
        ec2.delete_route,
        "InvalidRoute.NotFound",
        RouteTableId=table_id,
        DestinationCidrBlock="10.9.0.0/16",
        DryRun=True,
    )


def test_routes_create_replace_delete(ec2):
    vpc_id = default_vpc(ec2)["VpcId"]
    table_id = new_table(ec2, vpc_id)
    igw_id = ec2.describe_internet_gateways()["InternetGateways"][0]["InternetGatewayId"]
    assert (
        ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw_id)[
            "Return"
        ]
        is True
    )
    route = routes_by_destination(table_of(ec2, table_id))["0.0.0.0/0"]
    assert route == {
        "DestinationCidrBlock": "0.0.0.0/0",
        "GatewayId": igw_id,
        "Origin": "CreateRoute",
        "State": "active",
    }
    assert_error(
        ec2.create_route,
        "RouteAlreadyExists",
        message="0.0.0.0/0",
        RouteTableId=table_id,
        DestinationCidrBlock="0.0.0.0/0",
        GatewayId=igw_id,
    )
    # destinations are normalised
    ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="10.1.2.3/16", GatewayId=igw_id)
    assert "10.1.0.0/16" in routes_by_destination(table_of(ec2, table_id))
    [instance] = launch(ec2)
    ec2.replace_route(
        RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", InstanceId=instance["InstanceId"]
    )
    route = routes_by_destination(table_of(ec2, table_id))["0.0.0.0/0"]
    assert route["InstanceId"] == instance["InstanceId"]
    assert route["InstanceOwnerId"] == "123456789012"
    assert route["NetworkInterfaceId"] == instance["NetworkInterfaces"][0]["NetworkInterfaceId"]
    assert "GatewayId" not in route
    found = ec2.describe_route_tables(
        Filters=[{"Name": "route.instance-id", "Values": [instance["InstanceId"]]}]
    )["RouteTables"]
    assert [t["RouteTableId"] for t in found] == [table_id]
    ec2.delete_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0")
    assert "0.0.0.0/0" not in routes_by_destination(table_of(ec2, table_id))
    assert_error(
        ec2.delete_route,
        "InvalidRoute.NotFound",
        message="0.0.0.0/0",
        RouteTableId=table_id,
        DestinationCidrBlock="0.0.0.0/0",
    )
    assert_error(
        ec2.replace_route,
        "InvalidRoute.NotFound",
        RouteTableId=table_id,
        DestinationCidrBlock="0.0.0.0/0",
        GatewayId=igw_id,
    )


def test_ipv6_and_prefix_list_destinations(ec2):
    vpc_id = default_vpc(ec2)["VpcId"]
    table_id = new_table(ec2, vpc_id)
    eigw = ec2.create_egress_only_internet_gateway(VpcId=vpc_id)["EgressOnlyInternetGateway"]
    eigw_id = eigw["EgressOnlyInternetGatewayId"]
    ec2.create_route(
        RouteTableId=table_id, DestinationIpv6CidrBlock="::/0", EgressOnlyInternetGatewayId=eigw_id
    )
    route = routes_by_destination(table_of(ec2, table_id))["::/0"]
    assert route["EgressOnlyInternetGatewayId"] == eigw_id
    assert route["State"] == "active"
    found = ec2.describe_route_tables(
        Filters=[{"Name": "route.destination-ipv6-cidr-block", "Values": ["::/0"]}]
    )["RouteTables"]
    assert [t["RouteTableId"] for t in found] == [table_id]
    # an egress-only gateway only carries IPv6
    assert_error(
        ec2.create_route,
        "InvalidParameterValue",
        RouteTableId=table_id,
        DestinationCidrBlock="0.0.0.0/0",
        EgressOnlyInternetGatewayId=eigw_id,
    )
    ec2.delete_egress_only_internet_gateway(EgressOnlyInternetGatewayId=eigw_id)
    assert routes_by_destination(table_of(ec2, table_id))["::/0"]["State"] == "blackhole"
    found = ec2.describe_route_tables(Filters=[{"Name": "route.state", "Values": ["blackhole"]}])
    assert [t["RouteTableId"] for t in found["RouteTables"]] == [table_id]


def test_route_parameter_rules(ec2):
    vpc_id = default_vpc(ec2)["VpcId"]
    table_id = new_table(ec2, vpc_id)
    igw_id = ec2.describe_internet_gateways()["InternetGateways"][0]["InternetGatewayId"]
    assert_error(ec2.create_route, "MissingParameter", RouteTableId=table_id, GatewayId=igw_id)
    assert_error(
        ec2.create_route,
        "MissingParameter",
        RouteTableId=table_id,
        DestinationCidrBlock="0.0.0.0/0",
    )
    [instance] = launch(ec2)
    assert_error(
        ec2.create_route,
        "InvalidParameterCombination",
        RouteTableId=table_id,
        DestinationCidrBlock="0.0.0.0/0",
        GatewayId=igw_id,
        InstanceId=instance["InstanceId"],
    )
    assert_error(
        ec2.create_route,
        "InvalidParameterValue",
        message="not a valid CIDR",
        RouteTableId=table_id,
        DestinationCidrBlock="300.0.0.0/8",
        GatewayId=igw_id,
    )
    # the VPC's own range is the local route's
    assert_error(
        ec2.create_route,
        "RouteAlreadyExists",
        RouteTableId=table_id,
        DestinationCidrBlock="172.31.0.0/16",
        GatewayId=igw_id,
    )
    assert_error(
        ec2.create_route,
        "InvalidParameterValue",
        RouteTableId=table_id,
        DestinationCidrBlock="172.31.5.0/24",
        GatewayId=igw_id,
    )
    # more specific than local is fine towards an instance (middlebox routing)
    ec2.create_route(
        RouteTableId=table_id,
        DestinationCidrBlock="172.31.5.0/24",
        InstanceId=instance["InstanceId"],
    )
    assert_error(
        ec2.delete_route,
        "InvalidParameterValue",
        RouteTableId=table_id,
        DestinationCidrBlock="172.31.0.0/16",
    )
    assert_error(
        ec2.create_route,
        "InvalidRouteTableID.NotFound",
        RouteTableId="rtb-12345678",
        DestinationCidrBlock="0.0.0.0/0",
        GatewayId=igw_id,
    )


@pytest.mark.parametrize(
    ("member", "value", "code"),
    [
        ("GatewayId", "igw-12345678", "InvalidGatewayID.NotFound"),
        ("GatewayId", "vgw-12345678", "InvalidGatewayID.NotFound"),
        ("GatewayId", "nat-12345678901234567", "InvalidGatewayID.NotFound"),
        ("NatGatewayId", "nat-12345678901234567", "NatGatewayNotFound"),
        ("NetworkInterfaceId", "eni-12345678", "InvalidNetworkInterfaceID.NotFound"),
        ("InstanceId", "i-12345678", "InvalidInstanceID.NotFound"),
        ("VpcPeeringConnectionId", "pcx-12345678", "InvalidVpcPeeringConnectionID.NotFound"),
        ("TransitGatewayId", "tgw-12345678", "InvalidTransitGatewayID.NotFound"),
        ("LocalGatewayId", "lgw-12345678", "InvalidLocalGatewayID.NotFound"),
        ("CarrierGatewayId", "cagw-12345678", "InvalidCarrierGatewayID.NotFound"),
        (
            "EgressOnlyInternetGatewayId",
            "eigw-12345678",
            "InvalidEgressOnlyInternetGatewayId.NotFound",
        ),
        ("VpcEndpointId", "vpce-12345678", "InvalidVpcEndpointId.NotFound"),
        ("CoreNetworkArn", "not-an-arn", "InvalidParameterValue"),
    ],
)
def test_missing_targets(ec2, member, value, code):
    table_id = new_table(ec2, default_vpc(ec2)["VpcId"])
    assert_error(
        ec2.create_route,
        code,
        RouteTableId=table_id,
        DestinationCidrBlock="10.0.0.0/8",
        **{member: value},
    )


def test_targets_other_than_gateways(ec2):
    vpc_id = default_vpc(ec2)["VpcId"]
    table_id = new_table(ec2, vpc_id)
    [instance] = launch(ec2)
    eni_id = instance["NetworkInterfaces"][0]["NetworkInterfaceId"]
    ec2.create_route(
        RouteTableId=table_id, DestinationCidrBlock="10.0.0.0/8", NetworkInterfaceId=eni_id
    )
    cagw = ec2.create_carrier_gateway(VpcId=vpc_id)["CarrierGateway"]["CarrierGatewayId"]
    ec2.create_route(
        RouteTableId=table_id, DestinationCidrBlock="10.1.0.0/16", CarrierGatewayId=cagw
    )
    arn = "arn:aws:networkmanager::123456789012:core-network/core-network-0123456789abcdef0"
    ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="10.2.0.0/16", CoreNetworkArn=arn)
    routes = routes_by_destination(table_of(ec2, table_id))
    assert routes["10.0.0.0/8"]["NetworkInterfaceId"] == eni_id
    assert routes["10.1.0.0/16"]["CarrierGatewayId"] == cagw
    assert routes["10.2.0.0/16"]["CoreNetworkArn"] == arn
    # a terminated instance's interface is gone: the route is a blackhole
    ec2.terminate_instances(InstanceIds=[instance["InstanceId"]])
    ec2.describe_instances()
    assert routes_by_destination(table_of(ec2, table_id))["10.0.0.0/8"]["State"] == "blackhole"


def test_igw_must_be_attached_to_the_tables_vpc(ec2):
    table_id = new_table(ec2, default_vpc(ec2)["VpcId"])
    igw_id = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    assert_error(
        ec2.create_route,
        "InvalidParameterValue",
        message="belong to different networks",
        RouteTableId=table_id,
        DestinationCidrBlock="0.0.0.0/0",
        GatewayId=igw_id,
    )


def test_route_to_detached_gateway_is_blackhole(ec2):
    vpc_id = default_vpc(ec2)["VpcId"]
    igw_id = ec2.describe_internet_gateways()["InternetGateways"][0]["InternetGatewayId"]
    ec2.detach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)
    assert routes_by_destination(main_table(ec2, vpc_id))["0.0.0.0/0"]["State"] == "blackhole"
    ec2.attach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)
    assert routes_by_destination(main_table(ec2, vpc_id))["0.0.0.0/0"]["State"] == "active"


def test_replace_local_route(ec2):
    vpc_id = default_vpc(ec2)["VpcId"]
    table_id = new_table(ec2, vpc_id)
    [instance] = launch(ec2)
    eni_id = instance["NetworkInterfaces"][0]["NetworkInterfaceId"]
    igw_id = ec2.describe_internet_gateways()["InternetGateways"][0]["InternetGatewayId"]
    assert_error(
        ec2.replace_route,
        "InvalidParameterValue",
        RouteTableId=table_id,
        DestinationCidrBlock="172.31.0.0/16",
        GatewayId=igw_id,
    )
    ec2.replace_route(
        RouteTableId=table_id, DestinationCidrBlock="172.31.0.0/16", NetworkInterfaceId=eni_id
    )
    route = routes_by_destination(table_of(ec2, table_id))["172.31.0.0/16"]
    assert route["NetworkInterfaceId"] == eni_id
    assert "GatewayId" not in route
    ec2.replace_route(RouteTableId=table_id, DestinationCidrBlock="172.31.0.0/16", LocalTarget=True)
    assert routes_by_destination(table_of(ec2, table_id))["172.31.0.0/16"]["GatewayId"] == "local"
    ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw_id)
    assert_error(
        ec2.replace_route,
        "InvalidParameterValue",
        RouteTableId=table_id,
        DestinationCidrBlock="0.0.0.0/0",
        LocalTarget=True,
    )


def test_subnet_associations(ec2):
    vpc_id = default_vpc(ec2)["VpcId"]
    table_id = new_table(ec2, vpc_id)
    other_id = new_table(ec2, vpc_id)
    subnet_id = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    result = ec2.associate_route_table(RouteTableId=table_id, SubnetId=subnet_id)
    assert result["AssociationId"].startswith("rtbassoc-")
    assert result["AssociationState"] == {"State": "associated"}
    [association] = table_of(ec2, table_id)["Associations"]
    assert association == {
        "Main": False,
        "RouteTableAssociationId": result["AssociationId"],
        "RouteTableId": table_id,
        "SubnetId": subnet_id,
        "AssociationState": {"State": "associated"},
    }
    # one table per subnet
    assert_error(
        ec2.associate_route_table,
        "Resource.AlreadyAssociated",
        RouteTableId=other_id,
        SubnetId=subnet_id,
    )
    found = ec2.describe_route_tables(
        Filters=[{"Name": "association.subnet-id", "Values": [subnet_id]}]
    )["RouteTables"]
    assert [t["RouteTableId"] for t in found] == [table_id]
    found = ec2.describe_route_tables(
        Filters=[
            {"Name": "association.route-table-association-id", "Values": [result["AssociationId"]]}
        ]
    )["RouteTables"]
    assert [t["RouteTableId"] for t in found] == [table_id]
    # an associated table cannot be deleted
    assert_error(ec2.delete_route_table, "DependencyViolation", RouteTableId=table_id)
    replaced = ec2.replace_route_table_association(
        AssociationId=result["AssociationId"], RouteTableId=other_id
    )
    assert replaced["NewAssociationId"] != result["AssociationId"]
    assert table_of(ec2, table_id)["Associations"] == []
    assert table_of(ec2, other_id)["Associations"][0]["SubnetId"] == subnet_id
    ec2.disassociate_route_table(AssociationId=replaced["NewAssociationId"])
    assert table_of(ec2, other_id)["Associations"] == []
    assert_error(
        ec2.disassociate_route_table,
        "InvalidAssociationID.NotFound",
        AssociationId=replaced["NewAssociationId"],
    )
    ec2.delete_route_table(RouteTableId=table_id)
    assert_error(
        ec2.describe_route_tables, "InvalidRouteTableID.NotFound", RouteTableIds=[table_id]
    )


def test_associate_errors(ec2):
    vpc_id = default_vpc(ec2)["VpcId"]
    table_id = new_table(ec2, vpc_id)
    assert_error(ec2.associate_route_table, "MissingParameter", RouteTableId=table_id)
    assert_error(
        ec2.associate_route_table,
        "InvalidSubnetID.NotFound",
        RouteTableId=table_id,
        SubnetId="subnet-12345678",
    )
    subnet_id = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    assert_error(
        ec2.associate_route_table,
        "InvalidRouteTableID.NotFound",
        RouteTableId="rtb-12345678",
        SubnetId=subnet_id,
    )
    assert_error(
        ec2.disassociate_route_table,
        "InvalidAssociationID.NotFound",
        AssociationId="rtbassoc-12345678",
    )


def test_gateway_edge_association(ec2):
    vpc_id = default_vpc(ec2)["VpcId"]
    table_id = new_table(ec2, vpc_id)
    igw_id = ec2.describe_internet_gateways()["InternetGateways"][0]["InternetGatewayId"]
    association_id = ec2.associate_route_table(RouteTableId=table_id, GatewayId=igw_id)[
        "AssociationId"
    ]
    [association] = table_of(ec2, table_id)["Associations"]
    assert association["GatewayId"] == igw_id
    assert association["Main"] is False
    found = ec2.describe_route_tables(
        Filters=[{"Name": "association.gateway-id", "Values": [igw_id]}]
    )["RouteTables"]
    assert [t["RouteTableId"] for t in found] == [table_id]
    other_id = new_table(ec2, vpc_id)
    assert_error(
        ec2.associate_route_table,
        "Resource.AlreadyAssociated",
        RouteTableId=other_id,
        GatewayId=igw_id,
    )
    ec2.disassociate_route_table(AssociationId=association_id)
    loose = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    assert_error(
        ec2.associate_route_table, "InvalidParameterValue", RouteTableId=table_id, GatewayId=loose
    )


def test_main_association(ec2):
    vpc_id = default_vpc(ec2)["VpcId"]
    old_main = main_table(ec2, vpc_id)
    main_assoc = old_main["Associations"][0]["RouteTableAssociationId"]
    assert_error(
        ec2.disassociate_route_table,
        "InvalidParameterValue",
        message="main route table",
        AssociationId=main_assoc,
    )
    assert_error(
        ec2.delete_route_table, "DependencyViolation", RouteTableId=old_main["RouteTableId"]
    )
    table_id = new_table(ec2, vpc_id)
    new_assoc = ec2.replace_route_table_association(
        AssociationId=main_assoc, RouteTableId=table_id
    )["NewAssociationId"]
    now_main = main_table(ec2, vpc_id)
    assert now_main["RouteTableId"] == table_id
    assert now_main["Associations"] == [
        {
            "Main": True,
            "RouteTableAssociationId": new_assoc,
            "RouteTableId": table_id,
            "AssociationState": {"State": "associated"},
        }
    ]
    assert table_of(ec2, old_main["RouteTableId"])["Associations"] == []
    # the old main table is an ordinary table now
    ec2.delete_route_table(RouteTableId=old_main["RouteTableId"])
    assert_error(ec2.delete_route_table, "DependencyViolation", RouteTableId=table_id)


def test_filters(ec2):
    vpc_id = default_vpc(ec2)["VpcId"]
    table_id = new_table(ec2, vpc_id)
    main_id = main_table(ec2, vpc_id)["RouteTableId"]
    igw_id = ec2.describe_internet_gateways()["InternetGateways"][0]["InternetGatewayId"]

    def ids(name, *values):
        tables = ec2.describe_route_tables(Filters=[{"Name": name, "Values": list(values)}])
        return {t["RouteTableId"] for t in tables["RouteTables"]}

    assert ids("vpc-id", vpc_id) == {table_id, main_id}
    assert ids("route-table-id", table_id) == {table_id}
    assert ids("owner-id", "123456789012") == {table_id, main_id}
    assert ids("association.main", "true") == {main_id}
    assert ids("association.main", "false") == set()
    assert ids("association.route-table-id", main_id) == {main_id}
    assert ids("route.gateway-id", igw_id) == {main_id}
    assert ids("route.gateway-id", "local") == {table_id, main_id}
    assert ids("route.destination-cidr-block", "0.0.0.0/0") == {main_id}
    assert ids("route.origin", "CreateRoute") == set()
    assert ids("route.origin", "CreateRouteTable") == {table_id, main_id}
    assert ids("route.state", "active") == {table_id, main_id}
    assert ids("route.nat-gateway-id", "nat-*") == set()
    assert ids("route.transit-gateway-id", "*") == set()
    assert ids("route.vpc-peering-connection-id", "*") == set()
    assert ids("route.egress-only-internet-gateway-id", "*") == set()
    assert ids("route.destination-prefix-list-id", "*") == set()
    assert ids("route.instance-id", "*") == set()
    assert ids("association.gateway-id", "*") == set()
    assert ids("association.subnet-id", "*") == set()
    assert ids("association.route-table-association-id", "rtbassoc-*") == {main_id}
    ec2.create_tags(Resources=[table_id], Tags=[{"Key": "Name", "Value": "x"}])
    assert ids("tag-key", "Name") == {table_id}
    assert ids("tag:Name", "x") == {table_id}
    assert_error(
        ec2.describe_route_tables,
        "InvalidParameterValue",
        Filters=[{"Name": "bogus", "Values": ["x"]}],
    )


def test_paging(ec2):
    vpc_id = default_vpc(ec2)["VpcId"]
    created = {new_table(ec2, vpc_id) for _ in range(6)}
    first = ec2.describe_route_tables(MaxResults=5)
    assert len(first["RouteTables"]) == 5
    second = ec2.describe_route_tables(MaxResults=5, NextToken=first["NextToken"])
    assert "NextToken" not in second
    seen = {t["RouteTableId"] for t in first["RouteTables"] + second["RouteTables"]}
    assert created < seen and len(seen) == 7
    assert_error(ec2.describe_route_tables, "InvalidParameterValue", MaxResults=101)
    ec2.describe_route_tables(MaxResults=100)


def test_other_families_routes_appear_in_describe_and_filters(ec2):
    """A gateway endpoint's route and a propagating virtual private gateway show in the table."""
    vpc_id = default_vpc(ec2)["VpcId"]
    table_id = new_table(ec2, vpc_id)
    s3 = "com.amazonaws.eu-west-1.s3"
    [prefix_list] = ec2.describe_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": [s3]}]
    )["PrefixLists"]
    pl_id = prefix_list["PrefixListId"]
    vpce = ec2.create_vpc_endpoint(VpcId=vpc_id, ServiceName=s3, RouteTableIds=[table_id])[
        "VpcEndpoint"
    ]["VpcEndpointId"]
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpcId=vpc_id, VpnGatewayId=vgw)
    ec2.enable_vgw_route_propagation(GatewayId=vgw, RouteTableId=table_id)
    table = table_of(ec2, table_id)
    assert routes_by_destination(table)[pl_id]["GatewayId"] == vpce
    assert table["PropagatingVgws"] == [{"GatewayId": vgw}]
    found = ec2.describe_route_tables(
        Filters=[{"Name": "route.destination-prefix-list-id", "Values": [pl_id]}]
    )["RouteTables"]
    assert [t["RouteTableId"] for t in found] == [table_id]


def test_prefix_list_destinations(ec2):
    table_id = new_table(ec2, default_vpc(ec2)["VpcId"])
    igw_id = ec2.describe_internet_gateways()["InternetGateways"][0]["InternetGatewayId"]
    assert_error(
        ec2.create_route,
        "InvalidPrefixListID.NotFound",
        RouteTableId=table_id,
        DestinationPrefixListId="pl-0123456789abcdef0",
        GatewayId=igw_id,
    )
    assert_error(
        ec2.create_route,
        "InvalidPrefixListId.Malformed",
        RouteTableId=table_id,
        DestinationPrefixListId="pl-xyz",
        GatewayId=igw_id,
    )
    assert_error(
        ec2.create_route,
        "InvalidParameterCombination",
        RouteTableId=table_id,
        DestinationCidrBlock="10.0.0.0/8",
        DestinationPrefixListId="pl-0123456789abcdef0",
        GatewayId=igw_id,
    )


def test_route_limit(ec2):
    table_id = new_table(ec2, default_vpc(ec2)["VpcId"])
    igw_id = ec2.describe_internet_gateways()["InternetGateways"][0]["InternetGatewayId"]
    for n in range(50):
        ec2.create_route(
            RouteTableId=table_id, DestinationCidrBlock=f"10.{n}.0.0/16", GatewayId=igw_id
        )
    assert_error(
        ec2.create_route,
        "RouteLimitExceeded",
        RouteTableId=table_id,
        DestinationCidrBlock="10.99.0.0/16",
        GatewayId=igw_id,
    )
