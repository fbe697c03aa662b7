"""Site-to-Site VPN: customer gateways, virtual private gateways, VPN connections,
their routes, options and tunnels, VPN concentrators, VGW route propagation."""

from __future__ import annotations

import ipaddress
import re
import xml.etree.ElementTree as ET
from typing import Any

from ec2_helpers import ID17, assert_error

WAIT = {"Delay": 0, "MaxAttempts": 5}


def cgw(ec2: Any, **kw: Any) -> dict[str, Any]:
    kw.setdefault("Type", "ipsec.1")
    kw.setdefault("IpAddress", "203.0.113.10")
    kw.setdefault("BgpAsn", 65000)
    kw = {k: v for k, v in kw.items() if v is not None}
    return ec2.create_customer_gateway(**kw)["CustomerGateway"]


def vgw(ec2: Any, **kw: Any) -> dict[str, Any]:
    kw.setdefault("Type", "ipsec.1")
    return ec2.create_vpn_gateway(**kw)["VpnGateway"]


def default_vpc(ec2: Any) -> str:
    return ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0][
        "VpcId"
    ]


def vpn(ec2: Any, **kw: Any) -> dict[str, Any]:
    if "CustomerGatewayId" not in kw:
        kw["CustomerGatewayId"] = cgw(ec2)["CustomerGatewayId"]
    if "VpnGatewayId" not in kw and "TransitGatewayId" not in kw:
        kw["VpnGatewayId"] = vgw(ec2)["VpnGatewayId"]
    kw.setdefault("Type", "ipsec.1")
    return ec2.create_vpn_connection(**kw)["VpnConnection"]


def describe_vpn(ec2: Any, vpn_id: str) -> dict[str, Any]:
    return ec2.describe_vpn_connections(VpnConnectionIds=[vpn_id])["VpnConnections"][0]


# -- customer gateways


def test_customer_gateway_create_describe_and_available(ec2):
    gateway = cgw(
        ec2,
        DeviceName="edge-router",
        TagSpecifications=[
            {"ResourceType": "customer-gateway", "Tags": [{"Key": "Name", "Value": "office"}]}
        ],
    )
    assert re.fullmatch(rf"cgw-{ID17}", gateway["CustomerGatewayId"])
    assert gateway["State"] == "pending"
    assert gateway["BgpAsn"] == "65000"
    assert gateway["IpAddress"] == "203.0.113.10"
    assert gateway["Type"] == "ipsec.1"
    assert gateway["DeviceName"] == "edge-router"
    assert gateway["Tags"] == [{"Key": "Name", "Value": "office"}]
    ec2.get_waiter("customer_gateway_available").wait(
        CustomerGatewayIds=[gateway["CustomerGatewayId"]], WaiterConfig=WAIT
    )
    (shown,) = ec2.describe_customer_gateways(CustomerGatewayIds=[gateway["CustomerGatewayId"]])[
        "CustomerGateways"
    ]
    assert shown["State"] == "available"


def test_customer_gateway_asns(ec2):
    assert cgw(ec2, BgpAsn=None, IpAddress="203.0.113.1")["BgpAsn"] == "65000"
    extended = ec2.create_customer_gateway(
        Type="ipsec.1", IpAddress="203.0.113.2", BgpAsnExtended=4_200_000_001
    )["CustomerGateway"]
    assert extended["BgpAsnExtended"] == "4200000001"
    for kw in ({"BgpAsn": 0}, {"BgpAsnExtended": 2_147_483_647}, {"BgpAsnExtended": 2**32}):
        assert_error(
            ec2.create_customer_gateway,
            "InvalidParameterValue",
            Type="ipsec.1",
            IpAddress="203.0.113.3",
            **kw,
        )
    assert_error(
        ec2.create_customer_gateway,
        "InvalidParameterCombination",
        Type="ipsec.1",
        IpAddress="203.0.113.3",
        BgpAsn=65000,
        BgpAsnExtended=4_200_000_001,
    )


def test_customer_gateway_address_and_type_checked(ec2):
    for address in ("not-an-ip", "127.0.0.1", "224.0.0.1", "2001:db8::1"):
        assert_error(
            ec2.create_customer_gateway,
            "InvalidParameterValue",
            Type="ipsec.1",
            IpAddress=address,
            BgpAsn=65000,
        )
    assert_error(ec2.create_customer_gateway, "MissingParameter", Type="ipsec.1", BgpAsn=65000)
    assert_error(
        ec2.create_customer_gateway,
        "InvalidParameterValue",
        Type="ipsec.1",
        IpAddress="203.0.113.4",
        CertificateArn="not-an-arn",
    )
    with_cert = ec2.create_customer_gateway(
        Type="ipsec.1",
        CertificateArn="arn:aws:acm:eu-west-1:123456789012:certificate/abcd",
    )["CustomerGateway"]
    assert with_cert["CertificateArn"].endswith("certificate/abcd")
    assert "IpAddress" not in with_cert
    # the deprecated PublicIp still names the address
    assert cgw(ec2, IpAddress=None, PublicIp="198.51.100.7")["IpAddress"] == "198.51.100.7"


def test_identical_customer_gateway_is_not_made_twice(ec2):
    first = cgw(ec2)
    again = cgw(ec2)
    assert again["CustomerGatewayId"] == first["CustomerGatewayId"]
    other = cgw(ec2, BgpAsn=65001)
    assert other["CustomerGatewayId"] != first["CustomerGatewayId"]
    assert len(ec2.describe_customer_gateways()["CustomerGateways"]) == 2


def test_customer_gateway_filters(ec2):
    a = cgw(
        ec2,
        TagSpecifications=[
            {"ResourceType": "customer-gateway", "Tags": [{"Key": "env", "Value": "prod"}]}
        ],
    )
    b = cgw(ec2, IpAddress="198.51.100.1", BgpAsn=65010)
    ids = [a["CustomerGatewayId"], b["CustomerGatewayId"]]

    def found(name: str, *values: str) -> set[str]:
        gateways = ec2.describe_customer_gateways(Filters=[{"Name": name, "Values": list(values)}])
        return {g["CustomerGatewayId"] for g in gateways["CustomerGateways"]}

    assert found("bgp-asn", "65010") == {ids[1]}
    assert found("customer-gateway-id", ids[0]) == {ids[0]}
    assert found("ip-address", "203.0.113.10") == {ids[0]}
    assert found("state", "available") == set(ids)
    assert found("type", "ipsec.1") == set(ids)
    assert found("tag:env", "prod") == {ids[0]}
    assert found("tag-key", "env") == {ids[0]}
    assert_error(
        ec2.describe_customer_gateways,
        "InvalidParameterValue",
        Filters=[{"Name": "bogus", "Values": ["x"]}],
    )


def test_customer_gateway_ids_checked(ec2):
    assert_error(
        ec2.describe_customer_gateways,
        "InvalidCustomerGatewayID.NotFound",
        CustomerGatewayIds=["cgw-0123456789abcdef0"],
    )
    assert_error(
        ec2.delete_customer_gateway,
        "InvalidCustomerGatewayId.Malformed",
        CustomerGatewayId="vgw-0123456789abcdef0",
    )


def test_customer_gateway_delete_and_dry_run(ec2, env):
    gateway_id = cgw(ec2)["CustomerGatewayId"]
    assert_error(
        ec2.create_customer_gateway,
        "DryRunOperation",
        412,
        Type="ipsec.1",
        IpAddress="203.0.113.99",
        DryRun=True,
    )
    assert len(ec2.describe_customer_gateways()["CustomerGateways"]) == 1
    assert_error(
        ec2.delete_customer_gateway,
        "DryRunOperation",
        412,
        CustomerGatewayId=gateway_id,
        DryRun=True,
    )
    ec2.delete_customer_gateway(CustomerGatewayId=gateway_id)
    (shown,) = ec2.describe_customer_gateways(CustomerGatewayIds=[gateway_id])["CustomerGateways"]
    assert shown["State"] == "deleted"
    # deleted gateways stay visible a while, then go
    env.clock.advance(3601)
    assert ec2.describe_customer_gateways()["CustomerGateways"] == []


def test_customer_gateway_in_use_cannot_be_deleted(ec2):
    connection = vpn(ec2)
    assert_error(
        ec2.delete_vpn_gateway,
        "IncorrectState",
        message="in use",
        VpnGatewayId=connection["VpnGatewayId"],
    )
    assert_error(
        ec2.delete_customer_gateway,
        "IncorrectState",
        message="in use",
        CustomerGatewayId=connection["CustomerGatewayId"],
    )
    ec2.delete_vpn_connection(VpnConnectionId=connection["VpnConnectionId"])
    ec2.get_waiter("vpn_connection_deleted").wait(
        VpnConnectionIds=[connection["VpnConnectionId"]], WaiterConfig=WAIT
    )
    ec2.delete_customer_gateway(CustomerGatewayId=connection["CustomerGatewayId"])
    assert_error(
        ec2.create_vpn_connection,
        "InvalidCustomerGatewayState",
        Type="ipsec.1",
        CustomerGatewayId=connection["CustomerGatewayId"],
        VpnGatewayId=connection["VpnGatewayId"],
    )
    # a deleted connection no longer takes changes
    assert_error(
        ec2.modify_vpn_connection_options,
        "InvalidVpnConnection.InvalidState",
        VpnConnectionId=connection["VpnConnectionId"],
        TunnelBandwidth="standard",
    )


# -- virtual private gateways


def test_vpn_gateway_create_and_describe(ec2):
    gateway = vgw(
        ec2,
        AvailabilityZone="eu-west-1a",
        TagSpecifications=[
            {"ResourceType": "vpn-gateway", "Tags": [{"Key": "Name", "Value": "gw"}]}
        ],
    )
    assert re.fullmatch(rf"vgw-{ID17}", gateway["VpnGatewayId"])
    assert gateway["State"] == "pending"
    assert gateway["AmazonSideAsn"] == 64512
    assert gateway["AvailabilityZone"] == "eu-west-1a"
    assert gateway["VpcAttachments"] == []
    assert gateway["Tags"] == [{"Key": "Name", "Value": "gw"}]
    (shown,) = ec2.describe_vpn_gateways(VpnGatewayIds=[gateway["VpnGatewayId"]])["VpnGateways"]
    assert shown["State"] == "available"
    assert vgw(ec2, AmazonSideAsn=4_200_000_000)["AmazonSideAsn"] == 4_200_000_000


def test_vpn_gateway_inputs_checked(ec2):
    for asn in (65000 - 1000, 65535, 4_199_999_999, 4_294_967_295):
        assert_error(
            ec2.create_vpn_gateway, "InvalidParameterValue", Type="ipsec.1", AmazonSideAsn=asn
        )
    assert_error(
        ec2.create_vpn_gateway,
        "InvalidParameterValue",
        Type="ipsec.1",
        AvailabilityZone="us-east-1a",
    )
    assert_error(ec2.create_vpn_gateway, "DryRunOperation", 412, Type="ipsec.1", DryRun=True)
    assert ec2.describe_vpn_gateways()["VpnGateways"] == []
    assert_error(
        ec2.describe_vpn_gateways,
        "InvalidVpnGatewayID.NotFound",
        VpnGatewayIds=["vgw-0123456789abcdef0"],
    )
    assert_error(ec2.delete_vpn_gateway, "InvalidVpnGatewayID.Malformed", VpnGatewayId="vgw-x")


def test_attach_and_detach(ec2):
    vpc_id = default_vpc(ec2)
    gateway_id = vgw(ec2)["VpnGatewayId"]
    assert_error(
        ec2.attach_vpn_gateway,
        "DryRunOperation",
        412,
        VpcId=vpc_id,
        VpnGatewayId=gateway_id,
        DryRun=True,
    )
    assert ec2.describe_vpn_gateways()["VpnGateways"][0]["VpcAttachments"] == []
    attachment = ec2.attach_vpn_gateway(VpcId=vpc_id, VpnGatewayId=gateway_id)["VpcAttachment"]
    assert attachment == {"VpcId": vpc_id, "State": "attaching"}
    (shown,) = ec2.describe_vpn_gateways(VpnGatewayIds=[gateway_id])["VpnGateways"]
    assert shown["VpcAttachments"] == [{"VpcId": vpc_id, "State": "attached"}]
    # one gateway per VPC, one VPC per gateway
    other_id = vgw(ec2)["VpnGatewayId"]
    assert_error(ec2.attach_vpn_gateway, "InvalidVpcState", VpcId=vpc_id, VpnGatewayId=other_id)
    assert_error(
        ec2.attach_vpn_gateway,
        "VpnGatewayAttachmentLimitExceeded",
        VpcId=vpc_id,
        VpnGatewayId=gateway_id,
    )
    assert_error(
        ec2.attach_vpn_gateway,
        "InvalidVpcID.NotFound",
        VpcId="vpc-0123456789abcdef0",
        VpnGatewayId=other_id,
    )
    # attached: no delete
    assert_error(ec2.delete_vpn_gateway, "IncorrectState", VpnGatewayId=gateway_id)
    assert_error(
        ec2.detach_vpn_gateway,
        "InvalidVpnGatewayAttachment.NotFound",
        VpcId=vpc_id,
        VpnGatewayId=other_id,
    )
    assert_error(
        ec2.detach_vpn_gateway,
        "DryRunOperation",
        412,
        VpcId=vpc_id,
        VpnGatewayId=gateway_id,
        DryRun=True,
    )
    ec2.detach_vpn_gateway(VpcId=vpc_id, VpnGatewayId=gateway_id)
    (shown,) = ec2.describe_vpn_gateways(VpnGatewayIds=[gateway_id])["VpnGateways"]
    assert shown["VpcAttachments"] == [{"VpcId": vpc_id, "State": "detached"}]
    assert_error(
        ec2.detach_vpn_gateway,
        "InvalidVpnGatewayAttachment.NotFound",
        VpcId=vpc_id,
        VpnGatewayId=gateway_id,
    )
    # detached: the VPC is free for the other gateway, and this one can go
    ec2.attach_vpn_gateway(VpcId=vpc_id, VpnGatewayId=other_id)
    assert_error(
        ec2.delete_vpn_gateway, "DryRunOperation", 412, VpnGatewayId=gateway_id, DryRun=True
    )
    ec2.delete_vpn_gateway(VpnGatewayId=gateway_id)
    (shown,) = ec2.describe_vpn_gateways(VpnGatewayIds=[gateway_id])["VpnGateways"]
    assert shown["State"] in ("deleting", "deleted")


def test_vpc_with_gateway_attached_cannot_be_deleted(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.78.0.0/16")["Vpc"]["VpcId"]
    gateway_id = vgw(ec2)["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpcId=vpc_id, VpnGatewayId=gateway_id)
    assert_error(ec2.delete_vpc, "DependencyViolation", VpcId=vpc_id)
    ec2.detach_vpn_gateway(VpcId=vpc_id, VpnGatewayId=gateway_id)
    ec2.describe_vpn_gateways()  # detaching -> detached
    ec2.delete_vpc(VpcId=vpc_id)


def test_vpn_gateway_filters(ec2):
    vpc_id = default_vpc(ec2)
    a = vgw(ec2, AvailabilityZone="eu-west-1b")["VpnGatewayId"]
    b = vgw(ec2, AmazonSideAsn=65001)["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpcId=vpc_id, VpnGatewayId=a)

    def found(name: str, *values: str) -> set[str]:
        gateways = ec2.describe_vpn_gateways(Filters=[{"Name": name, "Values": list(values)}])
        return {g["VpnGatewayId"] for g in gateways["VpnGateways"]}

    assert found("amazon-side-asn", "65001") == {b}
    assert found("attachment.state", "attached") == {a}
    assert found("attachment.vpc-id", vpc_id) == {a}
    assert found("availability-zone", "eu-west-1b") == {a}
    assert found("state", "available") == {a, b}
    assert found("type", "ipsec.1") == {a, b}
    assert found("vpn-gateway-id", b) == {b}
    ec2.create_tags(Resources=[b], Tags=[{"Key": "role", "Value": "backup"}])
    assert found("tag:role", "backup") == {b}
    assert found("tag-key", "role") == {b}


# -- VPN connections


def test_vpn_connection_create_and_describe(ec2):
    gateway = cgw(ec2)
    gateway_id = vgw(ec2)["VpnGatewayId"]
    connection = vpn(
        ec2,
        CustomerGatewayId=gateway["CustomerGatewayId"],
        VpnGatewayId=gateway_id,
        TagSpecifications=[
            {"ResourceType": "vpn-connection", "Tags": [{"Key": "Name", "Value": "site"}]}
        ],
    )
    assert re.fullmatch(rf"vpn-{ID17}", connection["VpnConnectionId"])
    assert connection["State"] == "pending"
    assert connection["Category"] == "VPN"
    assert connection["VpnGatewayId"] == gateway_id
    assert connection["Tags"] == [{"Key": "Name", "Value": "site"}]
    options = connection["Options"]
    assert options["StaticRoutesOnly"] is False
    assert options["TunnelInsideIpVersion"] == "ipv4"
    assert options["LocalIpv4NetworkCidr"] == "0.0.0.0/0"
    tunnels = options["TunnelOptions"]
    assert len(tunnels) == 2
    for tunnel in tunnels:
        inside = ipaddress.IPv4Network(tunnel["TunnelInsideCidr"])
        assert inside.prefixlen == 30 and inside.subnet_of(ipaddress.IPv4Network("169.254.0.0/16"))
        assert 8 <= len(tunnel["PreSharedKey"]) <= 64 and tunnel["PreSharedKey"][0] != "0"
        ipaddress.IPv4Address(tunnel["OutsideIpAddress"])
    telemetry = connection["VgwTelemetry"]
    assert [t["OutsideIpAddress"] for t in telemetry] == [t["OutsideIpAddress"] for t in tunnels]
    assert {t["Status"] for t in telemetry} == {"DOWN"}
    # the device configuration is XML naming both tunnels and the pre-shared keys
    root = ET.fromstring(connection["CustomerGatewayConfiguration"])
    assert root.get("id") == connection["VpnConnectionId"]
    assert [
        t.findtext("vpn_gateway/tunnel_outside_address/ip_address")
        for t in root.iter("ipsec_tunnel")
    ] == [t["OutsideIpAddress"] for t in tunnels]
    assert [t.findtext("ike/pre_shared_key") for t in root.iter("ipsec_tunnel")] == [
        t["PreSharedKey"] for t in tunnels
    ]
    assert root.findtext("ipsec_tunnel/customer_gateway/tunnel_outside_address/ip_address") == (
        "203.0.113.10"
    )
    ec2.get_waiter("vpn_connection_available").wait(
        VpnConnectionIds=[connection["VpnConnectionId"]], WaiterConfig=WAIT
    )
    assert describe_vpn(ec2, connection["VpnConnectionId"])["State"] == "available"


def test_vpn_connection_delete_and_waiter(ec2):
    connection_id = vpn(ec2)["VpnConnectionId"]
    assert_error(
        ec2.delete_vpn_connection,
        "DryRunOperation",
        412,
        VpnConnectionId=connection_id,
        DryRun=True,
    )
    assert describe_vpn(ec2, connection_id)["State"] == "available"
    ec2.delete_vpn_connection(VpnConnectionId=connection_id)
    ec2.get_waiter("vpn_connection_deleted").wait(
        VpnConnectionIds=[connection_id], WaiterConfig=WAIT
    )
    shown = describe_vpn(ec2, connection_id)
    assert shown["State"] == "deleted"
    assert "CustomerGatewayConfiguration" not in shown


def test_vpn_connection_options(ec2):
    connection = vpn(
        ec2,
        Options={
            "StaticRoutesOnly": True,
            "LocalIpv4NetworkCidr": "10.0.0.0/16",
            "RemoteIpv4NetworkCidr": "192.168.0.0/24",
            "TunnelOptions": [
                {
                    "TunnelInsideCidr": "169.254.10.0/30",
                    "PreSharedKey": "secret_key.1",
                    "Phase1LifetimeSeconds": 27000,
                    "Phase2LifetimeSeconds": 3000,
                    "RekeyMarginTimeSeconds": 600,
                    "RekeyFuzzPercentage": 50,
                    "ReplayWindowSize": 2048,
                    "DPDTimeoutSeconds": 45,
                    "DPDTimeoutAction": "restart",
                    "Phase1EncryptionAlgorithms": [{"Value": "AES256"}],
                    "Phase2IntegrityAlgorithms": [{"Value": "SHA2-256"}],
                    "Phase1DHGroupNumbers": [{"Value": 14}],
                    "IKEVersions": [{"Value": "ikev2"}],
                    "StartupAction": "start",
                    "EnableTunnelLifecycleControl": True,
                    "LogOptions": {
                        "CloudWatchLogOptions": {
                            "LogEnabled": True,
                            "LogGroupArn": "arn:aws:logs:eu-west-1:123456789012:log-group:vpn",
                            "LogOutputFormat": "text",
                        }
                    },
                },
                {"TunnelInsideCidr": "169.254.11.0/30"},
            ],
        },
    )
    options = connection["Options"]
    assert options["StaticRoutesOnly"] is True
    assert options["LocalIpv4NetworkCidr"] == "10.0.0.0/16"
    assert options["RemoteIpv4NetworkCidr"] == "192.168.0.0/24"
    first, second = options["TunnelOptions"]
    assert first["TunnelInsideCidr"] == "169.254.10.0/30"
    assert first["PreSharedKey"] == "secret_key.1"
    assert first["Phase1LifetimeSeconds"] == 27000
    assert first["Phase2LifetimeSeconds"] == 3000
    assert first["RekeyMarginTimeSeconds"] == 600
    assert first["RekeyFuzzPercentage"] == 50
    assert first["ReplayWindowSize"] == 2048
    assert first["DpdTimeoutSeconds"] == 45
    assert first["DpdTimeoutAction"] == "restart"
    assert first["Phase1EncryptionAlgorithms"] == [{"Value": "AES256"}]
    assert first["Phase2IntegrityAlgorithms"] == [{"Value": "SHA2-256"}]
    assert first["Phase1DHGroupNumbers"] == [{"Value": 14}]
    assert first["IkeVersions"] == [{"Value": "ikev2"}]
    assert first["StartupAction"] == "start"
    assert first["EnableTunnelLifecycleControl"] is True
    assert first["LogOptions"]["CloudWatchLogOptions"]["LogOutputFormat"] == "text"
    assert second["TunnelInsideCidr"] == "169.254.11.0/30"
    assert second["LogOptions"] == {"CloudWatchLogOptions": {"LogEnabled": False}}


BAD_TUNNELS = [
    {"TunnelInsideCidr": "169.254.10.0/29"},
    {"TunnelInsideCidr": "10.0.0.0/30"},
    {"TunnelInsideCidr": "169.254.1.0/30"},
    {"TunnelInsideCidr": "169.254.169.252/30"},
    {"PreSharedKey": "short"},
    {"PreSharedKey": "0startswithzero"},
    {"PreSharedKey": "has-a-dash-in-it"},
    {"PreSharedKey": "x" * 65},
    {"Phase1LifetimeSeconds": 899},
    {"Phase2LifetimeSeconds": 3601},
    {"RekeyMarginTimeSeconds": 59},
    {"RekeyFuzzPercentage": 101},
    {"ReplayWindowSize": 63},
    {"DPDTimeoutSeconds": 29},
    {"DPDTimeoutAction": "explode"},
    {"Phase1EncryptionAlgorithms": [{"Value": "DES"}]},
    {"Phase2DHGroupNumbers": [{"Value": 3}]},
    {"IKEVersions": [{"Value": "ikev3"}]},
    {"StartupAction": "later"},
    {"TunnelInsideIpv6Cidr": "fd00::/126"},
]


def test_bad_tunnel_options_are_refused(ec2):
    customer = cgw(ec2)["CustomerGatewayId"]
    gateway = vgw(ec2)["VpnGatewayId"]
    for tunnel in BAD_TUNNELS:
        code = (
            "InvalidParameterCombination"
            if "TunnelInsideIpv6Cidr" in tunnel
            else "InvalidParameterValue"
        )
        assert_error(
            ec2.create_vpn_connection,
            code,
            Type="ipsec.1",
            CustomerGatewayId=customer,
            VpnGatewayId=gateway,
            Options={"TunnelOptions": [tunnel]},
        )
    assert ec2.describe_vpn_connections()["VpnConnections"] == []


def test_inside_cidrs_and_customer_addresses_unique_per_gateway(ec2):
    gateway = vgw(ec2)["VpnGatewayId"]
    taken = {"TunnelOptions": [{"TunnelInsideCidr": "169.254.20.0/30"}]}
    first = vpn(ec2, VpnGatewayId=gateway, Options=taken)

    def other_customer(address: str) -> str:
        return cgw(ec2, IpAddress=address)["CustomerGatewayId"]

    assert_error(
        ec2.create_vpn_connection,
        "InvalidCidr.InUse",
        Type="ipsec.1",
        CustomerGatewayId=other_customer("198.51.100.20"),
        VpnGatewayId=gateway,
        Options=taken,
    )
    assert_error(
        ec2.create_vpn_connection,
        "InvalidCidr.InUse",
        Type="ipsec.1",
        CustomerGatewayId=other_customer("198.51.100.21"),
        VpnGatewayId=gateway,
        Options={"TunnelOptions": [{"TunnelInsideCidr": "169.254.30.0/30"}] * 2},
    )
    # one customer address per gateway, even through another customer gateway
    assert_error(
        ec2.create_vpn_connection,
        "InvalidCustomerGateway.DuplicateIpAddress",
        Type="ipsec.1",
        CustomerGatewayId=cgw(ec2, BgpAsn=65002)["CustomerGatewayId"],
        VpnGatewayId=gateway,
    )
    # another gateway may use the same range and the same customer address
    vpn(ec2, CustomerGatewayId=first["CustomerGatewayId"], Options=taken)
    assert_error(
        ec2.create_vpn_connection,
        "InvalidParameterValue",
        Type="ipsec.1",
        CustomerGatewayId=other_customer("198.51.100.22"),
        VpnGatewayId=gateway,
        Options={"TunnelOptions": [{"PreSharedKey": "abcdefgh"}] * 3},
    )
    # moving a connection onto the gateway brings its ranges and address along
    moving = vpn(ec2, CustomerGatewayId=other_customer("198.51.100.23"), Options=taken)
    assert_error(
        ec2.modify_vpn_connection,
        "InvalidCidr.InUse",
        VpnConnectionId=moving["VpnConnectionId"],
        VpnGatewayId=gateway,
    )


def test_vpn_connection_inputs_checked(ec2):
    customer = cgw(ec2)["CustomerGatewayId"]
    gateway = vgw(ec2)["VpnGatewayId"]
    assert_error(
        ec2.create_vpn_connection, "MissingParameter", Type="ipsec.1", CustomerGatewayId=customer
    )
    assert_error(
        ec2.create_vpn_connection,
        "InvalidParameterValue",
        Type="ipsec.2",
        CustomerGatewayId=customer,
        VpnGatewayId=gateway,
    )
    assert_error(
        ec2.create_vpn_connection,
        "InvalidCustomerGatewayID.NotFound",
        Type="ipsec.1",
        CustomerGatewayId="cgw-0123456789abcdef0",
        VpnGatewayId=gateway,
    )
    assert_error(
        ec2.create_vpn_connection,
        "InvalidVpnGatewayID.NotFound",
        Type="ipsec.1",
        CustomerGatewayId=customer,
        VpnGatewayId="vgw-0123456789abcdef0",
    )
    assert_error(
        ec2.create_vpn_connection,
        "InvalidParameterCombination",
        Type="ipsec.1",
        CustomerGatewayId=customer,
        VpnGatewayId=gateway,
        Options={"EnableAcceleration": True},
    )
    assert_error(
        ec2.create_vpn_connection,
        "InvalidParameterCombination",
        Type="ipsec.1",
        CustomerGatewayId=customer,
        VpnGatewayId=gateway,
        Options={"TunnelInsideIpVersion": "ipv6"},
    )
    assert_error(
        ec2.create_vpn_connection,
        "InvalidParameterValue",
        Type="ipsec.1",
        CustomerGatewayId=customer,
        VpnGatewayId=gateway,
        Options={"LocalIpv4NetworkCidr": "10.0.0.1/16"},
    )
    assert_error(
        ec2.create_vpn_connection,
        "DryRunOperation",
        412,
        Type="ipsec.1",
        CustomerGatewayId=customer,
        VpnGatewayId=gateway,
        DryRun=True,
    )
    assert ec2.describe_vpn_connections()["VpnConnections"] == []


def test_pre_shared_key_in_secrets_manager(ec2):
    connection = vpn(ec2, PreSharedKeyStorage="SecretsManager")
    assert connection["PreSharedKeyArn"].startswith("arn:aws:secretsmanager:eu-west-1:")
    assert_error(
        ec2.create_vpn_connection,
        "InvalidParameterValue",
        Type="ipsec.1",
        CustomerGatewayId=connection["CustomerGatewayId"],
        VpnGatewayId=connection["VpnGatewayId"],
        PreSharedKeyStorage="Vault",
    )


def test_vpn_connection_filters(ec2):
    static = vpn(ec2, Options={"StaticRoutesOnly": True})
    dynamic = vpn(ec2, CustomerGatewayId=cgw(ec2, BgpAsn=65100)["CustomerGatewayId"])
    ec2.create_vpn_connection_route(
        VpnConnectionId=static["VpnConnectionId"], DestinationCidrBlock="192.168.1.0/24"
    )
    a, b = static["VpnConnectionId"], dynamic["VpnConnectionId"]

    def found(name: str, *values: str) -> set[str]:
        connections = ec2.describe_vpn_connections(Filters=[{"Name": name, "Values": list(values)}])
        return {c["VpnConnectionId"] for c in connections["VpnConnections"]}

    assert found("bgp-asn", "65100") == {b}
    assert found("customer-gateway-id", static["CustomerGatewayId"]) == {a}
    assert found("customer-gateway-configuration", "*vpn_connection*") == {a, b}
    assert found("option.static-routes-only", "true") == {a}
    assert found("route.destination-cidr-block", "192.168.1.0/24") == {a}
    assert found("state", "available") == {a, b}
    assert found("type", "ipsec.1") == {a, b}
    assert found("vpn-connection-id", b) == {b}
    assert found("vpn-gateway-id", dynamic["VpnGatewayId"]) == {b}
    assert found("transit-gateway-id", "tgw-0123456789abcdef0") == set()
    ec2.create_tags(Resources=[a], Tags=[{"Key": "site", "Value": "paris"}])
    assert found("tag:site", "paris") == {a}
    assert found("tag-key", "site") == {a}


def test_static_routes(ec2):
    connection_id = vpn(ec2, Options={"StaticRoutesOnly": True})["VpnConnectionId"]
    ec2.create_vpn_connection_route(
        VpnConnectionId=connection_id, DestinationCidrBlock="192.168.0.0/24"
    )
    routes = ec2.describe_vpn_connections(VpnConnectionIds=[connection_id])["VpnConnections"][0][
        "Routes"
    ]
    assert routes == [
        {"DestinationCidrBlock": "192.168.0.0/24", "Source": "Static", "State": "available"}
    ]
    assert_error(
        ec2.create_vpn_connection_route,
        "RouteAlreadyExists",
        VpnConnectionId=connection_id,
        DestinationCidrBlock="192.168.0.0/24",
    )
    assert_error(
        ec2.create_vpn_connection_route,
        "InvalidParameterValue",
        VpnConnectionId=connection_id,
        DestinationCidrBlock="192.168.0.1/24",
    )
    ec2.delete_vpn_connection_route(
        VpnConnectionId=connection_id, DestinationCidrBlock="192.168.0.0/24"
    )
    assert describe_vpn(ec2, connection_id)["Routes"] == []
    assert_error(
        ec2.delete_vpn_connection_route,
        "InvalidRoute.NotFound",
        VpnConnectionId=connection_id,
        DestinationCidrBlock="192.168.0.0/24",
    )
    dynamic_id = vpn(ec2)["VpnConnectionId"]
    assert_error(
        ec2.create_vpn_connection_route,
        "InvalidVpnConnection.InvalidType",
        VpnConnectionId=dynamic_id,
        DestinationCidrBlock="192.168.0.0/24",
    )
    assert_error(
        ec2.create_vpn_connection_route,
        "InvalidVpnConnectionID.NotFound",
        VpnConnectionId="vpn-0123456789abcdef0",
        DestinationCidrBlock="10.0.0.0/8",
    )


def test_modify_vpn_connection(ec2):
    connection = vpn(ec2)
    connection_id = connection["VpnConnectionId"]
    new_gateway = vgw(ec2)["VpnGatewayId"]
    assert_error(
        ec2.modify_vpn_connection,
        "DryRunOperation",
        412,
        VpnConnectionId=connection_id,
        VpnGatewayId=new_gateway,
        DryRun=True,
    )
    modified = ec2.modify_vpn_connection(VpnConnectionId=connection_id, VpnGatewayId=new_gateway)[
        "VpnConnection"
    ]
    assert modified["VpnGatewayId"] == new_gateway
    assert modified["GatewayAssociationState"] == "associating"
    assert describe_vpn(ec2, connection_id)["GatewayAssociationState"] == "associated"
    new_customer = cgw(ec2, BgpAsn=65300)["CustomerGatewayId"]
    modified = ec2.modify_vpn_connection(
        VpnConnectionId=connection_id, CustomerGatewayId=new_customer
    )["VpnConnection"]
    assert modified["CustomerGatewayId"] == new_customer
    assert "<asn>65300</asn>" in modified["CustomerGatewayConfiguration"]
    assert_error(
        ec2.modify_vpn_connection, "InvalidParameterCombination", VpnConnectionId=connection_id
    )
    assert_error(
        ec2.modify_vpn_connection,
        "InvalidParameterValue",
        VpnConnectionId=connection_id,
        VpnGatewayId=new_gateway,
    )


def test_modify_vpn_connection_options(ec2):
    connection_id = vpn(ec2)["VpnConnectionId"]
    assert_error(
        ec2.modify_vpn_connection_options,
        "DryRunOperation",
        412,
        VpnConnectionId=connection_id,
        LocalIpv4NetworkCidr="10.1.0.0/16",
        DryRun=True,
    )
    modified = ec2.modify_vpn_connection_options(
        VpnConnectionId=connection_id,
        LocalIpv4NetworkCidr="10.1.0.0/16",
        RemoteIpv4NetworkCidr="172.16.0.0/12",
        TunnelBandwidth="standard",
    )["VpnConnection"]["Options"]
    assert modified["LocalIpv4NetworkCidr"] == "10.1.0.0/16"
    assert modified["RemoteIpv4NetworkCidr"] == "172.16.0.0/12"
    assert modified["TunnelBandwidth"] == "standard"
    # large tunnels are for transit gateway connections
    assert_error(
        ec2.modify_vpn_connection_options,
        "InvalidParameterCombination",
        VpnConnectionId=connection_id,
        TunnelBandwidth="large",
    )
    assert_error(
        ec2.modify_vpn_connection_options,
        "InvalidParameterCombination",
        VpnConnectionId=connection_id,
        LocalIpv6NetworkCidr="::/0",
    )
    assert_error(
        ec2.modify_vpn_connection_options,
        "InvalidParameterValue",
        VpnConnectionId=connection_id,
        RemoteIpv4NetworkCidr="nope",
    )


def test_modify_tunnel_options_and_tunnel_operations(ec2):
    connection = vpn(ec2)
    connection_id = connection["VpnConnectionId"]
    outside = connection["Options"]["TunnelOptions"][1]["OutsideIpAddress"]
    assert_error(
        ec2.modify_vpn_tunnel_options,
        "DryRunOperation",
        412,
        VpnConnectionId=connection_id,
        VpnTunnelOutsideIpAddress=outside,
        TunnelOptions={"PreSharedKey": "newkey_123"},
        DryRun=True,
    )
    modified = ec2.modify_vpn_tunnel_options(
        VpnConnectionId=connection_id,
        VpnTunnelOutsideIpAddress=outside,
        TunnelOptions={
            "PreSharedKey": "newkey_123",
            "TunnelInsideCidr": "169.254.44.0/30",
            "Phase2EncryptionAlgorithms": [{"Value": "AES256-GCM-16"}],
            "Phase1AdditionalKeyExchanges": [
                {
                    "AdditionalKeyExchangeRound": 1,
                    "KeyExchangeMethods": [{"Value": 36}],
                    "Requirement": "required",
                }
            ],
        },
        SkipTunnelReplacement=True,
    )["VpnConnection"]
    tunnel = modified["Options"]["TunnelOptions"][1]
    assert tunnel["PreSharedKey"] == "newkey_123"
    assert tunnel["TunnelInsideCidr"] == "169.254.44.0/30"
    assert tunnel["Phase2EncryptionAlgorithms"] == [{"Value": "AES256-GCM-16"}]
    assert tunnel["Phase1AdditionalKeyExchanges"][0]["KeyExchangeMethods"] == [{"Value": 36}]
    assert modified["Options"]["TunnelOptions"][0] == connection["Options"]["TunnelOptions"][0]
    assert "newkey_123" in modified["CustomerGatewayConfiguration"]
    assert_error(
        ec2.modify_vpn_tunnel_options,
        "InvalidParameterValue",
        VpnConnectionId=connection_id,
        VpnTunnelOutsideIpAddress="192.0.2.1",
        TunnelOptions={"PreSharedKey": "newkey_123"},
    )
    assert_error(
        ec2.modify_vpn_tunnel_options,
        "InvalidParameterValue",
        VpnConnectionId=connection_id,
        VpnTunnelOutsideIpAddress=outside,
        TunnelOptions={"ReplayWindowSize": 4096},
    )

    status = ec2.get_active_vpn_tunnel_status(
        VpnConnectionId=connection_id, VpnTunnelOutsideIpAddress=outside
    )
    active = status["ActiveVpnTunnelStatus"]
    assert active["ProvisioningStatus"] == "available"
    assert active["Phase2EncryptionAlgorithm"] == "AES256-GCM-16"
    assert active["Phase1AdditionalKeyExchanges"] == [
        {"AdditionalKeyExchangeRound": 1, "KeyExchangeMethod": 36}
    ]

    before = ec2.get_vpn_tunnel_replacement_status(
        VpnConnectionId=connection_id, VpnTunnelOutsideIpAddress=outside
    )
    assert before["VpnGatewayId"] == connection["VpnGatewayId"]
    assert "LastMaintenanceApplied" not in before["MaintenanceDetails"]
    assert_error(
        ec2.replace_vpn_tunnel,
        "DryRunOperation",
        412,
        VpnConnectionId=connection_id,
        VpnTunnelOutsideIpAddress=outside,
        DryRun=True,
    )
    assert (
        ec2.replace_vpn_tunnel(
            VpnConnectionId=connection_id,
            VpnTunnelOutsideIpAddress=outside,
            ApplyPendingMaintenance=True,
        )["Return"]
        is True
    )
    after = ec2.get_vpn_tunnel_replacement_status(
        VpnConnectionId=connection_id, VpnTunnelOutsideIpAddress=outside
    )
    assert "LastMaintenanceApplied" in after["MaintenanceDetails"]

    # certificates: only for a customer gateway that authenticates with one
    assert_error(
        ec2.modify_vpn_tunnel_certificate,
        "InvalidParameterValue",
        VpnConnectionId=connection_id,
        VpnTunnelOutsideIpAddress=outside,
    )
    certified = vpn(
        ec2,
        CustomerGatewayId=ec2.create_customer_gateway(
            Type="ipsec.1",
            CertificateArn="arn:aws:acm:eu-west-1:123456789012:certificate/c1",
        )["CustomerGateway"]["CustomerGatewayId"],
    )
    cert_outside = certified["Options"]["TunnelOptions"][0]["OutsideIpAddress"]
    assert certified["VgwTelemetry"][0]["CertificateArn"].endswith("certificate/c1")
    assert_error(
        ec2.modify_vpn_tunnel_certificate,
        "DryRunOperation",
        412,
        VpnConnectionId=certified["VpnConnectionId"],
        VpnTunnelOutsideIpAddress=cert_outside,
        DryRun=True,
    )
    result = ec2.modify_vpn_tunnel_certificate(
        VpnConnectionId=certified["VpnConnectionId"], VpnTunnelOutsideIpAddress=cert_outside
    )
    assert result["VpnConnection"]["VpnConnectionId"] == certified["VpnConnectionId"]


def test_device_types_and_sample_configuration(ec2):
    types = ec2.get_vpn_connection_device_types()["VpnConnectionDeviceTypes"]
    assert len(types) > 10
    generic = next(t for t in types if t["Vendor"] == "Generic")
    assert re.fullmatch(r"[0-9a-f]{8}", generic["VpnConnectionDeviceTypeId"])
    assert_error(ec2.get_vpn_connection_device_types, "InvalidParameterValue", MaxResults=1001)
    assert len(ec2.get_vpn_connection_device_types(MaxResults=200)["VpnConnectionDeviceTypes"]) == (
        len(types)
    )
    connection = vpn(ec2)
    sample = ec2.get_vpn_connection_device_sample_configuration(
        VpnConnectionId=connection["VpnConnectionId"],
        VpnConnectionDeviceTypeId=generic["VpnConnectionDeviceTypeId"],
        InternetKeyExchangeVersion="ikev2",
        SampleType="compatibility",
    )["VpnConnectionDeviceSampleConfiguration"]
    assert connection["VpnConnectionId"] in sample
    for tunnel in connection["Options"]["TunnelOptions"]:
        assert tunnel["OutsideIpAddress"] in sample
        assert tunnel["PreSharedKey"] in sample
    assert_error(
        ec2.get_vpn_connection_device_sample_configuration,
        "InvalidParameterValue",
        VpnConnectionId=connection["VpnConnectionId"],
        VpnConnectionDeviceTypeId="ffffffff",
    )
    assert_error(
        ec2.get_vpn_connection_device_sample_configuration,
        "InvalidParameterValue",
        VpnConnectionId=connection["VpnConnectionId"],
        VpnConnectionDeviceTypeId=generic["VpnConnectionDeviceTypeId"],
        InternetKeyExchangeVersion="ikev9",
    )


def test_vpn_concentrators_need_a_transit_gateway(ec2):
    assert ec2.describe_vpn_concentrators()["VpnConcentrators"] == []
    assert_error(ec2.create_vpn_concentrator, "MissingParameter", Type="ipsec.1")
    assert_error(
        ec2.create_vpn_concentrator,
        "InvalidTransitGatewayID.Malformed",
        Type="ipsec.1",
        TransitGatewayId="vgw-0123456789abcdef0",
    )
    assert_error(
        ec2.describe_vpn_concentrators,
        "InvalidVpnConcentratorID.NotFound",
        VpnConcentratorIds=["vcn-0123456789abcdef0"],
    )
    assert_error(
        ec2.delete_vpn_concentrator,
        "InvalidVpnConcentratorID.Malformed",
        VpnConcentratorId="vcn-zz",
    )
    assert_error(ec2.describe_vpn_concentrators, "InvalidParameterValue", MaxResults=1001)
    assert_error(
        ec2.describe_vpn_concentrators,
        "InvalidParameterValue",
        Filters=[{"Name": "state", "Values": ["available"]}],
    )


# -- route propagation


def main_table(ec2: Any) -> dict[str, Any]:
    """The default VPC's main route table, as DescribeRouteTables shows it."""
    return ec2.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [default_vpc(ec2)]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"][0]


def test_route_propagation(env, ec2):
    table_id = main_table(ec2)["RouteTableId"]
    vpc_id = default_vpc(ec2)
    gateway_id = vgw(ec2)["VpnGatewayId"]
    assert_error(
        ec2.enable_vgw_route_propagation,
        "Gateway.NotAttached",
        GatewayId=gateway_id,
        RouteTableId=table_id,
    )
    ec2.attach_vpn_gateway(VpcId=vpc_id, VpnGatewayId=gateway_id)
    assert_error(
        ec2.enable_vgw_route_propagation,
        "DryRunOperation",
        412,
        GatewayId=gateway_id,
        RouteTableId=table_id,
        DryRun=True,
    )
    assert_error(
        ec2.enable_vgw_route_propagation,
        "InvalidRouteTableID.NotFound",
        GatewayId=gateway_id,
        RouteTableId="rtb-0123456789abcdef0",
    )
    assert_error(
        ec2.enable_vgw_route_propagation,
        "InvalidVpnGatewayID.NotFound",
        GatewayId="vgw-0123456789abcdef0",
        RouteTableId=table_id,
    )

    def propagating() -> list[str]:
        return [g["GatewayId"] for g in main_table(ec2)["PropagatingVgws"]]

    def routes() -> list[dict[str, Any]]:
        """The routes the gateway propagates (the local and internet routes are always there)."""
        return [r for r in main_table(ec2)["Routes"] if r.get("GatewayId") == gateway_id]

    assert propagating() == []
    ec2.enable_vgw_route_propagation(GatewayId=gateway_id, RouteTableId=table_id)
    assert propagating() == [gateway_id]
    connection_id = vpn(ec2, VpnGatewayId=gateway_id, Options={"StaticRoutesOnly": True})[
        "VpnConnectionId"
    ]
    ec2.create_vpn_connection_route(
        VpnConnectionId=connection_id, DestinationCidrBlock="192.168.50.0/24"
    )
    ec2.describe_vpn_connections()  # the connection and its route become available
    assert routes() == [
        {
            "DestinationCidrBlock": "192.168.50.0/24",
            "GatewayId": gateway_id,
            "Origin": "EnableVgwRoutePropagation",
            "State": "active",
        }
    ]
    assert_error(
        ec2.disable_vgw_route_propagation,
        "DryRunOperation",
        412,
        GatewayId=gateway_id,
        RouteTableId=table_id,
        DryRun=True,
    )
    ec2.disable_vgw_route_propagation(GatewayId=gateway_id, RouteTableId=table_id)
    assert propagating() == [] and routes() == []
    # detaching ends propagation
    ec2.enable_vgw_route_propagation(GatewayId=gateway_id, RouteTableId=table_id)
    ec2.detach_vpn_gateway(VpcId=vpc_id, VpnGatewayId=gateway_id)
    assert propagating() == []


def test_vpn_resources_are_taggable(ec2):
    connection = vpn(ec2)
    ids = {
        connection["VpnConnectionId"]: "vpn-connection",
        connection["CustomerGatewayId"]: "customer-gateway",
        connection["VpnGatewayId"]: "vpn-gateway",
    }
    ec2.create_tags(Resources=list(ids), Tags=[{"Key": "stack", "Value": "s1"}])
    tags = ec2.describe_tags(Filters=[{"Name": "key", "Values": ["stack"]}])["Tags"]
    assert {t["ResourceId"]: t["ResourceType"] for t in tags} == ids
    assert describe_vpn(ec2, connection["VpnConnectionId"])["Tags"] == [
        {"Key": "stack", "Value": "s1"}
    ]
    assert_error(
        ec2.create_customer_gateway,
        "InvalidParameterValue",
        Type="ipsec.1",
        IpAddress="203.0.113.50",
        TagSpecifications=[{"ResourceType": "vpn-gateway", "Tags": [{"Key": "a", "Value": "b"}]}],
    )


def test_states_follow_the_clock(ec2, env, ec2_options):
    ec2_options(transition_delay=30)
    customer = cgw(ec2)["CustomerGatewayId"]
    gateway = vgw(ec2)["VpnGatewayId"]

    def customer_state() -> str:
        return ec2.describe_customer_gateways(CustomerGatewayIds=[customer])["CustomerGateways"][0][
            "State"
        ]

    assert customer_state() == "pending"
    # a pending customer gateway cannot carry a connection yet
    assert_error(
        ec2.create_vpn_connection,
        "InvalidCustomerGatewayState",
        Type="ipsec.1",
        CustomerGatewayId=customer,
        VpnGatewayId=gateway,
    )
    assert_error(
        ec2.attach_vpn_gateway,
        "InvalidVpnGatewayState",
        VpcId=default_vpc(ec2),
        VpnGatewayId=gateway,
    )
    env.clock.advance(31)
    assert customer_state() == "available"
    ec2.attach_vpn_gateway(VpcId=default_vpc(ec2), VpnGatewayId=gateway)
    connection_id = vpn(ec2, CustomerGatewayId=customer, VpnGatewayId=gateway)["VpnConnectionId"]
    attachments = ec2.describe_vpn_gateways(VpnGatewayIds=[gateway])["VpnGateways"][0][
        "VpcAttachments"
    ]
    assert attachments[0]["State"] == "attaching"
    assert describe_vpn(ec2, connection_id)["State"] == "pending"
    env.clock.advance(31)
    assert describe_vpn(ec2, connection_id)["State"] == "available"
    attachments = ec2.describe_vpn_gateways(VpnGatewayIds=[gateway])["VpnGateways"][0][
        "VpcAttachments"
    ]
    assert attachments[0]["State"] == "attached"
    ec2.delete_vpn_connection(VpnConnectionId=connection_id)
    assert describe_vpn(ec2, connection_id)["State"] == "deleting"
    env.clock.advance(31)
    assert describe_vpn(ec2, connection_id)["State"] == "deleted"
    env.clock.advance(3600)
    assert ec2.describe_vpn_connections()["VpnConnections"] == []
