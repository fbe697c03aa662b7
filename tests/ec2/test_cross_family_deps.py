"""Cross-family dependencies: every holder of a VPC, subnet, group, prefix list or
interface blocks its delete with DependencyViolation; encryption-enforcement blockers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ec2.cross_helpers import (
    CERT,
    OTHER,
    ROOT,
    S3,
    WAITER,
    available_tgw,
    ec2_account,
    group_held,
    managed_list,
    peer,
    subnet,
    subnet_held,
    table,
    vpc,
    vpc_held,
)
from tests.ec2.ec2_helpers import assert_error, launch


@pytest.fixture
def other(env: Any) -> Any:
    """Account 222233334444 in eu-west-1."""
    return env.client("ec2", region="eu-west-1", aws_access_key_id=OTHER, aws_secret_access_key="x")


def test_a_vpc_is_held_by_its_groups_tables_and_gateways(ec2):
    vpc_id = vpc(ec2)
    group = ec2.create_security_group(GroupName="g", Description="d", VpcId=vpc_id)["GroupId"]
    vpc_held(ec2, vpc_id)
    ec2.delete_security_group(GroupId=group)
    rtb = table(ec2, vpc_id)
    vpc_held(ec2, vpc_id)
    ec2.delete_route_table(RouteTableId=rtb)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    vpc_held(ec2, vpc_id)
    ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    eigw = ec2.create_egress_only_internet_gateway(VpcId=vpc_id)["EgressOnlyInternetGateway"][
        "EgressOnlyInternetGatewayId"
    ]
    vpc_held(ec2, vpc_id)
    ec2.delete_egress_only_internet_gateway(EgressOnlyInternetGatewayId=eigw)
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=vgw, VpcId=vpc_id)
    vpc_held(ec2, vpc_id)
    ec2.detach_vpn_gateway(VpnGatewayId=vgw, VpcId=vpc_id)
    ec2.describe_vpn_gateways(VpnGatewayIds=[vgw])  # detaching -> detached
    ec2.delete_vpc(VpcId=vpc_id)


def test_a_vpc_and_subnet_are_held_by_nat_gateways_endpoints_and_tgw_attachments(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    nat = ec2.create_nat_gateway(SubnetId=subnet_id, ConnectivityType="private")["NatGateway"][
        "NatGatewayId"
    ]
    vpc_held(ec2, vpc_id)
    subnet_held(ec2, subnet_id)
    ec2.delete_nat_gateway(NatGatewayId=nat)
    ec2.get_waiter("nat_gateway_deleted").wait(NatGatewayIds=[nat], WaiterConfig=WAITER)

    vpce = ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        ServiceName="com.amazonaws.eu-west-1.ssm",
        VpcEndpointType="Interface",
        SubnetIds=[subnet_id],
    )["VpcEndpoint"]["VpcEndpointId"]
    subnet_held(ec2, subnet_id)
    vpc_held(ec2, vpc_id)
    ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce])
    ec2.describe_vpc_endpoints()
    gateway_endpoint = ec2.create_vpc_endpoint(VpcId=vpc_id, ServiceName=S3)["VpcEndpoint"][
        "VpcEndpointId"
    ]
    vpc_held(ec2, vpc_id)
    ec2.delete_vpc_endpoints(VpcEndpointIds=[gateway_endpoint])
    ec2.describe_vpc_endpoints()

    tgw = available_tgw(ec2)
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw, VpcId=vpc_id, SubnetIds=[subnet_id]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    subnet_held(ec2, subnet_id)
    vpc_held(ec2, vpc_id)
    ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
    ec2.describe_transit_gateway_vpc_attachments(TransitGatewayAttachmentIds=[attachment])
    ec2.delete_subnet(SubnetId=subnet_id)
    ec2.delete_vpc(VpcId=vpc_id)


def test_a_vpc_is_held_by_another_accounts_pending_peering_request(ec2, other):
    theirs = vpc(other, "10.1.0.0/16")
    mine = vpc(ec2)
    pcx = other.create_vpc_peering_connection(
        VpcId=theirs, PeerVpcId=mine, PeerOwnerId=ec2_account(ec2)
    )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    ec2.get_waiter("vpc_peering_connection_exists").wait(
        VpcPeeringConnectionIds=[pcx], WaiterConfig=WAITER
    )
    vpc_held(ec2, mine)
    ec2.reject_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    ec2.delete_vpc(VpcId=mine)


def test_a_subnet_and_group_are_held_by_interfaces_and_instances(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    group = ec2.create_security_group(GroupName="g", Description="d", VpcId=vpc_id)["GroupId"]
    eni = ec2.create_network_interface(SubnetId=subnet_id, Groups=[group])["NetworkInterface"][
        "NetworkInterfaceId"
    ]
    subnet_held(ec2, subnet_id)
    group_held(ec2, group)
    ec2.delete_network_interface(NetworkInterfaceId=eni)
    instance = launch(ec2, SubnetId=subnet_id, SecurityGroupIds=[group])[0]["InstanceId"]
    subnet_held(ec2, subnet_id)
    group_held(ec2, group)
    ec2.terminate_instances(InstanceIds=[instance])
    ec2.get_waiter("instance_terminated").wait(InstanceIds=[instance], WaiterConfig=WAITER)
    ec2.delete_security_group(GroupId=group)
    ec2.delete_subnet(SubnetId=subnet_id)


def test_a_group_is_held_by_endpoints_and_rules_naming_it(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    group = ec2.create_security_group(GroupName="g", Description="d", VpcId=vpc_id)["GroupId"]
    vpce = ec2.create_vpc_endpoint(
        VpcId=vpc_id,
        ServiceName="com.amazonaws.eu-west-1.ssm",
        VpcEndpointType="Interface",
        SubnetIds=[subnet_id],
        SecurityGroupIds=[group],
    )["VpcEndpoint"]["VpcEndpointId"]
    group_held(ec2, group)
    ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce])
    ec2.describe_vpc_endpoints()
    holder = ec2.create_security_group(GroupName="h", Description="d", VpcId=vpc_id)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=holder,
        IpPermissions=[{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": group}]}],
    )
    group_held(ec2, group)
    ec2.delete_security_group(GroupId=holder)
    ec2.delete_security_group(GroupId=group)


def test_a_subnet_and_group_are_held_by_a_client_vpn_endpoint(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    group = ec2.create_security_group(GroupName="g", Description="d", VpcId=vpc_id)["GroupId"]
    cvpn = ec2.create_client_vpn_endpoint(
        ClientCidrBlock="10.100.0.0/22",
        ServerCertificateArn=CERT,
        AuthenticationOptions=[
            {
                "Type": "certificate-authentication",
                "MutualAuthentication": {"ClientRootCertificateChainArn": ROOT},
            }
        ],
        ConnectionLogOptions={"Enabled": False},
        VpcId=vpc_id,
        SecurityGroupIds=[group],
    )["ClientVpnEndpointId"]
    group_held(ec2, group)
    association = ec2.associate_client_vpn_target_network(
        ClientVpnEndpointId=cvpn, SubnetId=subnet_id
    )["AssociationId"]
    subnet_held(ec2, subnet_id)
    ec2.disassociate_client_vpn_target_network(ClientVpnEndpointId=cvpn, AssociationId=association)
    ec2.describe_client_vpn_target_networks(ClientVpnEndpointId=cvpn)
    ec2.delete_client_vpn_endpoint(ClientVpnEndpointId=cvpn)
    ec2.describe_client_vpn_endpoints()
    ec2.delete_subnet(SubnetId=subnet_id)
    ec2.delete_security_group(GroupId=group)


def test_a_prefix_list_is_held_by_a_group_rule(ec2):
    pl = managed_list(ec2)
    vpc_id = vpc(ec2)
    group = ec2.create_security_group(GroupName="g", Description="d", VpcId=vpc_id)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[{"IpProtocol": "-1", "PrefixListIds": [{"PrefixListId": pl}]}],
    )
    got = ec2.get_managed_prefix_list_associations(PrefixListId=pl)["PrefixListAssociations"]
    assert [a["ResourceId"] for a in got] == [group]
    assert_error(ec2.delete_managed_prefix_list, "DependencyViolation", PrefixListId=pl)
    ec2.delete_security_group(GroupId=group)
    ec2.delete_managed_prefix_list(PrefixListId=pl)


def test_an_interface_is_held_by_a_traffic_mirror_target_and_session(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    source = ec2.create_network_interface(SubnetId=subnet_id)["NetworkInterface"][
        "NetworkInterfaceId"
    ]
    sink = ec2.create_network_interface(SubnetId=subnet_id)["NetworkInterface"][
        "NetworkInterfaceId"
    ]
    target = ec2.create_traffic_mirror_target(NetworkInterfaceId=sink)["TrafficMirrorTarget"][
        "TrafficMirrorTargetId"
    ]
    mirror_filter = ec2.create_traffic_mirror_filter()["TrafficMirrorFilter"][
        "TrafficMirrorFilterId"
    ]
    session = ec2.create_traffic_mirror_session(
        NetworkInterfaceId=source,
        TrafficMirrorTargetId=target,
        TrafficMirrorFilterId=mirror_filter,
        SessionNumber=1,
    )["TrafficMirrorSession"]["TrafficMirrorSessionId"]
    for eni in (source, sink):
        assert_error(ec2.delete_network_interface, "DependencyViolation", NetworkInterfaceId=eni)
    ec2.delete_traffic_mirror_session(TrafficMirrorSessionId=session)
    ec2.delete_network_interface(NetworkInterfaceId=source)
    assert_error(ec2.delete_network_interface, "DependencyViolation", NetworkInterfaceId=sink)
    ec2.delete_traffic_mirror_target(TrafficMirrorTargetId=target)
    ec2.delete_network_interface(NetworkInterfaceId=sink)


def test_gateways_and_peerings_block_encryption_enforcement_unless_excluded(ec2):
    vpc_id = vpc(ec2)
    subnet_id = subnet(ec2, vpc_id)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    eigw = ec2.create_egress_only_internet_gateway(VpcId=vpc_id)["EgressOnlyInternetGateway"][
        "EgressOnlyInternetGatewayId"
    ]
    nat = ec2.create_nat_gateway(SubnetId=subnet_id, ConnectivityType="private")["NatGateway"][
        "NatGatewayId"
    ]
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpnGatewayId=vgw, VpcId=vpc_id)
    pcx = peer(ec2, vpc_id, vpc(ec2, "10.1.0.0/16"))

    blocking = ec2.get_vpc_resources_blocking_encryption_enforcement(VpcId=vpc_id)[
        "NonCompliantResources"
    ]
    assert {(r["Id"], r["Type"]) for r in blocking} == {
        (igw, "internet-gateway"),
        (eigw, "egress-only-internet-gateway"),
        (nat, "nat-gateway"),
        (vgw, "vpn-gateway"),
        (pcx, "vpc-peering-connection"),
    }
    assert all(r["IsExcludable"] for r in blocking)

    control = ec2.create_vpc_encryption_control(VpcId=vpc_id)["VpcEncryptionControl"][
        "VpcEncryptionControlId"
    ]
    ec2.describe_vpc_encryption_controls(VpcEncryptionControlIds=[control])
    ec2.modify_vpc_encryption_control(VpcEncryptionControlId=control, Mode="enforce")
    shown = ec2.describe_vpc_encryption_controls(VpcEncryptionControlIds=[control])[
        "VpcEncryptionControls"
    ][0]
    assert shown["State"] == "enforce-failed"

    ec2.modify_vpc_encryption_control(
        VpcEncryptionControlId=control,
        Mode="enforce",
        InternetGatewayExclusion="enable",
        EgressOnlyInternetGatewayExclusion="enable",
        NatGatewayExclusion="enable",
        VirtualPrivateGatewayExclusion="enable",
        VpcPeeringExclusion="enable",
    )
    shown = ec2.describe_vpc_encryption_controls(VpcEncryptionControlIds=[control])[
        "VpcEncryptionControls"
    ][0]
    assert (shown["Mode"], shown["State"]) == ("enforce", "available")


def test_a_detached_gateway_no_longer_blocks_encryption(ec2):
    vpc_id = vpc(ec2)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    blocking = ec2.get_vpc_resources_blocking_encryption_enforcement(VpcId=vpc_id)
    assert [r["Id"] for r in blocking["NonCompliantResources"]] == [igw]
    ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    blocking = ec2.get_vpc_resources_blocking_encryption_enforcement(VpcId=vpc_id)
    assert blocking["NonCompliantResources"] == []
