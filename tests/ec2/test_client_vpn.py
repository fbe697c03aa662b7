"""Client VPN endpoints, target networks, authorization rules, routes, connections,
client configuration, certificate revocation lists and authorization policies."""

from __future__ import annotations

import re
from typing import Any

from ec2_helpers import ID17, assert_error

CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/server"
ROOT = "arn:aws:acm:eu-west-1:123456789012:certificate/root"
SAML = "arn:aws:iam::123456789012:saml-provider/okta"
MUTUAL = [
    {
        "Type": "certificate-authentication",
        "MutualAuthentication": {"ClientRootCertificateChainArn": ROOT},
    }
]
NO_LOGS = {"Enabled": False}
CRL = (
    "-----BEGIN X509 CRL-----\n"
    "MIIBjjB4AgEBMA0GCSqGSIb3DQEBCwUAMBExDzANBgNVBAMMBnJvb3RjYTAXDTIw\n"
    "-----END X509 CRL-----\n"
)


def create(ec2: Any, **kw: Any) -> dict[str, Any]:
    kw.setdefault("ClientCidrBlock", "10.100.0.0/22")
    kw.setdefault("ServerCertificateArn", CERT)
    kw.setdefault("AuthenticationOptions", MUTUAL)
    kw.setdefault("ConnectionLogOptions", NO_LOGS)
    return ec2.create_client_vpn_endpoint(**kw)


def endpoint_id(ec2: Any, **kw: Any) -> str:
    return create(ec2, **kw)["ClientVpnEndpointId"]


def endpoint(ec2: Any, cvpn: str) -> dict[str, Any]:
    return ec2.describe_client_vpn_endpoints(ClientVpnEndpointIds=[cvpn])["ClientVpnEndpoints"][0]


def default_subnets(ec2: Any) -> list[dict[str, Any]]:
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])
    return sorted(subnets["Subnets"], key=lambda s: s["AvailabilityZone"])


def default_vpc(ec2: Any) -> dict[str, Any]:
    return ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]


def default_group(ec2: Any, vpc_id: str) -> str:
    groups = ec2.describe_security_groups(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "group-name", "Values": ["default"]},
        ]
    )
    return groups["SecurityGroups"][0]["GroupId"]


# -- endpoints


def test_create_and_describe_endpoint(ec2):
    created = create(
        ec2,
        Description="office",
        DnsServers=["10.0.0.2"],
        TransportProtocol="tcp",
        VpnPort=1194,
        SplitTunnel=True,
        SessionTimeoutHours=12,
        ClientLoginBannerOptions={"Enabled": True, "BannerText": "Authorized users only"},
        ClientConnectOptions={
            "Enabled": True,
            "LambdaFunctionArn": "arn:aws:lambda:eu-west-1:123456789012:function:AWSClientVPN-check",
        },
        ClientRouteEnforcementOptions={"Enforced": True},
        DisconnectOnSessionTimeout=False,
        ConnectionLogOptions={
            "Enabled": True,
            "CloudwatchLogGroup": "vpn-logs",
            "CloudwatchLogStream": "s",
        },
        DevicePostureOptions={
            "Enabled": True,
            "TrustProviders": [
                {"TrustProviderType": "jamf", "TenantId": "t1", "PublicSigningKeyUrl": "https://k"}
            ],
        },
        TagSpecifications=[
            {"ResourceType": "client-vpn-endpoint", "Tags": [{"Key": "Name", "Value": "vpn"}]}
        ],
    )
    cvpn = created["ClientVpnEndpointId"]
    assert re.fullmatch(rf"cvpn-endpoint-{ID17}", cvpn)
    assert created["Status"] == {"Code": "pending-associate"}
    assert created["DnsName"] == f"*.{cvpn}.prod.clientvpn.eu-west-1.amazonaws.com"
    shown = endpoint(ec2, cvpn)
    assert shown["Description"] == "office"
    assert shown["ClientCidrBlock"] == "10.100.0.0/22"
    assert shown["DnsServers"] == ["10.0.0.2"]
    assert shown["TransportProtocol"] == "tcp"
    assert shown["VpnPort"] == 1194
    assert shown["VpnProtocol"] == "openvpn"
    assert shown["SplitTunnel"] is True
    assert shown["SessionTimeoutHours"] == 12
    assert shown["ServerCertificateArn"] == CERT
    assert shown["AuthenticationOptions"] == [
        {
            "Type": "certificate-authentication",
            "MutualAuthentication": {"ClientRootCertificateChain": ROOT},
        }
    ]
    assert shown["ConnectionLogOptions"] == {
        "Enabled": True,
        "CloudwatchLogGroup": "vpn-logs",
        "CloudwatchLogStream": "s",
    }
    assert shown["ClientLoginBannerOptions"] == {
        "Enabled": True,
        "BannerText": "Authorized users only",
    }
    assert shown["ClientConnectOptions"]["Enabled"] is True
    assert shown["ClientConnectOptions"]["Status"] == {"Code": "applied"}
    assert shown["ClientRouteEnforcementOptions"] == {"Enforced": True}
    assert shown["DisconnectOnSessionTimeout"] is False
    assert shown["DevicePostureOptions"]["TrustProviders"][0]["TrustProviderType"] == "jamf"
    assert shown["Tags"] == [{"Key": "Name", "Value": "vpn"}]
    assert shown["AssociatedTargetNetworks"] == []
    assert shown["SecurityGroupIds"] == []
    assert "VpcId" not in shown
    assert shown["EndpointIpAddressType"] == "ipv4"
    assert shown["TrafficIpAddressType"] == "ipv4"


def test_defaults_and_federated_portal(ec2):
    shown = endpoint(ec2, endpoint_id(ec2))
    assert shown["TransportProtocol"] == "udp"
    assert shown["VpnPort"] == 443
    assert shown["SessionTimeoutHours"] == 24
    assert shown["SplitTunnel"] is False
    assert "SelfServicePortalUrl" not in shown
    federated = endpoint_id(
        ec2,
        AuthenticationOptions=[
            {
                "Type": "federated-authentication",
                "FederatedAuthentication": {"SAMLProviderArn": SAML},
            }
        ],
        SelfServicePortal="enabled",
    )
    shown = endpoint(ec2, federated)
    assert shown["SelfServicePortalUrl"].endswith(federated)
    assert shown["AuthenticationOptions"][0]["FederatedAuthentication"] == {"SamlProviderArn": SAML}


BAD_ENDPOINTS = [
    ({"ClientCidrBlock": "10.0.0.0/23"}, "InvalidParameterValue"),
    ({"ClientCidrBlock": "10.0.0.0/11"}, "InvalidParameterValue"),
    ({"ClientCidrBlock": "10.0.0.1/22"}, "InvalidParameterValue"),
    ({"ServerCertificateArn": "not-an-arn"}, "InvalidParameterValue"),
    ({"VpnPort": 8443}, "InvalidParameterValue"),
    ({"SessionTimeoutHours": 9}, "InvalidParameterValue"),
    ({"DnsServers": ["1.1.1.1", "8.8.8.8", "9.9.9.9"]}, "InvalidParameterValue"),
    ({"DnsServers": ["dns.example"]}, "InvalidParameterValue"),
    ({"ConnectionLogOptions": {"Enabled": True}}, "MissingParameter"),
    ({"AuthenticationOptions": [{"Type": "certificate-authentication"}]}, "MissingParameter"),
    (
        {
            "AuthenticationOptions": [
                {
                    "Type": "directory-service-authentication",
                    "ActiveDirectory": {"DirectoryId": "bad"},
                }
            ]
        },
        "InvalidParameterValue",
    ),
    (
        {
            "AuthenticationOptions": [
                {
                    "Type": "directory-service-authentication",
                    "ActiveDirectory": {"DirectoryId": "d-1234567890"},
                },
                {
                    "Type": "federated-authentication",
                    "FederatedAuthentication": {"SAMLProviderArn": SAML},
                },
            ]
        },
        "InvalidParameterCombination",
    ),
    ({"SelfServicePortal": "enabled"}, "InvalidParameterCombination"),
    ({"ClientConnectOptions": {"Enabled": True}}, "MissingParameter"),
    (
        {
            "ClientConnectOptions": {
                "Enabled": True,
                "LambdaFunctionArn": "arn:aws:lambda:eu-west-1:123456789012:function:check",
            }
        },
        "InvalidParameterValue",
    ),
    (
        {"ClientLoginBannerOptions": {"Enabled": True, "BannerText": "x" * 1401}},
        "InvalidParameterValue",
    ),
    ({"SecurityGroupIds": ["sg-0123456789abcdef0"]}, "MissingParameter"),
    ({"VpcId": "vpc-0123456789abcdef0"}, "InvalidVpcID.NotFound"),
    ({"TrafficIpAddressType": "ipv6"}, "InvalidParameterCombination"),
    ({"Description": "x" * 256}, "InvalidParameterValue"),
]


def test_bad_endpoints_are_refused(ec2):
    for kw, code in BAD_ENDPOINTS:
        assert_error(create, code, ec2=ec2, **kw)
    assert ec2.describe_client_vpn_endpoints()["ClientVpnEndpoints"] == []


def test_endpoint_in_a_vpc_takes_its_groups(ec2):
    vpc = default_vpc(ec2)
    group = default_group(ec2, vpc["VpcId"])
    cvpn = endpoint_id(ec2, VpcId=vpc["VpcId"])
    shown = endpoint(ec2, cvpn)
    assert shown["VpcId"] == vpc["VpcId"]
    assert shown["SecurityGroupIds"] == [group]
    assert_error(
        create,
        "InvalidClientVpnSubnetId.OverlappingCidr",
        ec2=ec2,
        VpcId=vpc["VpcId"],
        ClientCidrBlock="172.31.0.0/22",
    )
    assert_error(
        create,
        "InvalidGroup.NotFound",
        ec2=ec2,
        VpcId=vpc["VpcId"],
        SecurityGroupIds=["sg-0123456789abcdef0"],
    )


def test_client_token_makes_one_endpoint(ec2):
    first = endpoint_id(ec2, ClientToken="token-1")
    assert endpoint_id(ec2, ClientToken="token-1") == first
    assert len(ec2.describe_client_vpn_endpoints()["ClientVpnEndpoints"]) == 1


def test_describe_endpoints_filters_and_paging(ec2):
    ids = [endpoint_id(ec2, TransportProtocol="tcp" if n == 0 else "udp") for n in range(6)]

    def found(name: str, *values: str) -> list[str]:
        endpoints = ec2.describe_client_vpn_endpoints(
            Filters=[{"Name": name, "Values": list(values)}]
        )
        return [e["ClientVpnEndpointId"] for e in endpoints["ClientVpnEndpoints"]]

    assert found("endpoint-id", ids[2]) == [ids[2]]
    assert found("transport-protocol", "tcp") == [ids[0]]
    assert_error(
        ec2.describe_client_vpn_endpoints,
        "InvalidParameterValue",
        Filters=[{"Name": "tag:Name", "Values": ["x"]}],
    )
    first = ec2.describe_client_vpn_endpoints(MaxResults=5)
    assert len(first["ClientVpnEndpoints"]) == 5
    rest = ec2.describe_client_vpn_endpoints(MaxResults=5, NextToken=first["NextToken"])
    assert [
        e["ClientVpnEndpointId"] for e in first["ClientVpnEndpoints"] + rest["ClientVpnEndpoints"]
    ] == ids
    assert "NextToken" not in rest
    assert_error(ec2.describe_client_vpn_endpoints, "InvalidParameterValue", MaxResults=1001)
    assert_error(
        ec2.describe_client_vpn_endpoints,
        "InvalidClientVpnEndpointId.NotFound",
        ClientVpnEndpointIds=["cvpn-endpoint-0123456789abcdef0"],
    )
    assert_error(
        ec2.describe_client_vpn_endpoints,
        "InvalidClientVpnEndpointId.Malformed",
        ClientVpnEndpointIds=["cvpn-endpoint-x"],
    )


def test_dry_run_changes_nothing(ec2):
    assert_error(create, "DryRunOperation", 412, ec2=ec2, DryRun=True)
    assert ec2.describe_client_vpn_endpoints()["ClientVpnEndpoints"] == []
    cvpn = endpoint_id(ec2)
    subnet = default_subnets(ec2)[0]["SubnetId"]
    calls = [
        (ec2.modify_client_vpn_endpoint, {"VpnPort": 1194}),
        (ec2.associate_client_vpn_target_network, {"SubnetId": subnet}),
        (
            ec2.authorize_client_vpn_ingress,
            {"TargetNetworkCidr": "10.0.0.0/16", "AuthorizeAllGroups": True},
        ),
        (
            ec2.import_client_vpn_client_certificate_revocation_list,
            {"CertificateRevocationList": CRL},
        ),
        (
            ec2.modify_client_vpn_endpoint_authorization_policy,
            {"PolicyDocument": "permit(principal, action, resource);"},
        ),
        (ec2.export_client_vpn_client_configuration, {}),
        (ec2.export_client_vpn_client_certificate_revocation_list, {}),
        (ec2.delete_client_vpn_endpoint, {}),
    ]
    for call, kw in calls:
        assert_error(call, "DryRunOperation", 412, ClientVpnEndpointId=cvpn, DryRun=True, **kw)
    shown = endpoint(ec2, cvpn)
    assert shown["VpnPort"] == 443 and shown["Status"] == {"Code": "pending-associate"}
    assert (
        ec2.describe_client_vpn_target_networks(ClientVpnEndpointId=cvpn)["ClientVpnTargetNetworks"]
        == []
    )
    assert (
        ec2.describe_client_vpn_authorization_rules(ClientVpnEndpointId=cvpn)["AuthorizationRules"]
        == []
    )
    assert (
        "CertificateRevocationList"
        not in ec2.export_client_vpn_client_certificate_revocation_list(ClientVpnEndpointId=cvpn)
    )
    assert "PolicyDocument" not in ec2.get_client_vpn_endpoint_authorization_policy(
        ClientVpnEndpointId=cvpn
    )


def test_modify_endpoint(ec2):
    cvpn = endpoint_id(ec2, DnsServers=["10.0.0.2"])
    vpc = default_vpc(ec2)["VpcId"]
    group = default_group(ec2, vpc)
    assert (
        ec2.modify_client_vpn_endpoint(
            ClientVpnEndpointId=cvpn,
            ServerCertificateArn="arn:aws:acm:eu-west-1:123456789012:certificate/other",
            ConnectionLogOptions={"Enabled": True, "CloudwatchLogGroup": "logs"},
            VpnPort=1194,
            Description="changed",
            SplitTunnel=True,
            VpcId=vpc,
            SecurityGroupIds=[group],
            SessionTimeoutHours=8,
            ClientLoginBannerOptions={"Enabled": True, "BannerText": "hi"},
            ClientRouteEnforcementOptions={"Enforced": True},
            DisconnectOnSessionTimeout=False,
        )["Return"]
        is True
    )
    shown = endpoint(ec2, cvpn)
    assert shown["ServerCertificateArn"].endswith("/other")
    assert shown["ConnectionLogOptions"] == {"Enabled": True, "CloudwatchLogGroup": "logs"}
    assert shown["VpnPort"] == 1194
    assert shown["Description"] == "changed"
    assert shown["SplitTunnel"] is True
    assert shown["VpcId"] == vpc
    assert shown["SecurityGroupIds"] == [group]
    assert shown["SessionTimeoutHours"] == 8
    assert shown["ClientLoginBannerOptions"] == {"Enabled": True, "BannerText": "hi"}
    assert shown["DisconnectOnSessionTimeout"] is False
    ec2.modify_client_vpn_endpoint(
        ClientVpnEndpointId=cvpn, DnsServers={"CustomDnsServers": ["10.0.0.3"], "Enabled": True}
    )
    assert endpoint(ec2, cvpn)["DnsServers"] == ["10.0.0.3"]
    ec2.modify_client_vpn_endpoint(ClientVpnEndpointId=cvpn, DnsServers={"Enabled": False})
    assert "DnsServers" not in endpoint(ec2, cvpn)
    assert_error(
        ec2.modify_client_vpn_endpoint,
        "InvalidParameterValue",
        ClientVpnEndpointId=cvpn,
        VpnPort=80,
    )
    assert_error(
        ec2.modify_client_vpn_endpoint,
        "InvalidParameterCombination",
        ClientVpnEndpointId=cvpn,
        SelfServicePortal="enabled",
    )
    assert_error(
        ec2.modify_client_vpn_endpoint,
        "InvalidClientVpnEndpointId.NotFound",
        ClientVpnEndpointId="cvpn-endpoint-0123456789abcdef0",
        VpnPort=443,
    )


# -- target networks


def test_associate_target_networks(ec2, env):
    cvpn = endpoint_id(ec2)
    first, second = default_subnets(ec2)[:2]
    vpc = default_vpc(ec2)
    associated = ec2.associate_client_vpn_target_network(
        ClientVpnEndpointId=cvpn, SubnetId=first["SubnetId"]
    )
    assert re.fullmatch(rf"cvpn-assoc-{ID17}", associated["AssociationId"])
    assert associated["Status"] == {"Code": "associating"}
    networks = ec2.describe_client_vpn_target_networks(ClientVpnEndpointId=cvpn)[
        "ClientVpnTargetNetworks"
    ]
    assert networks == [
        {
            "AssociationId": associated["AssociationId"],
            "ClientVpnEndpointId": cvpn,
            "Status": {"Code": "associated"},
            "SecurityGroups": [default_group(ec2, vpc["VpcId"])],
            "VpcId": vpc["VpcId"],
            "TargetNetworkId": first["SubnetId"],
            "AvailabilityZones": [first["AvailabilityZone"]],
            "AvailabilityZoneIds": [first["AvailabilityZoneId"]],
        }
    ]
    shown = endpoint(ec2, cvpn)
    assert shown["Status"] == {"Code": "available"}
    assert shown["VpcId"] == vpc["VpcId"]
    assert shown["AssociatedTargetNetworks"] == [
        {"NetworkId": first["SubnetId"], "NetworkType": "vpc"}
    ]
    # the subnet's VPC gets a route automatically
    routes = ec2.describe_client_vpn_routes(ClientVpnEndpointId=cvpn)["Routes"]
    assert routes == [
        {
            "ClientVpnEndpointId": cvpn,
            "DestinationCidr": vpc["CidrBlock"],
            "TargetSubnet": first["SubnetId"],
            "Type": "Nat",
            "Origin": "associate",
            "Status": {"Code": "active"},
            "Description": "Default Route",
        }
    ]
    # one subnet once, one per Availability Zone
    assert_error(
        ec2.associate_client_vpn_target_network,
        "InvalidClientVpnDuplicateAssociationException",
        ClientVpnEndpointId=cvpn,
        SubnetId=first["SubnetId"],
    )
    # an associated subnet is in use
    error = assert_error(ec2.delete_subnet, "DependencyViolation", SubnetId=first["SubnetId"])
    assert first["SubnetId"] in error["Message"]
    two = ec2.associate_client_vpn_target_network(
        ClientVpnEndpointId=cvpn, SubnetId=second["SubnetId"], ClientToken="t"
    )
    again = ec2.associate_client_vpn_target_network(
        ClientVpnEndpointId=cvpn, SubnetId=second["SubnetId"], ClientToken="t"
    )
    assert again["AssociationId"] == two["AssociationId"]

    def found(name: str, value: str) -> list[str]:
        networks = ec2.describe_client_vpn_target_networks(
            ClientVpnEndpointId=cvpn, Filters=[{"Name": name, "Values": [value]}]
        )
        return [n["AssociationId"] for n in networks["ClientVpnTargetNetworks"]]

    assert found("association-id", two["AssociationId"]) == [two["AssociationId"]]
    assert found("target-network-id", first["SubnetId"]) == [associated["AssociationId"]]
    assert found("vpc-id", vpc["VpcId"]) == [associated["AssociationId"], two["AssociationId"]]
    by_id = ec2.describe_client_vpn_target_networks(
        ClientVpnEndpointId=cvpn, AssociationIds=[two["AssociationId"]]
    )
    assert [n["AssociationId"] for n in by_id["ClientVpnTargetNetworks"]] == [two["AssociationId"]]

    # disassociation takes the network and its routes away; with none left the endpoint waits again
    assert_error(ec2.delete_client_vpn_endpoint, "IncorrectState", ClientVpnEndpointId=cvpn)
    assert_error(
        ec2.disassociate_client_vpn_target_network,
        "InvalidClientVpnAssociationIdNotFound",
        ClientVpnEndpointId=cvpn,
        AssociationId="cvpn-assoc-0123456789abcdef0",
    )
    for association in (associated, two):
        assert_error(
            ec2.disassociate_client_vpn_target_network,
            "DryRunOperation",
            412,
            ClientVpnEndpointId=cvpn,
            AssociationId=association["AssociationId"],
            DryRun=True,
        )
        gone = ec2.disassociate_client_vpn_target_network(
            ClientVpnEndpointId=cvpn, AssociationId=association["AssociationId"]
        )
        assert gone["Status"] == {"Code": "disassociating"}
    assert (
        ec2.describe_client_vpn_target_networks(ClientVpnEndpointId=cvpn)["ClientVpnTargetNetworks"]
        == []
    )
    assert ec2.describe_client_vpn_routes(ClientVpnEndpointId=cvpn)["Routes"] == []
    assert endpoint(ec2, cvpn)["Status"] == {"Code": "pending-associate"}
    deleted = ec2.delete_client_vpn_endpoint(ClientVpnEndpointId=cvpn)
    assert deleted["Status"] == {"Code": "deleting"}
    assert ec2.describe_client_vpn_endpoints()["ClientVpnEndpoints"] == []
    ec2.delete_subnet(SubnetId=first["SubnetId"])  # free again


def test_associate_checks(ec2):
    first, second = default_subnets(ec2)[:2]
    cvpn = endpoint_id(ec2)
    assert_error(
        ec2.associate_client_vpn_target_network,
        "InvalidSubnetID.NotFound",
        ClientVpnEndpointId=cvpn,
        SubnetId="subnet-0123456789abcdef0",
    )
    assert_error(
        ec2.associate_client_vpn_target_network, "MissingParameter", ClientVpnEndpointId=cvpn
    )
    assert_error(
        ec2.associate_client_vpn_target_network,
        "InvalidParameterCombination",
        ClientVpnEndpointId=cvpn,
        SubnetId=first["SubnetId"],
        AvailabilityZone=first["AvailabilityZone"],
    )
    overlapping = endpoint_id(ec2, ClientCidrBlock="172.31.0.0/16")
    assert_error(
        ec2.associate_client_vpn_target_network,
        "InvalidClientVpnSubnetId.OverlappingCidr",
        ClientVpnEndpointId=overlapping,
        SubnetId=first["SubnetId"],
    )
    assert_error(
        ec2.associate_client_vpn_target_network,
        "InvalidClientVpnEndpointId.NotFound",
        ClientVpnEndpointId="cvpn-endpoint-0123456789abcdef0",
        SubnetId=second["SubnetId"],
    )


def test_apply_security_groups(ec2, env):
    cvpn = endpoint_id(ec2)
    subnet = default_subnets(ec2)[0]["SubnetId"]
    vpc = default_vpc(ec2)["VpcId"]
    group = default_group(ec2, vpc)
    assert_error(
        ec2.apply_security_groups_to_client_vpn_target_network,
        "InvalidParameterValue",
        ClientVpnEndpointId=cvpn,
        VpcId=vpc,
        SecurityGroupIds=[group],
    )
    ec2.associate_client_vpn_target_network(ClientVpnEndpointId=cvpn, SubnetId=subnet)
    assert_error(
        ec2.apply_security_groups_to_client_vpn_target_network,
        "DryRunOperation",
        412,
        ClientVpnEndpointId=cvpn,
        VpcId=vpc,
        SecurityGroupIds=[group],
        DryRun=True,
    )
    applied = ec2.apply_security_groups_to_client_vpn_target_network(
        ClientVpnEndpointId=cvpn, VpcId=vpc, SecurityGroupIds=[group]
    )
    assert applied["SecurityGroupIds"] == [group]
    assert_error(
        ec2.apply_security_groups_to_client_vpn_target_network,
        "InvalidGroup.NotFound",
        ClientVpnEndpointId=cvpn,
        VpcId=vpc,
        SecurityGroupIds=["sg-0123456789abcdef0"],
    )
    assert_error(
        ec2.apply_security_groups_to_client_vpn_target_network,
        "InvalidParameterValue",
        ClientVpnEndpointId=cvpn,
        VpcId=vpc,
        SecurityGroupIds=[group] * 6,
    )
    # an applied group is in use until another takes its place
    mine = ec2.create_security_group(GroupName="cvpn", Description="c", VpcId=vpc)["GroupId"]
    ec2.apply_security_groups_to_client_vpn_target_network(
        ClientVpnEndpointId=cvpn, VpcId=vpc, SecurityGroupIds=[mine]
    )
    assert endpoint(ec2, cvpn)["SecurityGroupIds"] == [mine]
    error = assert_error(ec2.delete_security_group, "DependencyViolation", GroupId=mine)
    assert mine in error["Message"]
    ec2.apply_security_groups_to_client_vpn_target_network(
        ClientVpnEndpointId=cvpn, VpcId=vpc, SecurityGroupIds=[group]
    )
    ec2.delete_security_group(GroupId=mine)


# -- authorization rules


def test_authorization_rules(ec2):
    cvpn = endpoint_id(ec2)
    status = ec2.authorize_client_vpn_ingress(
        ClientVpnEndpointId=cvpn,
        TargetNetworkCidr="10.0.0.0/16",
        AuthorizeAllGroups=True,
        Description="all",
        ClientToken="rule-1",
    )["Status"]
    assert status == {"Code": "authorizing"}
    # the same client token is the same request: answered, not refused as a duplicate
    again = ec2.authorize_client_vpn_ingress(
        ClientVpnEndpointId=cvpn,
        TargetNetworkCidr="10.0.0.0/16",
        AuthorizeAllGroups=True,
        Description="all",
        ClientToken="rule-1",
    )
    assert again["Status"] == {"Code": "active"}
    ec2.authorize_client_vpn_ingress(
        ClientVpnEndpointId=cvpn,
        TargetNetworkCidr="10.1.0.0/16",
        AccessGroupId="S-1-5-21-engineers",
    )
    rules = ec2.describe_client_vpn_authorization_rules(ClientVpnEndpointId=cvpn)[
        "AuthorizationRules"
    ]
    assert rules == [
        {
            "ClientVpnEndpointId": cvpn,
            "AccessAll": True,
            "DestinationCidr": "10.0.0.0/16",
            "Status": {"Code": "active"},
            "Description": "all",
        },
        {
            "ClientVpnEndpointId": cvpn,
            "AccessAll": False,
            "DestinationCidr": "10.1.0.0/16",
            "Status": {"Code": "active"},
            "GroupId": "S-1-5-21-engineers",
        },
    ]
    assert_error(
        ec2.authorize_client_vpn_ingress,
        "InvalidClientVpnDuplicateAuthorizationRule",
        ClientVpnEndpointId=cvpn,
        TargetNetworkCidr="10.0.0.0/16",
        AuthorizeAllGroups=True,
    )
    assert_error(
        ec2.authorize_client_vpn_ingress,
        "MissingParameter",
        ClientVpnEndpointId=cvpn,
        TargetNetworkCidr="10.2.0.0/16",
    )
    assert_error(
        ec2.authorize_client_vpn_ingress,
        "InvalidParameterCombination",
        ClientVpnEndpointId=cvpn,
        TargetNetworkCidr="10.2.0.0/16",
        AccessGroupId="g",
        AuthorizeAllGroups=True,
    )
    assert_error(
        ec2.authorize_client_vpn_ingress,
        "InvalidParameterValue",
        ClientVpnEndpointId=cvpn,
        TargetNetworkCidr="nope",
        AuthorizeAllGroups=True,
    )

    def found(name: str, value: str) -> list[str]:
        rules = ec2.describe_client_vpn_authorization_rules(
            ClientVpnEndpointId=cvpn, Filters=[{"Name": name, "Values": [value]}]
        )
        return [r["DestinationCidr"] for r in rules["AuthorizationRules"]]

    assert found("description", "all") == ["10.0.0.0/16"]
    assert found("destination-cidr", "10.1.0.0/16") == ["10.1.0.0/16"]
    assert found("group-id", "S-1-5-21-engineers") == ["10.1.0.0/16"]
    page = ec2.describe_client_vpn_authorization_rules(ClientVpnEndpointId=cvpn, MaxResults=5)
    assert len(page["AuthorizationRules"]) == 2 and "NextToken" not in page

    assert_error(
        ec2.revoke_client_vpn_ingress,
        "DryRunOperation",
        412,
        ClientVpnEndpointId=cvpn,
        TargetNetworkCidr="10.0.0.0/16",
        RevokeAllGroups=True,
        DryRun=True,
    )
    revoked = ec2.revoke_client_vpn_ingress(
        ClientVpnEndpointId=cvpn, TargetNetworkCidr="10.0.0.0/16", RevokeAllGroups=True
    )
    assert revoked["Status"] == {"Code": "revoking"}
    assert found("destination-cidr", "10.0.0.0/16") == []
    assert_error(
        ec2.revoke_client_vpn_ingress,
        "InvalidClientVpnEndpointAuthorizationRuleNotFound",
        ClientVpnEndpointId=cvpn,
        TargetNetworkCidr="10.0.0.0/16",
        RevokeAllGroups=True,
    )
    ec2.revoke_client_vpn_ingress(
        ClientVpnEndpointId=cvpn,
        TargetNetworkCidr="10.1.0.0/16",
        AccessGroupId="S-1-5-21-engineers",
    )
    assert (
        ec2.describe_client_vpn_authorization_rules(ClientVpnEndpointId=cvpn)["AuthorizationRules"]
        == []
    )


# -- routes


def test_routes(ec2):
    cvpn = endpoint_id(ec2)
    first, second = default_subnets(ec2)[:2]
    assert_error(
        ec2.create_client_vpn_route,
        "InvalidClientVpnActiveAssociationNotFound",
        ClientVpnEndpointId=cvpn,
        DestinationCidrBlock="0.0.0.0/0",
        TargetVpcSubnetId=first["SubnetId"],
    )
    ec2.associate_client_vpn_target_network(ClientVpnEndpointId=cvpn, SubnetId=first["SubnetId"])
    assert_error(
        ec2.create_client_vpn_route,
        "DryRunOperation",
        412,
        ClientVpnEndpointId=cvpn,
        DestinationCidrBlock="0.0.0.0/0",
        TargetVpcSubnetId=first["SubnetId"],
        DryRun=True,
    )
    created = ec2.create_client_vpn_route(
        ClientVpnEndpointId=cvpn,
        DestinationCidrBlock="0.0.0.0/0",
        TargetVpcSubnetId=first["SubnetId"],
        Description="internet",
    )
    assert created["Status"] == {"Code": "creating"}
    assert_error(
        ec2.create_client_vpn_route,
        "InvalidClientVpnDuplicateRoute",
        ClientVpnEndpointId=cvpn,
        DestinationCidrBlock="0.0.0.0/0",
        TargetVpcSubnetId=first["SubnetId"],
    )
    assert_error(
        ec2.create_client_vpn_route,
        "InvalidClientVpnSubnetId.NotFound",
        ClientVpnEndpointId=cvpn,
        DestinationCidrBlock="0.0.0.0/0",
        TargetVpcSubnetId=second["SubnetId"],
    )
    assert_error(
        ec2.create_client_vpn_route,
        "MissingParameter",
        ClientVpnEndpointId=cvpn,
        DestinationCidrBlock="0.0.0.0/0",
    )

    def found(name: str, value: str) -> list[str]:
        routes = ec2.describe_client_vpn_routes(
            ClientVpnEndpointId=cvpn, Filters=[{"Name": name, "Values": [value]}]
        )
        return [r["DestinationCidr"] for r in routes["Routes"]]

    assert found("origin", "add-route") == ["0.0.0.0/0"]
    assert found("destination-cidr", "0.0.0.0/0") == ["0.0.0.0/0"]
    assert found("target-subnet", first["SubnetId"]) == ["172.31.0.0/16", "0.0.0.0/0"]
    added = [
        r
        for r in ec2.describe_client_vpn_routes(ClientVpnEndpointId=cvpn)["Routes"]
        if r["Origin"] == "add-route"
    ]
    assert added[0]["Status"] == {"Code": "active"} and added[0]["Description"] == "internet"
    assert_error(
        ec2.delete_client_vpn_route,
        "InvalidParameterValue",
        ClientVpnEndpointId=cvpn,
        DestinationCidrBlock="172.31.0.0/16",
    )
    assert_error(
        ec2.delete_client_vpn_route,
        "InvalidClientVpnRouteNotFound",
        ClientVpnEndpointId=cvpn,
        DestinationCidrBlock="10.9.0.0/16",
    )
    assert_error(
        ec2.delete_client_vpn_route,
        "DryRunOperation",
        412,
        ClientVpnEndpointId=cvpn,
        DestinationCidrBlock="0.0.0.0/0",
        DryRun=True,
    )
    deleted = ec2.delete_client_vpn_route(
        ClientVpnEndpointId=cvpn,
        DestinationCidrBlock="0.0.0.0/0",
        TargetVpcSubnetId=first["SubnetId"],
    )
    assert deleted["Status"] == {"Code": "deleting"}
    assert found("origin", "add-route") == []


# -- connections, configuration, revocation lists, authorization policy


def test_connections(ec2):
    cvpn = endpoint_id(ec2)
    assert ec2.describe_client_vpn_connections(ClientVpnEndpointId=cvpn)["Connections"] == []
    assert (
        ec2.describe_client_vpn_connections(
            ClientVpnEndpointId=cvpn, Filters=[{"Name": "username", "Values": ["alice"]}]
        )["Connections"]
        == []
    )
    assert_error(
        ec2.describe_client_vpn_connections,
        "InvalidParameterValue",
        ClientVpnEndpointId=cvpn,
        Filters=[{"Name": "status", "Values": ["active"]}],
    )
    assert_error(
        ec2.terminate_client_vpn_connections,
        "InvalidClientVpnConnection.IdNotFound",
        ClientVpnEndpointId=cvpn,
        ConnectionId="cvpn-connection-0123456789abcdef0",
    )
    assert_error(
        ec2.terminate_client_vpn_connections,
        "InvalidClientVpnConnection.UserNotFound",
        ClientVpnEndpointId=cvpn,
        Username="alice",
    )
    assert_error(ec2.terminate_client_vpn_connections, "MissingParameter", ClientVpnEndpointId=cvpn)
    assert_error(
        ec2.describe_client_vpn_connections,
        "InvalidClientVpnEndpointId.NotFound",
        ClientVpnEndpointId="cvpn-endpoint-0123456789abcdef0",
    )


def test_client_configuration(ec2):
    cvpn = endpoint_id(ec2, TransportProtocol="tcp", VpnPort=1194)
    text = ec2.export_client_vpn_client_configuration(ClientVpnEndpointId=cvpn)[
        "ClientConfiguration"
    ]
    assert "client\n" in text
    assert "proto tcp" in text
    assert f"remote {cvpn}.prod.clientvpn.eu-west-1.amazonaws.com 1194" in text
    assert "<ca>" in text and "-----BEGIN CERTIFICATE-----" in text
    federated = endpoint_id(
        ec2,
        AuthenticationOptions=[
            {
                "Type": "federated-authentication",
                "FederatedAuthentication": {"SAMLProviderArn": SAML},
            }
        ],
    )
    assert (
        "auth-federate"
        in ec2.export_client_vpn_client_configuration(ClientVpnEndpointId=federated)[
            "ClientConfiguration"
        ]
    )


def test_certificate_revocation_list(ec2):
    cvpn = endpoint_id(ec2)
    assert ec2.export_client_vpn_client_certificate_revocation_list(
        ClientVpnEndpointId=cvpn
    ).keys() == {"ResponseMetadata"}
    assert_error(
        ec2.import_client_vpn_client_certificate_revocation_list,
        "InvalidParameterValue",
        ClientVpnEndpointId=cvpn,
        CertificateRevocationList="not a crl",
    )
    assert (
        ec2.import_client_vpn_client_certificate_revocation_list(
            ClientVpnEndpointId=cvpn, CertificateRevocationList=CRL
        )["Return"]
        is True
    )
    exported = ec2.export_client_vpn_client_certificate_revocation_list(ClientVpnEndpointId=cvpn)
    assert exported["CertificateRevocationList"] == CRL
    assert exported["Status"] == {"Code": "active"}


def test_authorization_policy(ec2):
    cvpn = endpoint_id(ec2)
    assert (
        ec2.get_client_vpn_endpoint_authorization_policy(ClientVpnEndpointId=cvpn)[
            "ClientVpnEndpointId"
        ]
        == cvpn
    )
    assert_error(
        ec2.delete_client_vpn_endpoint_authorization_policy,
        "InvalidParameterValue",
        ClientVpnEndpointId=cvpn,
    )
    assert_error(
        ec2.modify_client_vpn_endpoint_authorization_policy,
        "MissingParameter",
        ClientVpnEndpointId=cvpn,
        ShadowMode="enabled",
    )
    document = "permit(principal, action, resource);"
    status = ec2.modify_client_vpn_endpoint_authorization_policy(
        ClientVpnEndpointId=cvpn,
        PolicyDocument=document,
        Description="p",
        ShadowMode="enabled",
        ClientToken="c",
    )["Status"]
    assert status == "creating"
    policy = ec2.get_client_vpn_endpoint_authorization_policy(ClientVpnEndpointId=cvpn)
    assert policy["PolicyDocument"] == document
    assert policy["ShadowMode"] == "enabled"
    assert policy["Description"] == "p"
    assert policy["Status"] == "active"
    assert (
        ec2.modify_client_vpn_endpoint_authorization_policy(
            ClientVpnEndpointId=cvpn, ShadowMode="disabled"
        )["Status"]
        == "updating"
    )
    assert (
        ec2.get_client_vpn_endpoint_authorization_policy(ClientVpnEndpointId=cvpn)["ShadowMode"]
        == "disabled"
    )
    assert_error(
        ec2.modify_client_vpn_endpoint_authorization_policy,
        "InvalidParameterValue",
        ClientVpnEndpointId=cvpn,
        ShadowMode="maybe",
    )
    assert_error(
        ec2.delete_client_vpn_endpoint_authorization_policy,
        "DryRunOperation",
        412,
        ClientVpnEndpointId=cvpn,
        DryRun=True,
    )
    assert (
        ec2.delete_client_vpn_endpoint_authorization_policy(ClientVpnEndpointId=cvpn)["Status"]
        == "deleting"
    )
    assert "PolicyDocument" not in ec2.get_client_vpn_endpoint_authorization_policy(
        ClientVpnEndpointId=cvpn
    )


def test_transit_gateway_attachments_are_checked(ec2):
    for call in (
        ec2.accept_transit_gateway_client_vpn_attachment,
        ec2.reject_transit_gateway_client_vpn_attachment,
        ec2.delete_transit_gateway_client_vpn_attachment,
    ):
        assert_error(
            call,
            "InvalidTransitGatewayAttachmentID.NotFound",
            TransitGatewayAttachmentId="tgw-attach-0123456789abcdef0",
        )
        assert_error(
            call,
            "InvalidTransitGatewayAttachmentID.Malformed",
            TransitGatewayAttachmentId="tgw-attach-x",
        )


def test_tags_on_endpoints(ec2):
    cvpn = endpoint_id(ec2)
    ec2.create_tags(Resources=[cvpn], Tags=[{"Key": "team", "Value": "net"}])
    assert endpoint(ec2, cvpn)["Tags"] == [{"Key": "team", "Value": "net"}]
    described = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [cvpn]}])["Tags"]
    assert described[0]["ResourceType"] == "client-vpn-endpoint"


def test_association_follows_the_clock(ec2, env, ec2_options):
    ec2_options(transition_delay=60)
    cvpn = endpoint_id(ec2)
    subnet = default_subnets(ec2)[0]["SubnetId"]
    association = ec2.associate_client_vpn_target_network(ClientVpnEndpointId=cvpn, SubnetId=subnet)
    network = ec2.describe_client_vpn_target_networks(ClientVpnEndpointId=cvpn)[
        "ClientVpnTargetNetworks"
    ][0]
    assert network["Status"] == {"Code": "associating"}
    assert endpoint(ec2, cvpn)["Status"] == {"Code": "pending-associate"}
    env.clock.advance(61)
    assert endpoint(ec2, cvpn)["Status"] == {"Code": "available"}
    ec2.disassociate_client_vpn_target_network(
        ClientVpnEndpointId=cvpn, AssociationId=association["AssociationId"]
    )
    network = ec2.describe_client_vpn_target_networks(ClientVpnEndpointId=cvpn)[
        "ClientVpnTargetNetworks"
    ][0]
    assert network["Status"] == {"Code": "disassociating"}
    env.clock.advance(61)
    assert (
        ec2.describe_client_vpn_target_networks(ClientVpnEndpointId=cvpn)["ClientVpnTargetNetworks"]
        == []
    )
    assert endpoint(ec2, cvpn)["Status"] == {"Code": "pending-associate"}
