"""The seed tutorial, in both modes."""

import re


def test_run_instances_fresh_launch(ec2):
    reservation = ec2.run_instances(ImageId="ami-f00ba4", MinCount=1, MaxCount=1)
    instance = reservation["Instances"][0]
    assert re.fullmatch(r"i-[0-9a-f]{17}", instance["InstanceId"])
    assert instance["State"] == {"Code": 0, "Name": "pending"}
    assert instance["InstanceType"] == "m1.small"
    assert re.fullmatch(r"r-[0-9a-f]{17}", reservation["ReservationId"])
    assert reservation["OwnerId"] == "123456789012"
