"""Endpoint services: the AWS services of a region, the account's own services (PrivateLink),
their permissions across accounts, connections, connection notifications, payer responsibility."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.ec2.ec2_helpers import ID17, assert_error

REGION = "eu-west-1"
OTHER = "111122223333"
NLB = f"arn:aws:elasticloadbalancing:{REGION}:123456789012:loadbalancer/net/front/0123456789abcdef"
NLB2 = f"arn:aws:elasticloadbalancing:{REGION}:123456789012:loadbalancer/net/back/0123456789abcdee"
GWLB = f"arn:aws:elasticloadbalancing:{REGION}:123456789012:loadbalancer/gwy/fw/0123456789abcdef"
TOPIC = f"arn:aws:sns:{REGION}:123456789012:endpoint-events"
MISSING_SERVICE = "vpce-svc-0123456789abcdef0"


@pytest.fixture
def other(env: Any) -> Any:
    """Account 111122223333, same region."""
    return env.client("ec2", aws_access_key_id=OTHER, aws_secret_access_key="x")


def make_service(ec2: Any, **kw: Any) -> dict[str, Any]:
    kw.setdefault("NetworkLoadBalancerArns", [NLB])
    return ec2.create_vpc_endpoint_service_configuration(**kw)["ServiceConfiguration"]


def first_subnet(ec2: Any) -> tuple[str, str]:
    subnet = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])[0]
    return subnet["VpcId"], subnet["SubnetId"]


def interface_to(ec2: Any, service_name: str, **kw: Any) -> dict[str, Any]:
    vpc, subnet = first_subnet(ec2)
    return ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=service_name,
        VpcEndpointType="Interface",
        SubnetIds=[subnet],
        **kw,
    )["VpcEndpoint"]


def state_of(ec2: Any, vpce: str) -> str:
    return ec2.describe_vpc_endpoints(VpcEndpointIds=[vpce])["VpcEndpoints"][0]["State"]


# -- the AWS services


def test_the_regions_aws_services(ec2):
    answer = ec2.describe_vpc_endpoint_services()
    names = answer["ServiceNames"]
    for short in ("s3", "dynamodb", "ec2", "ssm", "sts", "logs", "ecr.api", "ecr.dkr", "kms"):
        assert f"com.amazonaws.{REGION}.{short}" in names
    assert names == sorted(names)
    s3 = [d for d in answer["ServiceDetails"] if d["ServiceName"] == f"com.amazonaws.{REGION}.s3"]
    assert sorted(d["ServiceType"][0]["ServiceType"] for d in s3) == ["Gateway", "Interface"]
    ssm = next(
        d for d in answer["ServiceDetails"] if d["ServiceName"] == f"com.amazonaws.{REGION}.ssm"
    )
    assert ssm["Owner"] == "amazon"
    assert ssm["PrivateDnsName"] == f"ssm.{REGION}.amazonaws.com"
    assert ssm["BaseEndpointDnsNames"] == [f"ssm.{REGION}.vpce.amazonaws.com"]
    assert ssm["AvailabilityZones"] == [f"{REGION}a", f"{REGION}b", f"{REGION}c"]
    assert ssm["VpcEndpointPolicySupported"] is True
    assert ssm["AcceptanceRequired"] is False
    assert re.fullmatch(rf"vpce-svc-{ID17}", ssm["ServiceId"])


def test_service_names_filters_regions_and_paging(ec2):
    s3 = f"com.amazonaws.{REGION}.s3"
    picked = ec2.describe_vpc_endpoint_services(ServiceNames=[s3])
    assert picked["ServiceNames"] == [s3] and len(picked["ServiceDetails"]) == 2
    assert_error(
        ec2.describe_vpc_endpoint_services,
        "InvalidServiceName",
        message=f"'com.amazonaws.{REGION}.nope' does not exist",
        ServiceNames=[f"com.amazonaws.{REGION}.nope"],
    )

    def found(name, *values):
        got = ec2.describe_vpc_endpoint_services(Filters=[{"Name": name, "Values": list(values)}])
        return got["ServiceDetails"]

    gateways = found("service-type", "Gateway")
    assert sorted(d["ServiceName"] for d in gateways) == [
        f"com.amazonaws.{REGION}.dynamodb",
        s3,
    ]
    assert [d["ServiceName"] for d in found("service-name", f"com.amazonaws.{REGION}.sts")] == [
        f"com.amazonaws.{REGION}.sts"
    ]
    assert found("service-region", "us-east-1") == []
    assert len(found("service-region", REGION)) > 50
    assert len(found("owner", "amazon")) > 50
    dual = {d["ServiceName"] for d in found("supported-ip-address-types", "ipv6")}
    assert f"com.amazonaws.{REGION}.ec2" in dual and f"com.amazonaws.{REGION}.ssm" not in dual
    assert found("tag-key", "anything") == []

    us = ec2.describe_vpc_endpoint_services(ServiceRegions=["us-east-1"])
    assert "com.amazonaws.us-east-1.s3" in us["ServiceNames"]
    assert all(d["ServiceRegion"] == "us-east-1" for d in us["ServiceDetails"])

    first = ec2.describe_vpc_endpoint_services(MaxResults=5)
    assert len(first["ServiceDetails"]) == 5
    second = ec2.describe_vpc_endpoint_services(MaxResults=5, NextToken=first["NextToken"])
    assert second["ServiceDetails"][0]["ServiceName"] >= first["ServiceDetails"][-1]["ServiceName"]
    assert_error(ec2.describe_vpc_endpoint_services, "DryRunOperation", status=412, DryRun=True)


# -- service configurations


def test_create_and_describe_a_service_configuration(ec2):
    made = ec2.create_vpc_endpoint_service_configuration(
        NetworkLoadBalancerArns=[NLB],
        AcceptanceRequired=False,
        PrivateDnsName="api.example.com",
        SupportedIpAddressTypes=["ipv4", "ipv6"],
        ClientToken="svc-1",
        TagSpecifications=[
            {"ResourceType": "vpc-endpoint-service", "Tags": [{"Key": "Name", "Value": "api"}]}
        ],
    )
    service = made["ServiceConfiguration"]
    assert made["ClientToken"] == "svc-1"
    sid = service["ServiceId"]
    assert re.fullmatch(rf"vpce-svc-{ID17}", sid)
    assert service["ServiceName"] == f"com.amazonaws.vpce.{REGION}.{sid}"
    assert service["ServiceType"] == [{"ServiceType": "Interface"}]
    assert service["ServiceState"] == "Available"
    assert service["AcceptanceRequired"] is False
    assert service["NetworkLoadBalancerArns"] == [NLB]
    assert service["SupportedIpAddressTypes"] == ["ipv4", "ipv6"]
    assert service["BaseEndpointDnsNames"] == [f"{sid}.{REGION}.vpce.amazonaws.com"]
    assert service["PrivateDnsName"] == "api.example.com"
    dns = service["PrivateDnsNameConfiguration"]
    assert dns["State"] == "pendingVerification" and dns["Type"] == "TXT"
    assert dns["Value"].startswith("vpce:")
    assert service["Tags"] == [{"Key": "Name", "Value": "api"}]
    # the same token gives the same service back
    again = make_service(ec2, AcceptanceRequired=False, PrivateDnsName="api.example.com",
                         SupportedIpAddressTypes=["ipv4", "ipv6"], ClientToken="svc-1")  # fmt: skip
    assert again["ServiceId"] == sid

    gwlb = make_service(ec2, NetworkLoadBalancerArns=[], GatewayLoadBalancerArns=[GWLB])
    assert gwlb["ServiceType"] == [{"ServiceType": "GatewayLoadBalancer"}]
    assert gwlb["AcceptanceRequired"] is True

    def found(name, *values):
        got = ec2.describe_vpc_endpoint_service_configurations(
            Filters=[{"Name": name, "Values": list(values)}]
        )
        return {s["ServiceId"] for s in got["ServiceConfigurations"]}

    assert found("service-id", sid) == {sid}
    assert found("service-name", service["ServiceName"]) == {sid}
    assert found("service-state", "Available") == {sid, gwlb["ServiceId"]}
    assert found("supported-ip-address-types", "ipv6") == {sid}
    assert found("tag:Name", "api") == {sid}
    assert found("tag-key", "Name") == {sid}
    # between 5 and 1,000; more than 1,000 gets 1,000
    assert_error(
        ec2.describe_vpc_endpoint_service_configurations, "InvalidParameterValue", MaxResults=4
    )
    page = ec2.describe_vpc_endpoint_service_configurations(MaxResults=5000)
    assert len(page["ServiceConfigurations"]) == 2 and "NextToken" not in page
    assert_error(
        ec2.describe_vpc_endpoint_service_configurations,
        "InvalidVpcEndpointServiceId.NotFound",
        message=f"The VpcEndpointService Id '{MISSING_SERVICE}' does not exist",
        ServiceIds=[MISSING_SERVICE],
    )

    # it is among the services the account sees, owned by the account
    own = ec2.describe_vpc_endpoint_services(ServiceNames=[service["ServiceName"]])
    detail = own["ServiceDetails"][0]
    assert detail["Owner"] == ec2.describe_vpcs()["Vpcs"][0]["OwnerId"]
    tagged = ec2.describe_vpc_endpoint_services(Filters=[{"Name": "tag:Name", "Values": ["api"]}])
    assert tagged["ServiceNames"] == [service["ServiceName"]]
    keyed = ec2.describe_vpc_endpoint_services(Filters=[{"Name": "tag-key", "Values": ["Name"]}])
    assert keyed["ServiceNames"] == [service["ServiceName"]]
    assert detail["ServiceId"] == sid and detail["PrivateDnsNameVerificationState"] == (
        "pendingVerification"
    )


def test_service_configuration_refusals(ec2):
    create = ec2.create_vpc_endpoint_service_configuration
    assert_error(create, "MissingParameter")
    assert_error(
        create,
        "InvalidParameterCombination",
        NetworkLoadBalancerArns=[NLB],
        GatewayLoadBalancerArns=[GWLB],
    )
    assert_error(create, "InvalidParameter", NetworkLoadBalancerArns=["arn:aws:nope"])
    assert_error(create, "InvalidParameter", NetworkLoadBalancerArns=[GWLB])
    assert_error(
        create,
        "InvalidParameterValue",
        NetworkLoadBalancerArns=[NLB],
        SupportedIpAddressTypes=["x"],
    )
    assert_error(
        create,
        "InvalidParameterValue",
        NetworkLoadBalancerArns=[NLB],
        TagSpecifications=[{"ResourceType": "vpc-endpoint", "Tags": [{"Key": "a", "Value": "b"}]}],
    )
    assert_error(create, "DryRunOperation", status=412, NetworkLoadBalancerArns=[NLB], DryRun=True)
    assert ec2.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"] == []


def test_modify_service_configuration_and_verify_private_dns(ec2):
    service = make_service(ec2, PrivateDnsName="api.example.com")
    sid = service["ServiceId"]

    def current():
        return ec2.describe_vpc_endpoint_service_configurations(ServiceIds=[sid])[
            "ServiceConfigurations"
        ][0]

    assert_error(
        ec2.start_vpc_endpoint_service_private_dns_verification,
        "DryRunOperation",
        status=412,
        ServiceId=sid,
        DryRun=True,
    )
    assert current()["PrivateDnsNameConfiguration"]["State"] == "pendingVerification"
    assert ec2.start_vpc_endpoint_service_private_dns_verification(ServiceId=sid)["ReturnValue"]
    assert current()["PrivateDnsNameConfiguration"]["State"] == "verified"

    assert ec2.modify_vpc_endpoint_service_configuration(
        ServiceId=sid,
        AcceptanceRequired=False,
        AddNetworkLoadBalancerArns=[NLB2],
        RemoveNetworkLoadBalancerArns=[NLB],
        AddSupportedIpAddressTypes=["ipv6"],
        AddSupportedRegions=["us-east-1"],
        PrivateDnsName="new.example.com",
    )["Return"]
    now = current()
    assert now["AcceptanceRequired"] is False
    assert now["NetworkLoadBalancerArns"] == [NLB2]
    assert now["SupportedIpAddressTypes"] == ["ipv4", "ipv6"]
    assert {r["Region"] for r in now["SupportedRegions"]} == {REGION, "us-east-1"}
    # a new name has to be verified again
    assert now["PrivateDnsName"] == "new.example.com"
    assert now["PrivateDnsNameConfiguration"]["State"] == "pendingVerification"
    ec2.modify_vpc_endpoint_service_configuration(ServiceId=sid, RemovePrivateDnsName=True)
    assert "PrivateDnsName" not in current()
    assert_error(
        ec2.start_vpc_endpoint_service_private_dns_verification, "InvalidParameter", ServiceId=sid
    )
    assert_error(
        ec2.modify_vpc_endpoint_service_configuration,
        "InvalidParameter",
        message="at least one load balancer",
        ServiceId=sid,
        RemoveNetworkLoadBalancerArns=[NLB2],
    )
    assert_error(
        ec2.modify_vpc_endpoint_service_configuration,
        "DryRunOperation",
        status=412,
        ServiceId=sid,
        AcceptanceRequired=True,
        DryRun=True,
    )
    assert current()["AcceptanceRequired"] is False
    assert_error(
        ec2.modify_vpc_endpoint_service_configuration,
        "InvalidVpcEndpointServiceId.NotFound",
        ServiceId=MISSING_SERVICE,
        AcceptanceRequired=True,
    )

    assert_error(
        ec2.modify_vpc_endpoint_service_payer_responsibility,
        "DryRunOperation",
        status=412,
        ServiceId=sid,
        PayerResponsibility="ServiceOwner",
        DryRun=True,
    )
    ec2.modify_vpc_endpoint_service_payer_responsibility(
        ServiceId=sid, PayerResponsibility="ServiceOwner"
    )
    assert current()["PayerResponsibility"] == "ServiceOwner"


# -- permissions and other accounts


def test_other_accounts_see_and_use_a_service_only_when_permitted(env, ec2, other):
    service = make_service(ec2, AcceptanceRequired=False)
    sid, name = service["ServiceId"], service["ServiceName"]
    assert name not in other.describe_vpc_endpoint_services()["ServiceNames"]
    assert_error(other.create_vpc_endpoint, "InvalidServiceName", **_interface_args(other, name))

    assert_error(
        ec2.modify_vpc_endpoint_service_permissions,
        "DryRunOperation",
        status=412,
        ServiceId=sid,
        AddAllowedPrincipals=[f"arn:aws:iam::{OTHER}:root"],
        DryRun=True,
    )
    added = ec2.modify_vpc_endpoint_service_permissions(
        ServiceId=sid,
        AddAllowedPrincipals=[f"arn:aws:iam::{OTHER}:root", "arn:aws:iam::444455556666:role/app"],
    )
    assert added["ReturnValue"] is True
    kinds = {p["Principal"]: p["PrincipalType"] for p in added["AddedPrincipals"]}
    assert kinds == {
        f"arn:aws:iam::{OTHER}:root": "Account",
        "arn:aws:iam::444455556666:role/app": "Role",
    }
    assert all(
        re.fullmatch(rf"vpce-svc-perm-{ID17}", p["ServicePermissionId"])
        for p in added["AddedPrincipals"]
    )

    allowed = ec2.describe_vpc_endpoint_service_permissions(ServiceId=sid)["AllowedPrincipals"]
    assert {p["Principal"] for p in allowed} == set(kinds)

    def found(filter_name, value):
        got = ec2.describe_vpc_endpoint_service_permissions(
            ServiceId=sid, Filters=[{"Name": filter_name, "Values": [value]}]
        )
        return {p["Principal"] for p in got["AllowedPrincipals"]}

    assert found("principal-type", "Role") == {"arn:aws:iam::444455556666:role/app"}
    assert found("principal", f"arn:aws:iam::{OTHER}:root") == {f"arn:aws:iam::{OTHER}:root"}
    assert found("permission-type", "vpc-endpoint") == set(kinds)
    assert_error(
        ec2.describe_vpc_endpoint_service_permissions,
        "InvalidParameterValue",
        ServiceId=sid,
        MaxResults=4,
    )

    seen = other.describe_vpc_endpoint_services(ServiceNames=[name])["ServiceDetails"][0]
    assert seen["Owner"] != OTHER and seen["ServiceId"] == sid
    made = other.create_vpc_endpoint(**_interface_args(other, name))["VpcEndpoint"]
    assert made["State"] == "pending"
    assert state_of(other, made["VpcEndpointId"]) == "available"
    connections = ec2.describe_vpc_endpoint_connections()["VpcEndpointConnections"]
    assert [(c["VpcEndpointId"], c["VpcEndpointOwner"]) for c in connections] == [
        (made["VpcEndpointId"], OTHER)
    ]
    assert connections[0]["NetworkLoadBalancerArns"] == [NLB]
    assert re.fullmatch(rf"vpce-con-{ID17}", connections[0]["VpcEndpointConnectionId"])

    ec2.modify_vpc_endpoint_service_permissions(
        ServiceId=sid, RemoveAllowedPrincipals=[f"arn:aws:iam::{OTHER}:root"]
    )
    assert name not in other.describe_vpc_endpoint_services()["ServiceNames"]
    assert_error(
        ec2.describe_vpc_endpoint_service_permissions,
        "InvalidVpcEndpointServiceId.NotFound",
        ServiceId=MISSING_SERVICE,
    )


def _interface_args(client: Any, name: str) -> dict[str, Any]:
    vpc, subnet = first_subnet(client)
    return {
        "VpcId": vpc,
        "ServiceName": name,
        "VpcEndpointType": "Interface",
        "SubnetIds": [subnet],
    }


def test_acceptance_required_connections(env, ec2, other):
    service = make_service(ec2)
    sid, name = service["ServiceId"], service["ServiceName"]
    ec2.modify_vpc_endpoint_service_permissions(ServiceId=sid, AddAllowedPrincipals=["*"])
    first = other.create_vpc_endpoint(**_interface_args(other, name))["VpcEndpoint"][
        "VpcEndpointId"
    ]
    second = interface_to(ec2, name)["VpcEndpointId"]
    assert state_of(other, first) == "pendingAcceptance"
    assert state_of(ec2, second) == "pendingAcceptance"

    def connection_states(**filters):
        kw = (
            {"Filters": [{"Name": k, "Values": [v]} for k, v in filters.items()]} if filters else {}
        )
        got = ec2.describe_vpc_endpoint_connections(**kw)["VpcEndpointConnections"]
        return {c["VpcEndpointId"]: c["VpcEndpointState"] for c in got}

    assert connection_states() == {first: "pendingAcceptance", second: "pendingAcceptance"}
    assert connection_states(**{"vpc-endpoint-owner": OTHER}) == {first: "pendingAcceptance"}
    assert connection_states(**{"service-id": sid}).keys() == {first, second}
    assert connection_states(**{"vpc-endpoint-id": second}).keys() == {second}
    assert connection_states(**{"vpc-endpoint-region": REGION}).keys() == {first, second}
    assert connection_states(**{"ip-address-type": "ipv4"}).keys() == {first, second}
    assert connection_states(**{"transit-gateway-attachment-id": "tgw-attach-1"}) == {}
    assert_error(ec2.describe_vpc_endpoint_connections, "InvalidParameterValue", MaxResults=4)
    assert len(ec2.describe_vpc_endpoint_connections(MaxResults=5)["VpcEndpointConnections"]) == 2

    # a service with live connections cannot be deleted
    refused = ec2.delete_vpc_endpoint_service_configurations(ServiceIds=[sid])["Unsuccessful"]
    assert refused[0]["Error"]["Code"] == "ExistingVpcEndpointConnections"

    assert_error(
        ec2.accept_vpc_endpoint_connections,
        "DryRunOperation",
        status=412,
        ServiceId=sid,
        VpcEndpointIds=[first],
        DryRun=True,
    )
    answer = ec2.accept_vpc_endpoint_connections(
        ServiceId=sid, VpcEndpointIds=[first, "vpce-0123456789abcdef0"]
    )
    assert [u["ResourceId"] for u in answer["Unsuccessful"]] == ["vpce-0123456789abcdef0"]
    assert state_of(other, first) == "available"
    assert connection_states(**{"vpc-endpoint-state": "available"}) == {first: "available"}
    # only the service's owner accepts
    assert_error(
        other.accept_vpc_endpoint_connections,
        "InvalidVpcEndpointServiceId.NotFound",
        ServiceId=sid,
        VpcEndpointIds=[second],
    )
    again = ec2.accept_vpc_endpoint_connections(ServiceId=sid, VpcEndpointIds=[first])
    assert again["Unsuccessful"][0]["ResourceId"] == first

    assert_error(
        ec2.reject_vpc_endpoint_connections,
        "DryRunOperation",
        status=412,
        ServiceId=sid,
        VpcEndpointIds=[second],
        DryRun=True,
    )
    ec2.reject_vpc_endpoint_connections(ServiceId=sid, VpcEndpointIds=[first, second])
    assert state_of(other, first) == "rejected"
    assert state_of(ec2, second) == "rejected"
    rejected_tgw = ec2.reject_vpc_endpoint_connections(
        ServiceId=sid,
        VpcEndpointIds=[second],
        TransitGatewayAttachmentIds=["tgw-attach-0123456789abcdef0"],
    )["Unsuccessful"]
    assert [u["Error"]["Code"] for u in rejected_tgw] == [
        "InvalidVpcEndpointState",
        "InvalidTransitGatewayAttachmentID.NotFound",
    ]

    # the owner tags its side of a connection
    connection_id = ec2.describe_vpc_endpoint_connections()["VpcEndpointConnections"][0][
        "VpcEndpointConnectionId"
    ]
    ec2.create_tags(Resources=[connection_id], Tags=[{"Key": "seen", "Value": "yes"}])
    tagged = ec2.describe_vpc_endpoint_connections()["VpcEndpointConnections"][0]
    assert tagged["Tags"] == [{"Key": "seen", "Value": "yes"}]

    assert_error(
        ec2.delete_vpc_endpoint_service_configurations,
        "DryRunOperation",
        status=412,
        ServiceIds=[sid],
        DryRun=True,
    )
    assert ec2.delete_vpc_endpoint_service_configurations(ServiceIds=[sid])["Unsuccessful"] == []
    assert ec2.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"] == []
    gone = ec2.delete_vpc_endpoint_service_configurations(ServiceIds=[sid, "bad"])["Unsuccessful"]
    assert [u["Error"]["Code"] for u in gone] == [
        "InvalidVpcEndpointService.NotFound",
        "InvalidVpcEndpointServiceId.Malformed",
    ]


def test_gateway_load_balancer_endpoints(ec2):
    service = make_service(
        ec2, NetworkLoadBalancerArns=[], GatewayLoadBalancerArns=[GWLB], AcceptanceRequired=False
    )
    vpc, subnet = first_subnet(ec2)
    made = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=service["ServiceName"],
        VpcEndpointType="GatewayLoadBalancer",
        SubnetIds=[subnet],
    )["VpcEndpoint"]
    assert made["VpcEndpointType"] == "GatewayLoadBalancer"
    assert made["Groups"] == [] and len(made["NetworkInterfaceIds"]) == 1
    assert "PolicyDocument" not in made
    connection = ec2.describe_vpc_endpoint_connections()["VpcEndpointConnections"][0]
    assert connection["GatewayLoadBalancerArns"] == [GWLB]
    other_subnet = sorted(ec2.describe_subnets()["Subnets"], key=lambda s: s["AvailabilityZone"])[
        1
    ]["SubnetId"]
    assert_error(
        ec2.create_vpc_endpoint,
        "InvalidParameter",
        VpcId=vpc,
        ServiceName=service["ServiceName"],
        VpcEndpointType="GatewayLoadBalancer",
        SubnetIds=[subnet, other_subnet],
    )
    assert_error(
        ec2.create_vpc_endpoint,
        "InvalidParameter",
        message="does not support endpoint type",
        VpcId=vpc,
        ServiceName=service["ServiceName"],
        VpcEndpointType="Interface",
        SubnetIds=[subnet],
    )


def test_cross_region_endpoint_to_a_service_that_supports_the_region(env, ec2):
    service = make_service(ec2, AcceptanceRequired=False, SupportedRegions=["us-east-1"])
    us = env.client("ec2", region="us-east-1")
    vpc, subnet = first_subnet(us)
    made = us.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=service["ServiceName"],
        ServiceRegion=REGION,
        VpcEndpointType="Interface",
        SubnetIds=[subnet],
    )["VpcEndpoint"]
    assert made["ServiceRegion"] == REGION
    found = us.describe_vpc_endpoints(Filters=[{"Name": "service-region", "Values": [REGION]}])
    assert [e["VpcEndpointId"] for e in found["VpcEndpoints"]] == [made["VpcEndpointId"]]
    connection = ec2.describe_vpc_endpoint_connections()["VpcEndpointConnections"][0]
    assert connection["VpcEndpointRegion"] == "us-east-1"
    unsupported = make_service(ec2, NetworkLoadBalancerArns=[NLB2])
    assert_error(
        us.create_vpc_endpoint,
        "InvalidServiceName",
        VpcId=vpc,
        ServiceName=unsupported["ServiceName"],
        ServiceRegion=REGION,
        VpcEndpointType="Interface",
        SubnetIds=[subnet],
    )


def test_payer_responsibility_of_an_endpoint(ec2, other):
    service = make_service(ec2, AcceptanceRequired=False)
    ec2.modify_vpc_endpoint_service_permissions(
        ServiceId=service["ServiceId"], AddAllowedPrincipals=[f"arn:aws:iam::{OTHER}:root"]
    )
    vpce = other.create_vpc_endpoint(**_interface_args(other, service["ServiceName"]))[
        "VpcEndpoint"
    ]["VpcEndpointId"]
    assert_error(
        ec2.modify_vpc_endpoint_payer_responsibility,
        "DryRunOperation",
        status=412,
        ServiceId=service["ServiceId"],
        VpcEndpointId=vpce,
        PayerResponsibility="vpc-endpoint-service-account",
        Scope="vpc-endpoint-charges",
        DryRun=True,
    )
    answer = ec2.modify_vpc_endpoint_payer_responsibility(
        ServiceId=service["ServiceId"],
        VpcEndpointId=vpce,
        PayerResponsibility="vpc-endpoint-service-account",
        Scope="vpc-endpoint-charges",
    )
    expected = [
        {"Scope": "vpc-endpoint-charges", "PayerResponsibilityType": "vpc-endpoint-service-account"}
    ]
    assert answer == {
        "VpcEndpointId": vpce,
        "PayerResponsibilities": expected,
        "ResponseMetadata": answer["ResponseMetadata"],
    }
    seen = other.describe_vpc_endpoints(VpcEndpointIds=[vpce])["VpcEndpoints"][0]
    assert seen["PayerResponsibilities"] == expected
    connection = ec2.describe_vpc_endpoint_connections()["VpcEndpointConnections"][0]
    assert connection["PayerResponsibilities"] == expected
    assert_error(
        ec2.modify_vpc_endpoint_payer_responsibility,
        "InvalidVpcEndpointId.NotFound",
        ServiceId=service["ServiceId"],
        VpcEndpointId="vpce-0123456789abcdef0",
        PayerResponsibility="vpc-endpoint-account",
        Scope="vpc-endpoint-charges",
    )


# -- connection notifications


def test_connection_notifications(ec2):
    service = make_service(ec2)
    sid = service["ServiceId"]
    vpce = interface_to(ec2, service["ServiceName"])["VpcEndpointId"]
    create = ec2.create_vpc_endpoint_connection_notification
    assert_error(
        create,
        "DryRunOperation",
        status=412,
        ServiceId=sid,
        ConnectionNotificationArn=TOPIC,
        ConnectionEvents=["Accept"],
        DryRun=True,
    )
    made = create(
        ServiceId=sid,
        ConnectionNotificationArn=TOPIC,
        ConnectionEvents=["Accept", "Reject"],
        ClientToken="n1",
    )
    notification = made["ConnectionNotification"]
    assert made["ClientToken"] == "n1"
    nid = notification["ConnectionNotificationId"]
    assert re.fullmatch(rf"vpce-nfn-{ID17}", nid)
    assert notification["ConnectionNotificationType"] == "Topic"
    assert notification["ConnectionNotificationState"] == "Enabled"
    assert notification["ConnectionEvents"] == ["Accept", "Reject"]
    assert notification["ServiceId"] == sid
    repeat = create(
        ServiceId=sid,
        ConnectionNotificationArn=TOPIC,
        ConnectionEvents=["Accept", "Reject"],
        ClientToken="n1",
    )
    assert repeat["ConnectionNotification"]["ConnectionNotificationId"] == nid
    on_endpoint = create(
        VpcEndpointId=vpce, ConnectionNotificationArn=TOPIC, ConnectionEvents=["Delete"]
    )["ConnectionNotification"]["ConnectionNotificationId"]

    assert_error(create, "InvalidParameter", ServiceId=sid, ConnectionNotificationArn="arn:nope",
                 ConnectionEvents=["Accept"])  # fmt: skip
    assert_error(create, "InvalidParameter", ServiceId=sid, ConnectionNotificationArn=TOPIC,
                 ConnectionEvents=["Explode"])  # fmt: skip
    assert_error(create, "InvalidParameterCombination", ServiceId=sid, VpcEndpointId=vpce,
                 ConnectionNotificationArn=TOPIC, ConnectionEvents=["Accept"])  # fmt: skip
    assert_error(create, "MissingParameter", ConnectionNotificationArn=TOPIC,
                 ConnectionEvents=["Accept"])  # fmt: skip
    assert_error(create, "InvalidVpcEndpointServiceId.NotFound", ServiceId=MISSING_SERVICE,
                 ConnectionNotificationArn=TOPIC, ConnectionEvents=["Accept"])  # fmt: skip

    def found(name, value):
        got = ec2.describe_vpc_endpoint_connection_notifications(
            Filters=[{"Name": name, "Values": [value]}]
        )
        return {n["ConnectionNotificationId"] for n in got["ConnectionNotificationSet"]}

    assert found("service-id", sid) == {nid}
    assert found("vpc-endpoint-id", vpce) == {on_endpoint}
    assert found("connection-notification-id", nid) == {nid}
    assert found("connection-notification-arn", TOPIC) == {nid, on_endpoint}
    assert found("connection-notification-state", "Enabled") == {nid, on_endpoint}
    assert found("connection-notification-type", "Topic") == {nid, on_endpoint}
    one = ec2.describe_vpc_endpoint_connection_notifications(ConnectionNotificationId=nid)
    assert len(one["ConnectionNotificationSet"]) == 1
    paged = ec2.describe_vpc_endpoint_connection_notifications(MaxResults=1)
    assert len(paged["ConnectionNotificationSet"]) == 1 and paged["NextToken"]

    other_topic = TOPIC + "-2"
    assert_error(
        ec2.modify_vpc_endpoint_connection_notification,
        "DryRunOperation",
        status=412,
        ConnectionNotificationId=nid,
        ConnectionEvents=["Connect"],
        DryRun=True,
    )
    assert ec2.modify_vpc_endpoint_connection_notification(
        ConnectionNotificationId=nid,
        ConnectionNotificationArn=other_topic,
        ConnectionEvents=["Connect"],
    )["ReturnValue"]
    changed = ec2.describe_vpc_endpoint_connection_notifications(ConnectionNotificationId=nid)[
        "ConnectionNotificationSet"
    ][0]
    assert changed["ConnectionNotificationArn"] == other_topic
    assert changed["ConnectionEvents"] == ["Connect"]

    assert_error(
        ec2.delete_vpc_endpoint_connection_notifications,
        "DryRunOperation",
        status=412,
        ConnectionNotificationIds=[nid],
        DryRun=True,
    )
    answer = ec2.delete_vpc_endpoint_connection_notifications(
        ConnectionNotificationIds=[nid, "vpce-nfn-0123456789abcdef0"]
    )
    assert [u["ResourceId"] for u in answer["Unsuccessful"]] == ["vpce-nfn-0123456789abcdef0"]
    assert found("connection-notification-id", nid) == set()
    # an endpoint's notifications go with it
    ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce])
    assert ec2.describe_vpc_endpoint_connection_notifications()["ConnectionNotificationSet"] == []
