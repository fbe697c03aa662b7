"""Traffic mirroring: filters and rules, targets, sessions, and what each refuses."""

from __future__ import annotations

import re

from ec2_helpers import ID17, assert_error

NLB = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/my-nlb/50dc6c495c0c9188"


def eni(ec2):
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    return ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]


def new_filter(ec2, **kw):
    return ec2.create_traffic_mirror_filter(**kw)["TrafficMirrorFilter"]


def rule(ec2, filter_id, **kw):
    kw.setdefault("TrafficDirection", "ingress")
    kw.setdefault("RuleNumber", 100)
    kw.setdefault("RuleAction", "accept")
    kw.setdefault("DestinationCidrBlock", "10.0.0.0/8")
    kw.setdefault("SourceCidrBlock", "0.0.0.0/0")
    return ec2.create_traffic_mirror_filter_rule(TrafficMirrorFilterId=filter_id, **kw)[
        "TrafficMirrorFilterRule"
    ]


def target(ec2, **kw):
    return ec2.create_traffic_mirror_target(**kw)["TrafficMirrorTarget"]


def session(ec2, source, target_id, filter_id, number=1, **kw):
    return ec2.create_traffic_mirror_session(
        NetworkInterfaceId=source,
        TrafficMirrorTargetId=target_id,
        TrafficMirrorFilterId=filter_id,
        SessionNumber=number,
        **kw,
    )["TrafficMirrorSession"]


# -- filters and rules


def test_filter_lifecycle(ec2):
    created = new_filter(
        ec2,
        Description="mine",
        TagSpecifications=[
            {"ResourceType": "traffic-mirror-filter", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )
    filter_id = created["TrafficMirrorFilterId"]
    assert re.fullmatch(rf"tmf-{ID17}", filter_id)
    assert created["Description"] == "mine"
    assert created["IngressFilterRules"] == []
    assert created["EgressFilterRules"] == []
    assert created["NetworkServices"] == []
    assert created["Tags"] == [{"Key": "k", "Value": "v"}]
    got = ec2.modify_traffic_mirror_filter_network_services(
        TrafficMirrorFilterId=filter_id, AddNetworkServices=["amazon-dns"]
    )
    assert got["TrafficMirrorFilter"]["NetworkServices"] == ["amazon-dns"]
    got = ec2.modify_traffic_mirror_filter_network_services(
        TrafficMirrorFilterId=filter_id, RemoveNetworkServices=["amazon-dns"]
    )
    assert got["TrafficMirrorFilter"]["NetworkServices"] == []
    assert (
        ec2.delete_traffic_mirror_filter(TrafficMirrorFilterId=filter_id)["TrafficMirrorFilterId"]
        == filter_id
    )
    assert_error(
        ec2.describe_traffic_mirror_filters,
        "InvalidTrafficMirrorFilterNotFound",
        TrafficMirrorFilterIds=[filter_id],
    )
    assert_error(
        ec2.delete_traffic_mirror_filter,
        "InvalidTrafficMirrorFilterNotFound",
        TrafficMirrorFilterId=filter_id,
    )


def test_rules(ec2):
    filter_id = new_filter(ec2)["TrafficMirrorFilterId"]
    first = rule(
        ec2,
        filter_id,
        RuleNumber=200,
        Protocol=6,
        DestinationPortRange={"FromPort": 80, "ToPort": 443},
        Description="web",
        TagSpecifications=[
            {"ResourceType": "traffic-mirror-filter-rule", "Tags": [{"Key": "a", "Value": "b"}]}
        ],
    )
    assert re.fullmatch(rf"tmfr-{ID17}", first["TrafficMirrorFilterRuleId"])
    assert first["DestinationPortRange"] == {"FromPort": 80, "ToPort": 443}
    assert first["Protocol"] == 6
    assert first["Tags"] == [{"Key": "a", "Value": "b"}]
    second = rule(ec2, filter_id, RuleNumber=100)
    egress = rule(ec2, filter_id, TrafficDirection="egress", RuleNumber=100)
    shown = ec2.describe_traffic_mirror_filters(TrafficMirrorFilterIds=[filter_id])[
        "TrafficMirrorFilters"
    ][0]
    # rules are shown in rule-number order, per direction
    assert [r["TrafficMirrorFilterRuleId"] for r in shown["IngressFilterRules"]] == [
        second["TrafficMirrorFilterRuleId"],
        first["TrafficMirrorFilterRuleId"],
    ]
    assert [r["TrafficMirrorFilterRuleId"] for r in shown["EgressFilterRules"]] == [
        egress["TrafficMirrorFilterRuleId"]
    ]
    assert_error(
        ec2.create_traffic_mirror_filter_rule,
        "TrafficMirrorFilterRuleAlreadyExists",
        TrafficMirrorFilterId=filter_id,
        TrafficDirection="ingress",
        RuleNumber=100,
        RuleAction="reject",
        DestinationCidrBlock="10.0.0.0/8",
        SourceCidrBlock="0.0.0.0/0",
    )
    deleted = ec2.delete_traffic_mirror_filter_rule(
        TrafficMirrorFilterRuleId=second["TrafficMirrorFilterRuleId"]
    )
    assert deleted["TrafficMirrorFilterRuleId"] == second["TrafficMirrorFilterRuleId"]
    assert_error(
        ec2.delete_traffic_mirror_filter_rule,
        "InvalidTrafficMirrorFilterRuleNotFound",
        TrafficMirrorFilterRuleId=second["TrafficMirrorFilterRuleId"],
    )
    # deleting the filter takes its rules along
    ec2.delete_traffic_mirror_filter(TrafficMirrorFilterId=filter_id)
    assert ec2.describe_traffic_mirror_filter_rules()["TrafficMirrorFilterRules"] == []


def test_rule_validation(ec2):
    filter_id = new_filter(ec2)["TrafficMirrorFilterId"]
    bad = [
        ({"RuleNumber": 0}, "InvalidParameterValue"),
        ({"RuleNumber": 32767}, "InvalidParameterValue"),
        ({"DestinationCidrBlock": "nope"}, "InvalidParameterValue"),
        ({"SourceCidrBlock": "::/0"}, "InvalidParameterCombination"),
        (
            {"Protocol": 1, "SourcePortRange": {"FromPort": 1, "ToPort": 2}},
            "InvalidParameterCombination",
        ),
        (
            {"Protocol": 17, "SourcePortRange": {"FromPort": 9, "ToPort": 2}},
            "InvalidParameterValue",
        ),
        ({"Protocol": 300}, "InvalidParameterValue"),
    ]
    for kw, code in bad:
        base = {
            "TrafficMirrorFilterId": filter_id,
            "TrafficDirection": "ingress",
            "RuleNumber": 1,
            "RuleAction": "accept",
            "DestinationCidrBlock": "10.0.0.0/8",
            "SourceCidrBlock": "0.0.0.0/0",
        }
        assert_error(ec2.create_traffic_mirror_filter_rule, code, **{**base, **kw})
    for number in range(1, 11):
        rule(ec2, filter_id, RuleNumber=number)
    assert_error(
        ec2.create_traffic_mirror_filter_rule,
        "TrafficMirrorFilterRuleLimitExceeded",
        TrafficMirrorFilterId=filter_id,
        TrafficDirection="ingress",
        RuleNumber=11,
        RuleAction="accept",
        DestinationCidrBlock="10.0.0.0/8",
        SourceCidrBlock="0.0.0.0/0",
    )
    egress = rule(ec2, filter_id, TrafficDirection="egress", RuleNumber=50)
    assert_error(
        ec2.modify_traffic_mirror_filter_rule,
        "TrafficMirrorFilterRuleLimitExceeded",
        TrafficMirrorFilterRuleId=egress["TrafficMirrorFilterRuleId"],
        TrafficDirection="ingress",
    )
    assert_error(
        ec2.create_traffic_mirror_filter_rule,
        "InvalidTrafficMirrorFilterNotFound",
        TrafficMirrorFilterId="tmf-0123456789abcdef0",
        TrafficDirection="ingress",
        RuleNumber=1,
        RuleAction="accept",
        DestinationCidrBlock="10.0.0.0/8",
        SourceCidrBlock="0.0.0.0/0",
    )


def test_modify_rule(ec2):
    filter_id = new_filter(ec2)["TrafficMirrorFilterId"]
    made = rule(
        ec2,
        filter_id,
        Protocol=17,
        SourcePortRange={"FromPort": 53, "ToPort": 53},
        Description="dns",
    )
    rule_id = made["TrafficMirrorFilterRuleId"]
    rule(ec2, filter_id, RuleNumber=5)
    got = ec2.modify_traffic_mirror_filter_rule(
        TrafficMirrorFilterRuleId=rule_id,
        RuleAction="reject",
        RuleNumber=150,
        RemoveFields=["source-port-range", "description"],
    )["TrafficMirrorFilterRule"]
    assert got["RuleAction"] == "reject"
    assert got["RuleNumber"] == 150
    assert "SourcePortRange" not in got
    assert "Description" not in got
    assert got["Protocol"] == 17
    assert_error(
        ec2.modify_traffic_mirror_filter_rule,
        "TrafficMirrorFilterRuleAlreadyExists",
        TrafficMirrorFilterRuleId=rule_id,
        RuleNumber=5,
    )
    assert_error(
        ec2.modify_traffic_mirror_filter_rule,
        "InvalidParameterCombination",
        TrafficMirrorFilterRuleId=rule_id,
        Description="x",
        RemoveFields=["description"],
    )
    got = ec2.modify_traffic_mirror_filter_rule(
        TrafficMirrorFilterRuleId=rule_id, RemoveFields=["protocol"]
    )["TrafficMirrorFilterRule"]
    assert "Protocol" not in got
    shown = ec2.describe_traffic_mirror_filter_rules(TrafficMirrorFilterRuleIds=[rule_id])[
        "TrafficMirrorFilterRules"
    ]
    assert shown == [got]


def test_describe_rules_filters(ec2):
    filter_id = new_filter(ec2)["TrafficMirrorFilterId"]
    other_filter = new_filter(ec2)["TrafficMirrorFilterId"]
    a = rule(ec2, filter_id, Protocol=6, Description="a")
    b = rule(
        ec2,
        filter_id,
        TrafficDirection="egress",
        RuleAction="reject",
        RuleNumber=7,
        DestinationCidrBlock="192.168.0.0/16",
        SourceCidrBlock="10.1.0.0/16",
    )
    c = rule(ec2, other_filter)

    def ids(name, value):
        got = ec2.describe_traffic_mirror_filter_rules(Filters=[{"Name": name, "Values": [value]}])[
            "TrafficMirrorFilterRules"
        ]
        return {r["TrafficMirrorFilterRuleId"] for r in got}

    a_id, b_id, c_id = (r["TrafficMirrorFilterRuleId"] for r in (a, b, c))
    assert ids("description", "a") == {a_id}
    assert ids("destination-cidr-block", "192.168.0.0/16") == {b_id}
    assert ids("protocol", "6") == {a_id}
    assert ids("rule-action", "reject") == {b_id}
    assert ids("rule-number", "7") == {b_id}
    assert ids("source-cidr-block", "10.1.0.0/16") == {b_id}
    assert ids("traffic-direction", "ingress") == {a_id, c_id}
    assert ids("traffic-mirror-filter-id", other_filter) == {c_id}
    assert ids("traffic-mirror-filter-rule-id", a_id) == {a_id}
    by_filter = ec2.describe_traffic_mirror_filter_rules(TrafficMirrorFilterId=filter_id)
    assert {r["TrafficMirrorFilterRuleId"] for r in by_filter["TrafficMirrorFilterRules"]} == {
        a_id,
        b_id,
    }
    first = ec2.describe_traffic_mirror_filter_rules(MaxResults=5)
    assert len(first["TrafficMirrorFilterRules"]) == 3 and "NextToken" not in first
    assert_error(ec2.describe_traffic_mirror_filter_rules, "InvalidParameterValue", MaxResults=1001)


# -- targets


def test_targets(ec2):
    interface = eni(ec2)
    by_eni = target(ec2, NetworkInterfaceId=interface, Description="appliance")
    assert re.fullmatch(rf"tmt-{ID17}", by_eni["TrafficMirrorTargetId"])
    assert by_eni["Type"] == "network-interface"
    assert by_eni["NetworkInterfaceId"] == interface
    assert by_eni["OwnerId"] == "123456789012"
    by_nlb = target(ec2, NetworkLoadBalancerArn=NLB)
    assert by_nlb["Type"] == "network-load-balancer"
    assert by_nlb["NetworkLoadBalancerArn"] == NLB
    service = ec2.create_vpc_endpoint_service_configuration(
        GatewayLoadBalancerArns=[
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/gwy/tap/0123456789abcdef"
        ],
        AcceptanceRequired=False,
    )["ServiceConfiguration"]["ServiceName"]
    subnet = ec2.describe_subnets()["Subnets"][0]
    endpoint = ec2.create_vpc_endpoint(
        VpcEndpointType="GatewayLoadBalancer",
        ServiceName=service,
        VpcId=subnet["VpcId"],
        SubnetIds=[subnet["SubnetId"]],
    )["VpcEndpoint"]["VpcEndpointId"]
    by_gwlb = target(ec2, GatewayLoadBalancerEndpointId=endpoint)
    assert by_gwlb["Type"] == "gateway-load-balancer-endpoint"
    assert_error(
        ec2.create_traffic_mirror_target,
        "InvalidVpcEndpointId.NotFound",
        GatewayLoadBalancerEndpointId="vpce-0123456789abcdef0",
    )
    assert_error(
        ec2.create_traffic_mirror_target,
        "InterfaceInUseByTrafficMirrorTarget",
        NetworkInterfaceId=interface,
    )
    assert_error(
        ec2.create_traffic_mirror_target,
        "NlbInUseByTrafficMirrorTargetException",
        NetworkLoadBalancerArn=NLB,
    )
    assert_error(
        ec2.create_traffic_mirror_target,
        "InvalidNetworkLoadBalancerArn.Malformed",
        NetworkLoadBalancerArn="arn:aws:s3:::bucket",
    )
    assert_error(
        ec2.create_traffic_mirror_target,
        "InvalidParameterCombination",
        NetworkInterfaceId=eni(ec2),
        NetworkLoadBalancerArn=NLB,
    )
    assert_error(ec2.create_traffic_mirror_target, "InvalidParameterCombination")
    assert_error(
        ec2.create_traffic_mirror_target,
        "InvalidNetworkInterfaceID.NotFound",
        NetworkInterfaceId="eni-0123456789abcdef0",
    )
    # an interface that is a target cannot be deleted
    assert_error(ec2.delete_network_interface, "DependencyViolation", NetworkInterfaceId=interface)

    def ids(name, value):
        got = ec2.describe_traffic_mirror_targets(Filters=[{"Name": name, "Values": [value]}])
        return {t["TrafficMirrorTargetId"] for t in got["TrafficMirrorTargets"]}

    eni_id, nlb_id, gwlb_id = (t["TrafficMirrorTargetId"] for t in (by_eni, by_nlb, by_gwlb))
    assert ids("description", "appliance") == {eni_id}
    assert ids("network-interface-id", interface) == {eni_id}
    assert ids("network-load-balancer-arn", NLB) == {nlb_id}
    assert ids("owner-id", "123456789012") == {eni_id, nlb_id, gwlb_id}
    assert ids("traffic-mirror-target-id", gwlb_id) == {gwlb_id}
    ec2.delete_traffic_mirror_target(TrafficMirrorTargetId=eni_id)
    assert_error(
        ec2.delete_traffic_mirror_target,
        "InvalidTrafficMirrorTargetNoFound",
        TrafficMirrorTargetId=eni_id,
    )
    ec2.delete_network_interface(NetworkInterfaceId=interface)


# -- sessions


def test_sessions(ec2):
    source = eni(ec2)
    filter_id = new_filter(ec2)["TrafficMirrorFilterId"]
    target_id = target(ec2, NetworkInterfaceId=eni(ec2))["TrafficMirrorTargetId"]
    made = session(
        ec2,
        source,
        target_id,
        filter_id,
        PacketLength=100,
        Description="copy",
        TagSpecifications=[
            {"ResourceType": "traffic-mirror-session", "Tags": [{"Key": "k", "Value": "v"}]}
        ],
    )
    assert re.fullmatch(rf"tms-{ID17}", made["TrafficMirrorSessionId"])
    assert made["NetworkInterfaceId"] == source
    assert made["TrafficMirrorTargetId"] == target_id
    assert made["TrafficMirrorFilterId"] == filter_id
    assert made["SessionNumber"] == 1
    assert made["PacketLength"] == 100
    assert 0 < made["VirtualNetworkId"] < 2**24
    assert made["Tags"] == [{"Key": "k", "Value": "v"}]
    # in use: neither the filter, the target nor the source interface can go
    assert_error(
        ec2.delete_traffic_mirror_filter,
        "TrafficMirrorFilterInUse",
        TrafficMirrorFilterId=filter_id,
    )
    assert_error(
        ec2.delete_traffic_mirror_target,
        "TrafficMirrorTargetInUseException",
        TrafficMirrorTargetId=target_id,
    )
    assert_error(ec2.delete_network_interface, "DependencyViolation", NetworkInterfaceId=source)
    assert_error(
        ec2.create_traffic_mirror_target,
        "InterfaceInUseByTrafficMirrorSession",
        NetworkInterfaceId=source,
    )
    session_id = made["TrafficMirrorSessionId"]
    ec2.delete_traffic_mirror_session(TrafficMirrorSessionId=session_id)
    assert_error(
        ec2.delete_traffic_mirror_session,
        "InvalidTrafficMirrorSessionNotFound",
        TrafficMirrorSessionId=session_id,
    )
    ec2.delete_traffic_mirror_filter(TrafficMirrorFilterId=filter_id)
    ec2.delete_traffic_mirror_target(TrafficMirrorTargetId=target_id)
    ec2.delete_network_interface(NetworkInterfaceId=source)


def test_session_rules(ec2):
    source = eni(ec2)
    filter_id = new_filter(ec2)["TrafficMirrorFilterId"]
    target_eni = eni(ec2)
    target_id = target(ec2, NetworkInterfaceId=target_eni)["TrafficMirrorTargetId"]
    nlb_target = target(ec2, NetworkLoadBalancerArn=NLB)["TrafficMirrorTargetId"]
    base = {
        "NetworkInterfaceId": source,
        "TrafficMirrorTargetId": target_id,
        "TrafficMirrorFilterId": filter_id,
    }
    for kw, code in (
        ({"SessionNumber": 0}, "InvalidParameterValue"),
        ({"SessionNumber": 1, "PacketLength": 8501}, "InvalidParameterValue"),
        ({"SessionNumber": 1, "VirtualNetworkId": 2**24}, "InvalidParameterValue"),
        (
            {"SessionNumber": 1, "NetworkInterfaceId": target_eni},
            "InvalidParameterCombination",
        ),
        (
            {"SessionNumber": 1, "TrafficMirrorTargetId": "tmt-0123456789abcdef0"},
            "InvalidTrafficMirrorTargetNoFound",
        ),
        (
            {"SessionNumber": 1, "TrafficMirrorFilterId": "tmf-0123456789abcdef0"},
            "InvalidTrafficMirrorFilterNotFound",
        ),
    ):
        assert_error(ec2.create_traffic_mirror_session, code, **{**base, **kw})
    nlb_session = session(ec2, source, nlb_target, filter_id, 1, VirtualNetworkId=42)
    assert nlb_session["PacketLength"] == 8500
    assert nlb_session["VirtualNetworkId"] == 42
    assert_error(
        ec2.create_traffic_mirror_session, "InvalidParameterValue", **base, SessionNumber=1
    )
    session(ec2, source, target_id, filter_id, 2)
    session(ec2, source, target_id, filter_id, 3)
    assert_error(
        ec2.create_traffic_mirror_session,
        "TrafficMirrorSessionsPerInterfaceLimitExceeded",
        **base,
        SessionNumber=4,
    )


def test_modify_session(ec2):
    source = eni(ec2)
    filter_id = new_filter(ec2)["TrafficMirrorFilterId"]
    other_filter = new_filter(ec2)["TrafficMirrorFilterId"]
    target_id = target(ec2, NetworkInterfaceId=eni(ec2))["TrafficMirrorTargetId"]
    made = session(ec2, source, target_id, filter_id, 5, PacketLength=64, Description="d")
    session_id = made["TrafficMirrorSessionId"]
    got = ec2.modify_traffic_mirror_session(
        TrafficMirrorSessionId=session_id,
        TrafficMirrorFilterId=other_filter,
        SessionNumber=9,
        VirtualNetworkId=77,
        RemoveFields=["packet-length", "description"],
    )["TrafficMirrorSession"]
    assert got["TrafficMirrorFilterId"] == other_filter
    assert got["SessionNumber"] == 9
    assert got["VirtualNetworkId"] == 77
    assert "PacketLength" not in got and "Description" not in got
    # the old filter is free again, the new one is in use
    ec2.delete_traffic_mirror_filter(TrafficMirrorFilterId=filter_id)
    assert_error(
        ec2.delete_traffic_mirror_filter,
        "TrafficMirrorFilterInUse",
        TrafficMirrorFilterId=other_filter,
    )
    got = ec2.modify_traffic_mirror_session(
        TrafficMirrorSessionId=session_id, RemoveFields=["virtual-network-id"]
    )["TrafficMirrorSession"]
    assert got["VirtualNetworkId"] != 77
    assert_error(
        ec2.modify_traffic_mirror_session,
        "InvalidParameterCombination",
        TrafficMirrorSessionId=session_id,
        PacketLength=10,
        RemoveFields=["packet-length"],
    )
    assert_error(
        ec2.modify_traffic_mirror_session,
        "InvalidTrafficMirrorSessionNotFound",
        TrafficMirrorSessionId="tms-0123456789abcdef0",
        Description="x",
    )


def test_describe_sessions_filters_and_paging(ec2):
    filter_id = new_filter(ec2)["TrafficMirrorFilterId"]
    target_id = target(ec2, NetworkInterfaceId=eni(ec2))["TrafficMirrorTargetId"]
    sources = [eni(ec2) for _ in range(6)]
    made = [
        session(ec2, s, target_id, filter_id, i + 1, PacketLength=100 + i, Description=f"s{i}")
        for i, s in enumerate(sources)
    ]
    first = made[0]

    def ids(name, value):
        got = ec2.describe_traffic_mirror_sessions(Filters=[{"Name": name, "Values": [value]}])
        return {s["TrafficMirrorSessionId"] for s in got["TrafficMirrorSessions"]}

    every = {s["TrafficMirrorSessionId"] for s in made}
    one = {first["TrafficMirrorSessionId"]}
    assert ids("description", "s0") == one
    assert ids("network-interface-id", sources[0]) == one
    assert ids("owner-id", "123456789012") == every
    assert ids("packet-length", "100") == one
    assert ids("session-number", "1") == one
    assert ids("traffic-mirror-filter-id", filter_id) == every
    assert ids("traffic-mirror-session-id", first["TrafficMirrorSessionId"]) == one
    assert ids("traffic-mirror-target-id", target_id) == every
    assert ids("virtual-network-id", str(first["VirtualNetworkId"])) == one
    page1 = ec2.describe_traffic_mirror_sessions(MaxResults=5)
    page2 = ec2.describe_traffic_mirror_sessions(MaxResults=5, NextToken=page1["NextToken"])
    assert len(page1["TrafficMirrorSessions"]) == 5
    assert len(page2["TrafficMirrorSessions"]) == 1
    assert_error(ec2.describe_traffic_mirror_sessions, "InvalidParameterValue", MaxResults=1001)


def test_describe_filters_filters_and_paging(ec2):
    made = [new_filter(ec2, Description=f"f{i}")["TrafficMirrorFilterId"] for i in range(6)]
    got = ec2.describe_traffic_mirror_filters(Filters=[{"Name": "description", "Values": ["f3"]}])[
        "TrafficMirrorFilters"
    ]
    assert [f["TrafficMirrorFilterId"] for f in got] == [made[3]]
    got = ec2.describe_traffic_mirror_filters(
        Filters=[{"Name": "traffic-mirror-filter-id", "Values": made[:2]}]
    )["TrafficMirrorFilters"]
    assert [f["TrafficMirrorFilterId"] for f in got] == made[:2]
    page1 = ec2.describe_traffic_mirror_filters(MaxResults=5)
    page2 = ec2.describe_traffic_mirror_filters(MaxResults=5, NextToken=page1["NextToken"])
    assert [
        f["TrafficMirrorFilterId"]
        for f in page1["TrafficMirrorFilters"] + page2["TrafficMirrorFilters"]
    ] == made
    assert_error(
        ec2.describe_traffic_mirror_filters,
        "InvalidParameterValue",
        Filters=[{"Name": "tag:k", "Values": ["v"]}],
    )
    page1 = ec2.describe_traffic_mirror_targets(MaxResults=5)
    assert page1["TrafficMirrorTargets"] == []


def test_client_tokens(ec2):
    a = ec2.create_traffic_mirror_filter(ClientToken="t1")
    b = ec2.create_traffic_mirror_filter(ClientToken="t1")
    assert a["ClientToken"] == "t1"
    assert (
        a["TrafficMirrorFilter"]["TrafficMirrorFilterId"]
        == b["TrafficMirrorFilter"]["TrafficMirrorFilterId"]
    )
    assert_error(
        ec2.create_traffic_mirror_filter,
        "IdempotentParameterMismatch",
        ClientToken="t1",
        Description="other",
    )
    interface = eni(ec2)
    t1 = ec2.create_traffic_mirror_target(NetworkInterfaceId=interface, ClientToken="t2")
    t2 = ec2.create_traffic_mirror_target(NetworkInterfaceId=interface, ClientToken="t2")
    assert (
        t1["TrafficMirrorTarget"]["TrafficMirrorTargetId"]
        == t2["TrafficMirrorTarget"]["TrafficMirrorTargetId"]
    )


def test_dry_run(ec2):
    assert_error(ec2.create_traffic_mirror_filter, "DryRunOperation", status=412, DryRun=True)
    assert ec2.describe_traffic_mirror_filters()["TrafficMirrorFilters"] == []
    filter_id = new_filter(ec2)["TrafficMirrorFilterId"]
    rule_id = rule(ec2, filter_id)["TrafficMirrorFilterRuleId"]
    source = eni(ec2)
    target_id = target(ec2, NetworkInterfaceId=eni(ec2))["TrafficMirrorTargetId"]
    session_id = session(ec2, source, target_id, filter_id)["TrafficMirrorSessionId"]
    other = eni(ec2)
    calls = [
        (ec2.delete_traffic_mirror_session, {"TrafficMirrorSessionId": session_id}),
        (
            ec2.modify_traffic_mirror_session,
            {"TrafficMirrorSessionId": session_id, "Description": "x"},
        ),
        (
            ec2.create_traffic_mirror_session,
            {
                "NetworkInterfaceId": other,
                "TrafficMirrorTargetId": target_id,
                "TrafficMirrorFilterId": filter_id,
                "SessionNumber": 1,
            },
        ),
        (ec2.create_traffic_mirror_target, {"NetworkInterfaceId": other}),
        (
            ec2.create_traffic_mirror_filter_rule,
            {
                "TrafficMirrorFilterId": filter_id,
                "TrafficDirection": "egress",
                "RuleNumber": 1,
                "RuleAction": "accept",
                "DestinationCidrBlock": "0.0.0.0/0",
                "SourceCidrBlock": "0.0.0.0/0",
            },
        ),
        (
            ec2.modify_traffic_mirror_filter_rule,
            {"TrafficMirrorFilterRuleId": rule_id, "RuleAction": "reject"},
        ),
        (ec2.delete_traffic_mirror_filter_rule, {"TrafficMirrorFilterRuleId": rule_id}),
        (
            ec2.modify_traffic_mirror_filter_network_services,
            {"TrafficMirrorFilterId": filter_id, "AddNetworkServices": ["amazon-dns"]},
        ),
    ]
    for call, kw in calls:
        assert_error(call, "DryRunOperation", status=412, DryRun=True, **kw)
    ec2.delete_traffic_mirror_session(TrafficMirrorSessionId=session_id)
    for call, kw in (
        (ec2.delete_traffic_mirror_target, {"TrafficMirrorTargetId": target_id}),
        (ec2.delete_traffic_mirror_filter, {"TrafficMirrorFilterId": filter_id}),
    ):
        assert_error(call, "DryRunOperation", status=412, DryRun=True, **kw)
    shown = ec2.describe_traffic_mirror_filters()["TrafficMirrorFilters"]
    assert shown[0]["NetworkServices"] == []
    assert [r["RuleAction"] for r in shown[0]["IngressFilterRules"]] == ["accept"]
    assert shown[0]["EgressFilterRules"] == []
    assert len(ec2.describe_traffic_mirror_targets()["TrafficMirrorTargets"]) == 1
    assert_error(ec2.describe_traffic_mirror_sessions, "DryRunOperation", status=412, DryRun=True)


def test_create_tags_on_mirror_resources(ec2):
    filter_id = new_filter(ec2)["TrafficMirrorFilterId"]
    rule_id = rule(ec2, filter_id)["TrafficMirrorFilterRuleId"]
    target_id = target(ec2, NetworkLoadBalancerArn=NLB)["TrafficMirrorTargetId"]
    session_id = session(ec2, eni(ec2), target_id, filter_id)["TrafficMirrorSessionId"]
    ec2.create_tags(
        Resources=[filter_id, rule_id, target_id, session_id], Tags=[{"Key": "k", "Value": "v"}]
    )
    tag = [{"Key": "k", "Value": "v"}]
    assert ec2.describe_traffic_mirror_filters()["TrafficMirrorFilters"][0]["Tags"] == tag
    assert ec2.describe_traffic_mirror_filter_rules()["TrafficMirrorFilterRules"][0]["Tags"] == tag
    assert ec2.describe_traffic_mirror_targets()["TrafficMirrorTargets"][0]["Tags"] == tag
    assert ec2.describe_traffic_mirror_sessions()["TrafficMirrorSessions"][0]["Tags"] == tag
