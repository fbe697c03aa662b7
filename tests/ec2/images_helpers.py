"""Helpers shared by the image tests."""

from __future__ import annotations

from typing import Any

from ec2_helpers import launch

OTHER = "111122223333"


def other_client(env: Any, region: str = "eu-west-1") -> Any:
    """A client of another account (a 12-digit access key is that account)."""
    return env.client(region=region, aws_access_key_id=OTHER, aws_secret_access_key="x")


def make_image(ec2: Any, name: str = "my-image", **kw: Any) -> str:
    """An available image of this account, made from a new instance."""
    instance_id = launch(ec2)[0]["InstanceId"]
    image_id: str = ec2.create_image(InstanceId=instance_id, Name=name, **kw)["ImageId"]
    ec2.get_waiter("image_available").wait(
        ImageIds=[image_id], WaiterConfig={"Delay": 0, "MaxAttempts": 5}
    )
    return image_id


def image(ec2: Any, image_id: str) -> dict[str, Any]:
    found: dict[str, Any] = ec2.describe_images(ImageIds=[image_id])["Images"][0]
    return found


def root_snapshot(ec2: Any, image_id: str) -> str:
    snapshot: str = image(ec2, image_id)["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    return snapshot
