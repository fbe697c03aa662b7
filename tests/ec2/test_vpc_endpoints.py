"""VPC endpoints: gateway endpoints and their routes, interface endpoints and their
network interfaces, Modify/Delete/DescribeVpcEndpoints."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.ec2.ec2_helpers import ID17, assert_error

REGION = "eu-west-1"
S3 = f"com.amazonaws.{REGION}.s3"
DYNAMODB = f"com.amazonaws.{REGION}.dynamodb"
SSM = f"com.amazonaws.{REGION}.ssm"
MISSING_VPC = "vpc-0123456789abcdef0"
LATTICE = f"arn:aws:vpc-lattice:{REGION}:123456789012"


def default_vpc(ec2: Any) -> str:
    return ec2.describe_vpcs()["Vpcs"][0]["VpcId"]


def subnets(ec2: Any) -> list[dict[str, Any]]:
    return sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])


def main_route_table(ec2: Any) -> str:
    return ec2.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [default_vpc(ec2)]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"][0]["RouteTableId"]


def routes_of(ec2: Any, table_id: str) -> list[dict[str, Any]]:
    """The table's routes to prefix lists (the ones gateway endpoints add)."""
    table = ec2.describe_route_tables(RouteTableIds=[table_id])["RouteTables"][0]
    return [r for r in table["Routes"] if "DestinationPrefixListId" in r]


def prefix_list_of(ec2: Any, service: str) -> str:
    return ec2.describe_prefix_lists(Filters=[{"Name": "prefix-list-name", "Values": [service]}])[
        "PrefixLists"
    ][0]["PrefixListId"]


def default_group(ec2: Any, vpc_id: str) -> str:
    return ec2.describe_security_groups(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "group-name", "Values": ["default"]},
        ]
    )["SecurityGroups"][0]["GroupId"]


def interfaces(ec2: Any, ids: list[str]) -> list[dict[str, Any]]:
    return ec2.describe_network_interfaces(NetworkInterfaceIds=ids)["NetworkInterfaces"]


def extra_subnet(ec2: Any, vpc_id: str, cidr: str, zone: str) -> str:
    """A second subnet in a zone that already has one."""
    return ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"][
        "SubnetId"
    ]


def endpoint(ec2: Any, endpoint_id: str) -> dict[str, Any]:
    return ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint_id])["VpcEndpoints"][0]


# -- gateway endpoints


def test_gateway_endpoint_routes_to_the_service_prefix_list(env, ec2):
    vpc = default_vpc(ec2)
    rtb = main_route_table(ec2)
    made = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=S3,
        RouteTableIds=[rtb],
        TagSpecifications=[
            {"ResourceType": "vpc-endpoint", "Tags": [{"Key": "Name", "Value": "s3"}]}
        ],
    )["VpcEndpoint"]
    vpce = made["VpcEndpointId"]
    assert re.fullmatch(rf"vpce-{ID17}", vpce)
    assert made["VpcEndpointType"] == "Gateway"
    assert made["State"] == "available"
    assert made["RouteTableIds"] == [rtb]
    assert made["SubnetIds"] == [] and made["NetworkInterfaceIds"] == []
    assert made["PrivateDnsEnabled"] is False
    assert made["Tags"] == [{"Key": "Name", "Value": "s3"}]
    assert json.loads(made["PolicyDocument"])["Statement"][0]["Effect"] == "Allow"
    assert routes_of(ec2, rtb) == [
        {
            "DestinationPrefixListId": prefix_list_of(ec2, S3),
            "GatewayId": vpce,
            "Origin": "CreateRoute",
            "State": "active",
        }
    ]
    # a second S3 endpoint cannot route from the same table
    assert_error(
        ec2.create_vpc_endpoint,
        "RouteAlreadyExists",
        VpcId=vpc,
        ServiceName=S3,
        RouteTableIds=[rtb],
    )
    # DynamoDB gets its own route
    dynamo = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=DYNAMODB, RouteTableIds=[rtb])[
        "VpcEndpoint"
    ]["VpcEndpointId"]
    assert {r["GatewayId"] for r in routes_of(ec2, rtb)} == {vpce, dynamo}

    ec2.modify_vpc_endpoint(VpcEndpointId=vpce, RemoveRouteTableIds=[rtb])
    assert endpoint(ec2, vpce)["RouteTableIds"] == []
    assert [r["GatewayId"] for r in routes_of(ec2, rtb)] == [dynamo]
    ec2.modify_vpc_endpoint(VpcEndpointId=vpce, AddRouteTableIds=[rtb])
    assert endpoint(ec2, vpce)["RouteTableIds"] == [rtb]

    assert ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce, dynamo])["Unsuccessful"] == []
    assert routes_of(ec2, rtb) == []
    assert ec2.describe_vpc_endpoints()["VpcEndpoints"] == []


def test_gateway_endpoint_refusals(env, ec2):
    vpc = default_vpc(ec2)
    subnet = subnets(ec2)[0]["SubnetId"]
    assert_error(
        ec2.create_vpc_endpoint,
        "InvalidParameter",
        message="Subnet IDs are only supported",
        VpcId=vpc,
        ServiceName=S3,
        SubnetIds=[subnet],
    )
    assert_error(
        ec2.create_vpc_endpoint,
        "InvalidParameter",
        message="does not support endpoint type",
        VpcId=vpc,
        ServiceName=SSM,
        VpcEndpointType="Gateway",
    )
    assert_error(
        ec2.create_vpc_endpoint,
        "InvalidServiceName",
        message=f"The Vpc Endpoint Service 'com.amazonaws.{REGION}.nope' does not exist",
        VpcId=vpc,
        ServiceName=f"com.amazonaws.{REGION}.nope",
    )
    assert_error(
        ec2.create_vpc_endpoint, "InvalidVpcID.NotFound", VpcId=MISSING_VPC, ServiceName=S3
    )
    assert_error(
        ec2.create_vpc_endpoint,
        "InvalidRouteTableID.NotFound",
        VpcId=vpc,
        ServiceName=S3,
        RouteTableIds=["rtb-0123456789abcdef0"],
    )
    assert_error(
        ec2.create_vpc_endpoint,
        "MalformedPolicyDocument",
        VpcId=vpc,
        ServiceName=S3,
        PolicyDocument="{not json",
    )
    # nested past the JSON parser's depth: still the document's error, not a 500
    assert_error(
        ec2.create_vpc_endpoint,
        "MalformedPolicyDocument",
        VpcId=vpc,
        ServiceName=S3,
        PolicyDocument="[" * 5000,
    )
    assert_error(
        ec2.create_vpc_endpoint,
        "InvalidParameterValue",
        VpcId=vpc,
        ServiceName=S3,
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "a", "Value": "b"}]}],
    )
    assert_error(
        ec2.create_vpc_endpoint,
        "DryRunOperation",
        status=412,
        VpcId=vpc,
        ServiceName=S3,
        DryRun=True,
    )
    assert ec2.describe_vpc_endpoints()["VpcEndpoints"] == []


def test_policy_document_set_and_reset(ec2):
    policy = json.dumps(
        {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}
    )
    vpce = ec2.create_vpc_endpoint(VpcId=default_vpc(ec2), ServiceName=S3, PolicyDocument=policy)[
        "VpcEndpoint"
    ]["VpcEndpointId"]
    assert endpoint(ec2, vpce)["PolicyDocument"] == policy
    ec2.modify_vpc_endpoint(VpcEndpointId=vpce, ResetPolicy=True)
    assert json.loads(endpoint(ec2, vpce)["PolicyDocument"])["Statement"][0]["Effect"] == "Allow"
    ec2.modify_vpc_endpoint(VpcEndpointId=vpce, PolicyDocument=policy)
    assert endpoint(ec2, vpce)["PolicyDocument"] == policy
    assert_error(
        ec2.modify_vpc_endpoint,
        "DryRunOperation",
        status=412,
        VpcEndpointId=vpce,
        ResetPolicy=True,
        DryRun=True,
    )
    assert endpoint(ec2, vpce)["PolicyDocument"] == policy


# -- interface endpoints


def test_interface_endpoint_gets_an_interface_per_subnet(env, ec2):
    vpc = default_vpc(ec2)
    first, second, _ = subnets(ec2)
    free_before = first["AvailableIpAddressCount"]
    made = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=SSM,
        VpcEndpointType="Interface",
        SubnetIds=[first["SubnetId"], second["SubnetId"]],
    )["VpcEndpoint"]
    vpce = made["VpcEndpointId"]
    assert made["State"] == "pending"
    assert made["SubnetIds"] == [first["SubnetId"], second["SubnetId"]]
    assert made["PrivateDnsEnabled"] is True
    assert made["IpAddressType"] == "ipv4"
    assert made["DnsOptions"] == {"DnsRecordIpType": "ipv4"}
    assert made["Groups"] == [{"GroupId": default_group(ec2, vpc), "GroupName": "default"}]
    assert len(made["NetworkInterfaceIds"]) == 2
    names = [e["DnsName"] for e in made["DnsEntries"]]
    assert names[0].startswith(f"{vpce}-") and names[0].endswith(
        f".ssm.{REGION}.vpce.amazonaws.com"
    )
    assert any(
        n.endswith(f"-{first['AvailabilityZone']}.ssm.{REGION}.vpce.amazonaws.com") for n in names
    )
    assert f"ssm.{REGION}.amazonaws.com" in names
    assert endpoint(ec2, vpce)["State"] == "available"

    # the interfaces are real: they hold addresses in their subnets
    held = interfaces(ec2, made["NetworkInterfaceIds"])
    assert {i["SubnetId"] for i in held} == {first["SubnetId"], second["SubnetId"]}
    assert all(i["Description"] == f"VPC Endpoint Interface {vpce}" for i in held)
    now_free = ec2.describe_subnets(SubnetIds=[first["SubnetId"]])["Subnets"][0]
    assert now_free["AvailableIpAddressCount"] == free_before - 1

    # a second private-DNS endpoint for the same service would clash in the VPC
    assert_error(
        ec2.create_vpc_endpoint,
        "InvalidParameter",
        message="conflicting DNS domain",
        VpcId=vpc,
        ServiceName=SSM,
        VpcEndpointType="Interface",
    )

    ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce])
    for eni_id in made["NetworkInterfaceIds"]:
        assert_error(
            ec2.describe_network_interfaces,
            "InvalidNetworkInterfaceID.NotFound",
            NetworkInterfaceIds=[eni_id],
        )
    after = ec2.describe_subnets(SubnetIds=[first["SubnetId"]])["Subnets"][0]
    assert after["AvailableIpAddressCount"] == free_before
    assert ec2.describe_vpc_endpoints()["VpcEndpoints"] == []


def test_interface_subnets_one_per_zone(env, ec2):
    vpc = default_vpc(ec2)
    first, zone = (subnets(ec2)[0][k] for k in ("SubnetId", "AvailabilityZone"))
    same_zone = extra_subnet(ec2, vpc, "172.31.48.0/20", zone)
    assert_error(
        ec2.create_vpc_endpoint,
        "DuplicateSubnetsInSameZone",
        message=f"Found another VPC endpoint subnet in the availability zone of {same_zone}",
        VpcId=vpc,
        ServiceName=SSM,
        VpcEndpointType="Interface",
        SubnetIds=[first, same_zone],
    )
    vpce = ec2.create_vpc_endpoint(
        VpcId=vpc, ServiceName=SSM, VpcEndpointType="Interface", SubnetIds=[first]
    )["VpcEndpoint"]["VpcEndpointId"]
    assert_error(
        ec2.modify_vpc_endpoint,
        "DuplicateSubnetsInSameZone",
        VpcEndpointId=vpce,
        AddSubnetIds=[same_zone],
    )
    # swapping the zone's subnet in one call is fine
    ec2.modify_vpc_endpoint(VpcEndpointId=vpce, AddSubnetIds=[same_zone], RemoveSubnetIds=[first])
    assert endpoint(ec2, vpce)["SubnetIds"] == [same_zone]


def test_interface_endpoint_specific_addresses_and_refusals(env, ec2):
    vpc = default_vpc(ec2)
    first, second, _ = subnets(ec2)
    made = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=SSM,
        VpcEndpointType="Interface",
        PrivateDnsEnabled=False,
        SubnetConfigurations=[{"SubnetId": first["SubnetId"], "Ipv4": "172.31.0.100"}],
    )["VpcEndpoint"]
    [eni] = interfaces(ec2, made["NetworkInterfaceIds"])
    assert eni["PrivateIpAddress"] == "172.31.0.100"
    assert made["PrivateDnsEnabled"] is False
    assert all(not e["DnsName"].startswith("ssm.") for e in made["DnsEntries"])
    assert_error(
        ec2.create_vpc_endpoint,
        "InvalidParameter",
        message="Route table IDs are only supported for Gateway",
        VpcId=vpc,
        ServiceName=SSM,
        VpcEndpointType="Interface",
        RouteTableIds=[main_route_table(ec2)],
    )
    assert_error(
        ec2.create_vpc_endpoint,
        "InvalidSubnetID.NotFound",
        VpcId=vpc,
        ServiceName=SSM,
        VpcEndpointType="Interface",
        SubnetIds=["subnet-0123456789abcdef0"],
    )
    assert_error(
        ec2.create_vpc_endpoint,
        "InvalidGroup.NotFound",
        VpcId=vpc,
        ServiceName=SSM,
        VpcEndpointType="Interface",
        SecurityGroupIds=["sg-0123456789abcdef0"],
    )
    assert_error(
        ec2.create_vpc_endpoint,
        "InvalidParameter",
        message="IPv6",
        VpcId=vpc,
        ServiceName=f"com.amazonaws.{REGION}.sqs",
        VpcEndpointType="Interface",
        SubnetIds=[second["SubnetId"]],
        IpAddressType="dualstack",
    )
    assert_error(
        ec2.create_vpc_endpoint,
        "InvalidParameter",
        message="does not support the IP address type",
        VpcId=vpc,
        ServiceName=SSM,
        VpcEndpointType="Interface",
        IpAddressType="ipv6",
    )


def test_modify_interface_endpoint(env, ec2):
    vpc = default_vpc(ec2)
    first, second, third = subnets(ec2)
    vpce = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=SSM,
        VpcEndpointType="Interface",
        SubnetIds=[first["SubnetId"]],
        PrivateDnsEnabled=False,
    )["VpcEndpoint"]["VpcEndpointId"]
    ec2.modify_vpc_endpoint(
        VpcEndpointId=vpce,
        AddSubnetIds=[second["SubnetId"], third["SubnetId"]],
        RemoveSubnetIds=[first["SubnetId"]],
        PrivateDnsEnabled=True,
        DnsOptions={"PrivateDnsOnlyForInboundResolverEndpoint": False},
    )
    shown = endpoint(ec2, vpce)
    assert shown["SubnetIds"] == [second["SubnetId"], third["SubnetId"]]
    assert len(shown["NetworkInterfaceIds"]) == 2
    assert shown["PrivateDnsEnabled"] is True
    assert shown["DnsOptions"] == {
        "DnsRecordIpType": "ipv4",
        "PrivateDnsOnlyForInboundResolverEndpoint": False,
    }
    assert_error(
        ec2.modify_vpc_endpoint,
        "InvalidParameter",
        message="at least one security group",
        VpcEndpointId=vpce,
        RemoveSecurityGroupIds=[default_group(ec2, vpc)],
    )
    assert_error(
        ec2.modify_vpc_endpoint,
        "InvalidParameter",
        VpcEndpointId=vpce,
        RemoveSubnetIds=[first["SubnetId"]],
    )
    assert_error(
        ec2.modify_vpc_endpoint,
        "InvalidVpcEndpointId.NotFound",
        VpcEndpointId="vpce-0123456789abcdef0",
        ResetPolicy=True,
    )
    assert_error(
        ec2.modify_vpc_endpoint,
        "InvalidVpcEndpointId.Malformed",
        VpcEndpointId="nope",
        ResetPolicy=True,
    )


def test_delete_answers_per_id(ec2):
    vpce = ec2.create_vpc_endpoint(VpcId=default_vpc(ec2), ServiceName=S3)["VpcEndpoint"][
        "VpcEndpointId"
    ]
    assert_error(
        ec2.delete_vpc_endpoints, "DryRunOperation", status=412, VpcEndpointIds=[vpce], DryRun=True
    )
    assert endpoint(ec2, vpce)["State"] == "available"
    answer = ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce, "vpce-0123456789abcdef0", "bad"])
    assert answer["Unsuccessful"] == [
        {
            "Error": {
                "Code": "InvalidVpcEndpoint.NotFound",
                "Message": "The Vpc Endpoint Id 'vpce-0123456789abcdef0' does not exist",
            },
            "ResourceId": "vpce-0123456789abcdef0",
        },
        {
            "Error": {
                "Code": "InvalidVpcEndpointId.Malformed",
                "Message": 'Invalid id: "bad" (expecting "vpce-...")',
            },
            "ResourceId": "bad",
        },
    ]
    again = ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce])["Unsuccessful"]
    assert again[0]["Error"]["Code"] == "InvalidVpcEndpoint.NotFound"


def test_client_token_makes_create_idempotent(ec2):
    vpc = default_vpc(ec2)
    one = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=S3, ClientToken="tok")
    two = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=S3, ClientToken="tok")
    assert one["ClientToken"] == "tok"
    assert one["VpcEndpoint"]["VpcEndpointId"] == two["VpcEndpoint"]["VpcEndpointId"]
    assert len(ec2.describe_vpc_endpoints()["VpcEndpoints"]) == 1
    assert_error(
        ec2.create_vpc_endpoint,
        "IdempotentParameterMismatch",
        VpcId=vpc,
        ServiceName=DYNAMODB,
        ClientToken="tok",
    )


def test_describe_filters_and_paging(env, ec2):
    vpc = default_vpc(ec2)
    first = subnets(ec2)[0]["SubnetId"]
    gateway = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=S3,
        TagSpecifications=[{"ResourceType": "vpc-endpoint", "Tags": [{"Key": "k", "Value": "g"}]}],
    )["VpcEndpoint"]["VpcEndpointId"]
    interface = ec2.create_vpc_endpoint(
        VpcId=vpc, ServiceName=SSM, VpcEndpointType="Interface", SubnetIds=[first]
    )["VpcEndpoint"]["VpcEndpointId"]

    def found(name, *values):
        got = ec2.describe_vpc_endpoints(Filters=[{"Name": name, "Values": list(values)}])
        return {e["VpcEndpointId"] for e in got["VpcEndpoints"]}

    assert found("ip-address-type", "ipv4") == {interface}
    assert found("service-name", S3) == {gateway}
    assert found("service-region", REGION) == {gateway, interface}
    assert found("vpc-endpoint-id", interface) == {interface}
    assert found("vpc-endpoint-state", "available") == {gateway, interface}
    assert found("vpc-endpoint-type", "Interface") == {interface}
    assert found("vpc-id", vpc) == {gateway, interface}
    assert found("vpc-id", MISSING_VPC) == set()
    assert found("tag:k", "g") == {gateway}
    assert found("tag-key", "k") == {gateway}
    ec2.create_tags(Resources=[interface], Tags=[{"Key": "k", "Value": "i"}])
    assert found("tag:k", "i") == {interface}

    page1 = ec2.describe_vpc_endpoints(MaxResults=1)
    assert len(page1["VpcEndpoints"]) == 1
    page2 = ec2.describe_vpc_endpoints(MaxResults=1, NextToken=page1["NextToken"])
    assert len(page2["VpcEndpoints"]) == 1 and "NextToken" not in page2
    assert {
        page1["VpcEndpoints"][0]["VpcEndpointId"],
        page2["VpcEndpoints"][0]["VpcEndpointId"],
    } == {
        gateway,
        interface,
    }
    assert_error(
        ec2.describe_vpc_endpoints,
        "InvalidVpcEndpointId.NotFound",
        VpcEndpointIds=["vpce-0123456789abcdef0"],
    )
    # more than 1,000 asks for 1,000
    assert len(ec2.describe_vpc_endpoints(MaxResults=5000)["VpcEndpoints"]) == 2
    assert_error(ec2.describe_vpc_endpoints, "DryRunOperation", status=412, DryRun=True)


def test_endpoints_hold_their_vpc_subnets_and_groups(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.79.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.79.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="endpoint", Description="e", VpcId=vpc)["GroupId"]
    vpce = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=SSM,
        VpcEndpointType="Interface",
        SubnetIds=[subnet],
        SecurityGroupIds=[group],
    )["VpcEndpoint"]["VpcEndpointId"]
    assert_error(ec2.delete_vpc, "DependencyViolation", VpcId=vpc)
    assert_error(ec2.delete_subnet, "DependencyViolation", SubnetId=subnet)
    assert_error(ec2.delete_security_group, "DependencyViolation", GroupId=group)
    ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce])
    ec2.describe_vpc_endpoints()  # deleting -> deleted
    ec2.delete_security_group(GroupId=group)
    ec2.delete_subnet(SubnetId=subnet)
    ec2.delete_vpc(VpcId=vpc)


@pytest.mark.parametrize("kind", ["ServiceNetwork", "Resource"])
def test_service_network_and_resource_endpoints(env, ec2, kind):
    vpc = default_vpc(ec2)
    first = subnets(ec2)[0]["SubnetId"]
    arns = {
        "ServiceNetwork": {"ServiceNetworkArn": f"{LATTICE}:servicenetwork/sn-0123456789abcdef0"},
        "Resource": {
            "ResourceConfigurationArn": f"{LATTICE}:resourceconfiguration/rcfg-0123456789abcdef0"
        },
    }[kind]
    made = ec2.create_vpc_endpoint(VpcId=vpc, VpcEndpointType=kind, SubnetIds=[first], **arns)[
        "VpcEndpoint"
    ]
    for key, value in arns.items():
        assert made[key] == value
    assert "ServiceName" not in made
    associations = ec2.describe_vpc_endpoint_associations(VpcEndpointIds=[made["VpcEndpointId"]])[
        "VpcEndpointAssociations"
    ]
    assert len(associations) == 1
    assert associations[0]["VpcEndpointId"] == made["VpcEndpointId"]
    assert associations[0]["AssociatedResourceAccessibility"] == "Accessible"
    filter_name, value = (
        ("service-network-arn", arns.get("ServiceNetworkArn"))
        if kind == "ServiceNetwork"
        else ("associated-resource-id", arns.get("ResourceConfigurationArn"))
    )
    got = ec2.describe_vpc_endpoint_associations(Filters=[{"Name": filter_name, "Values": [value]}])
    assert len(got["VpcEndpointAssociations"]) == 1
    assert_error(
        ec2.create_vpc_endpoint,
        "MissingParameter",
        VpcId=vpc,
        VpcEndpointType=kind,
        SubnetIds=[first],
    )


def test_association_filters(env, ec2):
    vpc = default_vpc(ec2)
    first = subnets(ec2)[0]["SubnetId"]
    arn = f"{LATTICE}:servicenetwork/sn-0123456789abcdef0"
    vpce = ec2.create_vpc_endpoint(
        VpcId=vpc, VpcEndpointType="ServiceNetwork", SubnetIds=[first], ServiceNetworkArn=arn
    )["VpcEndpoint"]["VpcEndpointId"]
    association = ec2.describe_vpc_endpoint_associations()["VpcEndpointAssociations"][0]
    assert association["ServiceNetworkName"] == "sn-0123456789abcdef0"

    def found(name, value):
        got = ec2.describe_vpc_endpoint_associations(Filters=[{"Name": name, "Values": [value]}])
        return len(got["VpcEndpointAssociations"])

    assert found("association-id", association["Id"]) == 1
    assert found("vpc-endpoint-id", vpce) == 1
    assert found("associated-resource-accessibility", "Accessible") == 1
    assert found("resource-configuration-group-arn", "*") == 0
    assert found("service-network-arn", "arn:other") == 0


def test_states_follow_the_transition_delay(env, ec2, ec2_options):
    ec2_options(transition_delay=30)
    ec2 = env.client()
    first = subnets(ec2)[0]["SubnetId"]
    vpce = ec2.create_vpc_endpoint(
        VpcId=default_vpc(ec2), ServiceName=SSM, VpcEndpointType="Interface", SubnetIds=[first]
    )["VpcEndpoint"]["VpcEndpointId"]
    assert endpoint(ec2, vpce)["State"] == "pending"
    env.clock.advance(31)
    assert endpoint(ec2, vpce)["State"] == "available"
    ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce])
    assert endpoint(ec2, vpce)["State"] == "deleting"
    assert endpoint(ec2, vpce)["NetworkInterfaceIds"] == []
    env.clock.advance(31)
    assert ec2.describe_vpc_endpoints()["VpcEndpoints"] == []


def test_a_deleted_route_table_leaves_the_endpoint(env, ec2):
    vpc = default_vpc(ec2)
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    vpce = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=S3, RouteTableIds=[rtb])["VpcEndpoint"][
        "VpcEndpointId"
    ]
    ec2.delete_route_table(RouteTableId=rtb)
    assert endpoint(ec2, vpce)["RouteTableIds"] == []


def test_subnet_configurations_move_an_interface_address(env, ec2):
    first = subnets(ec2)[0]["SubnetId"]
    vpce = ec2.create_vpc_endpoint(
        VpcId=default_vpc(ec2),
        ServiceName=SSM,
        VpcEndpointType="Interface",
        SubnetIds=[first],
        PrivateDnsEnabled=False,
    )["VpcEndpoint"]["VpcEndpointId"]
    ec2.modify_vpc_endpoint(
        VpcEndpointId=vpce, SubnetConfigurations=[{"SubnetId": first, "Ipv4": "172.31.0.200"}]
    )
    eni_id = endpoint(ec2, vpce)["NetworkInterfaceIds"][0]
    assert interfaces(ec2, [eni_id])[0]["PrivateIpAddress"] == "172.31.0.200"
    assert_error(
        ec2.modify_vpc_endpoint,
        "InvalidParameter",
        VpcEndpointId=vpce,
        SubnetConfigurations=[{"SubnetId": first, "Ipv4": "10.9.9.9"}],
    )
    assert endpoint(ec2, vpce)["NetworkInterfaceIds"] == [eni_id]
