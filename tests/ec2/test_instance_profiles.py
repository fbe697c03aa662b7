"""IAM instance profiles: at launch, and Associate/Disassociate/Replace/Describe associations."""

from __future__ import annotations

from ec2_helpers import assert_error, assert_launch_error, instance, instances, launch


def _profile(env, name):
    iam = env.client("iam")
    return iam.create_instance_profile(InstanceProfileName=name)["InstanceProfile"]


def _ids(ec2, *filters):
    found = instances(ec2, Filters=[{"Name": n, "Values": [v]} for n, v in filters])
    return [i["InstanceId"] for i in found]


def _associations(ec2, **kw):
    return ec2.describe_iam_instance_profile_associations(**kw)["IamInstanceProfileAssociations"]


def test_profile_at_launch(env, ec2):
    iam = env.client("iam")
    profile = iam.create_instance_profile(InstanceProfileName="web")["InstanceProfile"]
    [by_name] = launch(ec2, IamInstanceProfile={"Name": "web"})
    assert by_name["IamInstanceProfile"] == {
        "Arn": profile["Arn"],
        "Id": profile["InstanceProfileId"],
    }
    [by_arn] = launch(ec2, IamInstanceProfile={"Arn": profile["Arn"]})
    assert by_arn["IamInstanceProfile"]["Arn"] == profile["Arn"]
    assert sorted(_ids(ec2, ("iam-instance-profile.arn", profile["Arn"]))) == sorted(
        [by_name["InstanceId"], by_arn["InstanceId"]]
    )
    assert_launch_error(
        ec2,
        "InvalidParameterValue",
        message=r"Value \(missing\) for parameter iamInstanceProfile.name is invalid. "
        "Invalid IAM Instance Profile name",
        IamInstanceProfile={"Name": "missing"},
    )
    associations = ec2.describe_iam_instance_profile_associations(
        Filters=[{"Name": "instance-id", "Values": [by_name["InstanceId"]]}]
    )["IamInstanceProfileAssociations"]
    [association] = associations
    assert association["AssociationId"].startswith("iip-assoc-")
    assert association["State"] == "associated"


def test_associate_replace_disassociate(env, ec2):
    web = _profile(env, "web")
    db = _profile(env, "db")
    [inst] = launch(ec2)
    instance_id = inst["InstanceId"]
    association = ec2.associate_iam_instance_profile(
        IamInstanceProfile={"Name": "web"}, InstanceId=instance_id
    )["IamInstanceProfileAssociation"]
    assert association["State"] == "associating"
    assert association["IamInstanceProfile"] == {"Arn": web["Arn"], "Id": web["InstanceProfileId"]}
    [listed] = _associations(ec2, AssociationIds=[association["AssociationId"]])
    assert listed["State"] == "associated"
    assert instance(ec2, instance_id)["IamInstanceProfile"]["Arn"] == web["Arn"]
    assert_error(
        ec2.associate_iam_instance_profile,
        "IncorrectState",
        message=f"There is an existing association for instance {instance_id}",
        IamInstanceProfile={"Name": "db"},
        InstanceId=instance_id,
    )

    replaced = ec2.replace_iam_instance_profile_association(
        IamInstanceProfile={"Arn": db["Arn"]}, AssociationId=association["AssociationId"]
    )["IamInstanceProfileAssociation"]
    assert replaced["AssociationId"] != association["AssociationId"]
    assert replaced["IamInstanceProfile"]["Arn"] == db["Arn"]
    assert instance(ec2, instance_id)["IamInstanceProfile"]["Arn"] == db["Arn"]
    assert [a["AssociationId"] for a in _associations(ec2)] == [replaced["AssociationId"]]

    gone = ec2.disassociate_iam_instance_profile(AssociationId=replaced["AssociationId"])[
        "IamInstanceProfileAssociation"
    ]
    assert gone["State"] == "disassociating"
    assert _associations(ec2) == []
    assert "IamInstanceProfile" not in instance(ec2, instance_id)
    assert_error(
        ec2.disassociate_iam_instance_profile,
        "InvalidAssociationID.NotFound",
        AssociationId=replaced["AssociationId"],
    )
    assert_error(
        ec2.disassociate_iam_instance_profile,
        "InvalidAssociationID.Malformed",
        AssociationId="nope",
    )


def test_filters_and_termination(env, ec2):
    _profile(env, "web")
    [a] = launch(ec2, IamInstanceProfile={"Name": "web"})
    [b] = launch(ec2, IamInstanceProfile={"Name": "web"})
    by_instance = _associations(ec2, Filters=[{"Name": "instance-id", "Values": [b["InstanceId"]]}])
    assert [x["InstanceId"] for x in by_instance] == [b["InstanceId"]]
    assert len(_associations(ec2, Filters=[{"Name": "state", "Values": ["associated"]}])) == 2
    assert _associations(ec2, Filters=[{"Name": "state", "Values": ["disassociating"]}]) == []
    page = ec2.describe_iam_instance_profile_associations(MaxResults=5)
    assert len(page["IamInstanceProfileAssociations"]) == 2
    ec2.terminate_instances(InstanceIds=[a["InstanceId"]])
    instances(ec2)
    assert [x["InstanceId"] for x in _associations(ec2)] == [b["InstanceId"]]


def test_unknown_profile(env, ec2):
    _profile(env, "web")
    [inst] = launch(ec2)
    assert_error(
        ec2.associate_iam_instance_profile,
        "InvalidParameterValue",
        message="Invalid IAM Instance Profile name",
        IamInstanceProfile={"Name": "nope"},
        InstanceId=inst["InstanceId"],
    )
    assert_error(
        ec2.associate_iam_instance_profile,
        "InvalidParameterValue",
        message="Invalid IAM Instance Profile ARN",
        IamInstanceProfile={"Arn": "arn:aws:iam::123456789012:instance-profile/nope"},
        InstanceId=inst["InstanceId"],
    )
    assert_launch_error(ec2, "InvalidParameterValue", IamInstanceProfile={"Name": "nope"})
