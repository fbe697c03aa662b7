"""Helpers for the cross-family tests (test_cross_family*.py)."""

from __future__ import annotations

from typing import Any

from tests.ec2.ec2_helpers import assert_error

OTHER = "222233334444"
BUCKET = "arn:aws:s3:::my-flow-logs"
S3 = "com.amazonaws.eu-west-1.s3"
WAITER = {"Delay": 0, "MaxAttempts": 5}
CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/server"
ROOT = "arn:aws:acm:eu-west-1:123456789012:certificate/root"


def vpc(ec2: Any, cidr: str = "10.0.0.0/16") -> str:
    return ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]


def subnet(ec2: Any, vpc_id: str, cidr: str = "10.0.1.0/24", **kw: Any) -> str:
    return ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, **kw)["Subnet"]["SubnetId"]


def table(ec2: Any, vpc_id: str) -> str:
    return ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]


def routes(ec2: Any, rtb: str) -> list[dict[str, Any]]:
    return ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]["Routes"]


def route_to(ec2: Any, rtb: str, destination: str) -> dict[str, Any]:
    for route in routes(ec2, rtb):
        if destination in (
            route.get("DestinationCidrBlock"),
            route.get("DestinationIpv6CidrBlock"),
            route.get("DestinationPrefixListId"),
        ):
            return route
    raise AssertionError(f"no route to {destination} in {routes(ec2, rtb)}")


def peer(ec2: Any, vpc_a: str, vpc_b: str, accepter: Any = None, **kw: Any) -> str:
    """An active peering connection between two VPCs (accepted by ``accepter``)."""
    pcx = ec2.create_vpc_peering_connection(VpcId=vpc_a, PeerVpcId=vpc_b, **kw)[
        "VpcPeeringConnection"
    ]["VpcPeeringConnectionId"]
    accepter = accepter or ec2
    accepter.get_waiter("vpc_peering_connection_exists").wait(
        VpcPeeringConnectionIds=[pcx], WaiterConfig=WAITER
    )
    accepter.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    return pcx


def peering_status(ec2: Any, pcx: str) -> str:
    found = ec2.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx])
    return found["VpcPeeringConnections"][0]["Status"]["Code"]


def flow_logs_of(ec2: Any, resource_id: str) -> list[dict[str, Any]]:
    return ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [resource_id]}])[
        "FlowLogs"
    ]


def to_s3(ec2: Any, resource_id: str, resource_type: str) -> str:
    # transit gateway flow logs take no TrafficType
    traffic = {} if resource_type.startswith("TransitGateway") else {"TrafficType": "ALL"}
    made = ec2.create_flow_logs(
        ResourceIds=[resource_id],
        ResourceType=resource_type,
        LogDestinationType="s3",
        LogDestination=BUCKET,
        **traffic,
    )
    return made["FlowLogIds"][0]


def managed_list(ec2: Any, cidr: str = "10.50.0.0/16") -> str:
    made = ec2.create_managed_prefix_list(
        PrefixListName="corp", MaxEntries=5, AddressFamily="IPv4", Entries=[{"Cidr": cidr}]
    )
    return made["PrefixList"]["PrefixListId"]


def interface(ec2: Any, eni: str) -> dict[str, Any]:
    return ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"][0]


def assert_managed(ec2: Any, eni: str, interface_type: str, description: str) -> None:
    got = interface(ec2, eni)
    assert got["RequesterManaged"] is True
    assert got["InterfaceType"] == interface_type
    assert got["Description"] == description
    attachment = got["Attachment"]["AttachmentId"]
    assert attachment.startswith("ela-attach-")
    assert_error(
        ec2.delete_network_interface,
        "InvalidParameterValue",
        message="currently in use",
        NetworkInterfaceId=eni,
    )
    assert_error(
        ec2.detach_network_interface,
        "OperationNotPermitted",
        message="ela-attach",
        AttachmentId=attachment,
    )
    managed = ec2.describe_network_interfaces(
        Filters=[{"Name": "requester-managed", "Values": ["true"]}]
    )["NetworkInterfaces"]
    assert eni in [i["NetworkInterfaceId"] for i in managed]


def customer_gateway(ec2: Any) -> str:
    return ec2.create_customer_gateway(Type="ipsec.1", IpAddress="203.0.113.10", BgpAsn=65000)[
        "CustomerGateway"
    ]["CustomerGatewayId"]


def available_tgw(ec2: Any) -> str:
    tgw = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    ec2.describe_transit_gateways(TransitGatewayIds=[tgw])  # pending -> available
    return tgw


def tgw_attachments(ec2: Any, tgw: str) -> list[dict[str, Any]]:
    return ec2.describe_transit_gateway_attachments(
        Filters=[{"Name": "transit-gateway-id", "Values": [tgw]}]
    )["TransitGatewayAttachments"]


def vpc_held(ec2: Any, vpc_id: str) -> None:
    assert_error(
        ec2.delete_vpc,
        "DependencyViolation",
        message=f"The vpc '{vpc_id}' has dependencies and cannot be deleted",
        VpcId=vpc_id,
    )


def subnet_held(ec2: Any, subnet_id: str) -> None:
    assert_error(
        ec2.delete_subnet,
        "DependencyViolation",
        message=f"The subnet '{subnet_id}' has dependencies and cannot be deleted",
        SubnetId=subnet_id,
    )


def group_held(ec2: Any, group_id: str) -> None:
    assert_error(
        ec2.delete_security_group,
        "DependencyViolation",
        message=f"resource {group_id} has a dependent object",
        GroupId=group_id,
    )


def ec2_account(ec2: Any) -> str:
    return ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]["OwnerId"]


def ipv6_subnet(ec2: Any) -> tuple[str, str]:
    """A subnet with the first /64 of its VPC's Amazon-provided /56; (subnet id, /64)."""
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"][
        "VpcId"
    ]
    block = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["Ipv6CidrBlockAssociationSet"][0][
        "Ipv6CidrBlock"
    ]
    cidr64 = block.replace("/56", "/64")
    made = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24", Ipv6CidrBlock=cidr64)
    return made["Subnet"]["SubnetId"], cidr64


def client_vpn_on(ec2: Any, tgw: str) -> dict[str, Any]:
    made = ec2.create_client_vpn_endpoint(
        ClientCidrBlock="10.100.0.0/22",
        ServerCertificateArn=CERT,
        AuthenticationOptions=[
            {
                "Type": "certificate-authentication",
                "MutualAuthentication": {"ClientRootCertificateChainArn": ROOT},
            }
        ],
        ConnectionLogOptions={"Enabled": False},
        TransitGatewayConfiguration={"TransitGatewayId": tgw, "AvailabilityZones": ["eu-west-1a"]},
    )
    return ec2.describe_client_vpn_endpoints(ClientVpnEndpointIds=[made["ClientVpnEndpointId"]])[
        "ClientVpnEndpoints"
    ][0]
