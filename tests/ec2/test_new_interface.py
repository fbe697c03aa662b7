"""``new_interface`` passes an interface's required fields by position (it runs for every
launched instance): each must land in its own field, the ids drawn in their order."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from cloudmock.services.ec2.models.network_interfaces import new_interface


def test_each_value_lands_in_its_field_and_the_rest_keep_their_defaults():
    drawn: list[str] = []

    def new_id(prefix: str) -> str:
        drawn.append(prefix)
        return f"{prefix}-{len(drawn)}"

    def new_mac() -> str:
        drawn.append("mac")
        return "0a:00:00:00:00:01"

    backend: Any = SimpleNamespace(
        ids=SimpleNamespace(new=new_id),
        account_id="123456789012",
        region="eu-west-1",
        new_mac_address=new_mac,
    )
    subnet: Any = SimpleNamespace(
        id="subnet-1", vpc_id="vpc-1", zone=SimpleNamespace(name="eu-west-1a", zone_id="euw1-az1")
    )
    groups = [("sg-1", "default")]
    eni = new_interface(backend, subnet, "10.0.0.5", groups, "eni-attach")
    assert (
        eni.id,
        eni.subnet_id,
        eni.vpc_id,
        eni.zone_name,
        eni.zone_id,
        eni.owner_id,
        eni.region,
        eni.private_ip,
        eni.mac_address,
        eni.groups,
        eni.attachment_id,
    ) == (
        "eni-1",
        "subnet-1",
        "vpc-1",
        "eu-west-1a",
        "euw1-az1",
        "123456789012",
        "eu-west-1",
        "10.0.0.5",
        "0a:00:00:00:00:01",
        groups,
        "eni-attach-3",
    )
    assert drawn == ["eni", "mac", "eni-attach"]
    assert (eni.description, eni.instance_id, eni.tags, eni.attachment_status) == (
        "",
        None,
        {},
        "attached",
    )
    assert new_interface(backend, subnet, "", []).attachment_id is None
