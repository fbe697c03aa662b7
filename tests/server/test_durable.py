"""Durable state (``--state-dir``): a restart restores every service's state, the clock
and the id streams; export/import moves it between directories; files are private."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudmock.cli import main as cli
from cloudmock.core.config import Config
from cloudmock.core.persistence import DB_NAME, IncompatibleState
from cloudmock.core.registry import default_registry
from cloudmock.core.state import State
from cloudmock.server import ServerThread

REGION = "eu-west-1"
IMAGE = "ami-0abcdef1234567890"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
    }
)


def _client(server: ServerThread, service: str, **kw: Any) -> Any:
    kw.setdefault("aws_access_key_id", "testing")
    kw.setdefault("aws_secret_access_key", "testing")
    return boto3.client(service, region_name=REGION, endpoint_url=server.url, **kw)


def _post(server: ServerThread, path: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        f"{server.url}/_cloudmock/{path}",
        data=json.dumps(body or {}).encode(),
        method="POST",
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _instances(ec2: Any) -> dict[str, str]:
    """instance id -> reservation id"""
    return {
        i["InstanceId"]: r["ReservationId"]
        for r in ec2.describe_instances()["Reservations"]
        for i in r["Instances"]
    }


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"


def _server(state_dir: Path) -> ServerThread:
    # a seed: a fresh state would make the very same ids again, so only a restored
    # id stream keeps new ids apart from old ones
    return ServerThread(config=Config(seed=7), state_dir=state_dir)


@pytest.fixture
def filled(state_dir: Path) -> Iterator[dict[str, Any]]:
    """A state directory after a server made instances, a tagged VPC, a parameter, a
    role, temporary credentials and moved its clock; what it saw."""
    with _server(state_dir) as server:
        ec2, ssm, iam, sts = (_client(server, s) for s in ("ec2", "ssm", "iam", "sts"))
        run = ec2.run_instances(ImageId=IMAGE, MinCount=3, MaxCount=3, InstanceType="t3.micro")
        vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
        ec2.create_tags(Resources=[vpc], Tags=[{"Key": "team", "Value": "payments"}])
        ssm.put_parameter(Name="/app/db", Value="postgres://x", Type="String")
        role = iam.create_role(RoleName="deployer", AssumeRolePolicyDocument=TRUST)["Role"]
        now = _post(server, "clock", {"advance": 86400})["now"]
        issued = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="ci-job")["Credentials"]
        seen = {
            "instances": _instances(ec2),
            "reservation": run["ReservationId"],
            "vpc": vpc,
            "vpcs": {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]},
            "credentials": issued,
            "now": now,
        }
    yield seen


def test_a_restart_restores_every_service_and_the_clock(
    filled: dict[str, Any], state_dir: Path
) -> None:
    with _server(state_dir) as server:
        ec2, ssm, iam = (_client(server, s) for s in ("ec2", "ssm", "iam"))
        assert _instances(ec2) == filled["instances"]
        vpc = ec2.describe_vpcs(VpcIds=[filled["vpc"]])["Vpcs"][0]
        assert vpc["Tags"] == [{"Key": "team", "Value": "payments"}]
        assert ssm.get_parameter(Name="/app/db")["Parameter"]["Value"] == "postgres://x"
        assert iam.get_role(RoleName="deployer")["Role"]["RoleName"] == "deployer"
        # the restored indexes answer (filters, dependents) and the old resources change
        tagged = ec2.describe_vpcs(Filters=[{"Name": "tag:team", "Values": ["payments"]}])
        assert [v["VpcId"] for v in tagged["Vpcs"]] == [filled["vpc"]]
        old = sorted(filled["instances"])[0]
        ec2.terminate_instances(InstanceIds=[old])
        ec2.delete_vpc(VpcId=filled["vpc"])
        assert not ec2.describe_vpcs(Filters=[{"Name": "tag:team", "Values": ["payments"]}])["Vpcs"]
        # the clock kept its day ahead (it is a day ahead of the wall clock, not of the
        # moment the first server stopped)
        offset = server.clock.time() - time.time()
        assert 86000 < offset < 86500
        # temporary credentials issued before the restart still act as the role
        issued = filled["credentials"]
        sts = _client(
            server,
            "sts",
            aws_access_key_id=issued["AccessKeyId"],
            aws_secret_access_key=issued["SecretAccessKey"],
            aws_session_token=issued["SessionToken"],
        )
        assert ":assumed-role/deployer/ci-job" in sts.get_caller_identity()["Arn"]


def test_ids_made_after_a_restart_never_repeat_old_ones(
    filled: dict[str, Any], state_dir: Path
) -> None:
    with _server(state_dir) as server:
        ec2 = _client(server, "ec2")
        run = ec2.run_instances(ImageId=IMAGE, MinCount=3, MaxCount=3, InstanceType="t3.micro")
        vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
        new = {i["InstanceId"] for i in run["Instances"]}
    assert not new & set(filled["instances"])
    assert run["ReservationId"] != filled["reservation"]
    assert vpc not in filled["vpcs"]


def test_reset_forgets_the_durable_state_too(filled: dict[str, Any], state_dir: Path) -> None:
    with _server(state_dir) as server:
        assert _post(server, "reset") == {"reset": True}
    with _server(state_dir) as server:
        assert _instances(_client(server, "ec2")) == {}
        assert abs(server.clock.time() - time.time()) < 60


def test_reads_do_not_write(state_dir: Path) -> None:
    with _server(state_dir) as server:
        ec2 = _client(server, "ec2")
        ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1, InstanceType="t3.micro")
        # the first read applies the launch's due transition (pending -> running), which
        # is saved: what it schedules next is timed from that moment
        ec2.describe_instances()
        durable = server.state.durable
        assert durable is not None
        before = durable.conn.total_changes
        for _ in range(3):
            ec2.describe_instances()
            ec2.describe_vpcs()
        assert durable.conn.total_changes == before
        ec2.create_vpc(CidrBlock="10.3.0.0/16")
        assert durable.conn.total_changes > before


def test_files_are_private(state_dir: Path) -> None:
    with _server(state_dir) as server:
        _client(server, "ec2").create_vpc(CidrBlock="10.4.0.0/16")
        assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700
        files = list(state_dir.iterdir())
        assert state_dir / DB_NAME in files
        for path in files:  # the database and, while it runs, its -wal and -shm files
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_export_then_import_into_a_fresh_directory(
    filled: dict[str, Any], state_dir: Path, tmp_path: Path
) -> None:
    snapshot = tmp_path / "fixture.cloudmock"
    assert cli(["state", "export", str(snapshot), "--state-dir", str(state_dir)]) == 0
    assert stat.S_IMODE(snapshot.stat().st_mode) == 0o600
    fresh = tmp_path / "other"
    assert cli(["state", "import", str(snapshot), "--state-dir", str(fresh)]) == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    with _server(fresh) as server:
        ec2 = _client(server, "ec2")
        assert _instances(ec2) == filled["instances"]
        assert _client(server, "ssm").get_parameter(Name="/app/db")["Parameter"]["Value"]


def test_a_file_from_another_version_is_refused(
    filled: dict[str, Any], state_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = tmp_path / "old.cloudmock"
    assert cli(["state", "export", str(snapshot), "--state-dir", str(state_dir)]) == 0
    with sqlite3.connect(snapshot) as conn:
        conn.execute("UPDATE meta SET value = '0.0.1' WHERE key = 'cloudmock'")
    conn.close()
    fresh = tmp_path / "other"
    assert cli(["state", "import", str(snapshot), "--state-dir", str(fresh)]) == 2
    message = capsys.readouterr().err
    assert "written by cloudmock 0.0.1" in message and "cannot read it" in message
    assert not (fresh / DB_NAME).exists()

    not_state = tmp_path / "notes.txt"
    not_state.write_text("hello " * 100)
    assert cli(["state", "import", str(not_state), "--state-dir", str(fresh)]) == 2
    assert "not a cloudmock state file" in capsys.readouterr().err

    # a server refuses such a directory at start, before it answers anything
    os.replace(snapshot, state_dir / DB_NAME)
    for side in ("-wal", "-shm"):
        Path(f"{state_dir / DB_NAME}{side}").unlink(missing_ok=True)
    with pytest.raises(IncompatibleState, match=r"0\.0\.1"):
        State(state_dir=state_dir)
    with pytest.raises(SystemExit) as exited:
        cli(["server", "--port", "0", "--state-dir", str(state_dir)])
    assert exited.value.code == 2
    assert "written by cloudmock 0.0.1" in capsys.readouterr().err


def test_scheduled_transitions_and_a_frozen_clock_survive(state_dir: Path) -> None:
    config = Config(seed=3, services={"ec2": {"transition_delay": 30}})
    with ServerThread(config=config, state_dir=state_dir) as server:
        _post(server, "clock", {"freeze": "2030-01-01T00:00:00Z"})
        ec2 = _client(server, "ec2")
        run = ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1, InstanceType="t3.micro")
        instance = run["Instances"][0]["InstanceId"]
    with ServerThread(config=config, state_dir=state_dir) as server:
        ec2 = _client(server, "ec2")
        assert server.clock.now().isoformat() == "2030-01-01T00:00:00+00:00"
        states = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"]
        assert states[0]["State"]["Name"] == "pending"
        _post(server, "clock", {"advance": 31})
        states = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"]
        assert states[0]["State"]["Name"] == "running"


def test_a_transition_a_read_applied_keeps_its_timing(state_dir: Path) -> None:
    # terminated instances are forgotten an hour after they reach "terminated"; here a
    # read is what moved it there, so that read's moment must survive the restart
    config = Config(seed=5)
    with ServerThread(config=config, state_dir=state_dir) as server:
        ec2 = _client(server, "ec2")
        run = ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1, InstanceType="t3.micro")
        instance = run["Instances"][0]["InstanceId"]
        ec2.terminate_instances(InstanceIds=[instance])
        assert _instances(ec2) == {instance: run["ReservationId"]}  # terminated, now
        _post(server, "clock", {"advance": 59 * 60})
    with ServerThread(config=config, state_dir=state_dir) as server:
        ec2 = _client(server, "ec2")
        _post(server, "clock", {"advance": 2 * 60})
        assert _instances(ec2) == {}


# -- what a restart after a crash replays (the log), and what crosses accounts

OWNER, PEER = "111111111111", "222222222222"


def _as(server: ServerThread, account: str, service: str = "ec2") -> Any:
    return _client(server, service, aws_access_key_id=account)


def _killed(state_dir: Path, image: Path) -> Path:
    """What ``kill -9`` leaves of a running server's directory: the database and its WAL
    as they are (every acknowledged write is committed there; nothing was closed)."""
    image.mkdir(mode=0o700)
    for name in (DB_NAME, f"{DB_NAME}-wal"):
        if (state_dir / name).exists():
            shutil.copy2(state_dir / name, image / name)
    return image


@pytest.mark.parametrize("restart", ["stopped", "killed"])
def test_what_two_accounts_share_is_one_thing_after_a_restart(
    state_dir: Path, tmp_path: Path, restart: str
) -> None:
    """A peering, a shared snapshot and a transit gateway attachment link two accounts;
    after a restart each side's change is what the other side sees."""
    with _server(state_dir) as server:
        owner, peer = _as(server, OWNER), _as(server, PEER)
        owner_vpc = owner.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
        peer_vpc = peer.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
        peer_subnet = peer.create_subnet(VpcId=peer_vpc, CidrBlock="10.2.1.0/24")["Subnet"]
        peering = owner.create_vpc_peering_connection(
            VpcId=owner_vpc, PeerVpcId=peer_vpc, PeerOwnerId=PEER
        )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
        volume = owner.create_volume(AvailabilityZone="eu-west-1a", Size=8)["VolumeId"]
        snapshot = owner.create_snapshot(VolumeId=volume)["SnapshotId"]
        owner.modify_snapshot_attribute(
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[PEER],
        )
        gateway = owner.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
        _post(server, "clock", {"advance": 600})
        assert owner.describe_transit_gateways()["TransitGateways"][0]["State"] == "available"
        attachment = peer.create_transit_gateway_vpc_attachment(
            TransitGatewayId=gateway, VpcId=peer_vpc, SubnetIds=[peer_subnet["SubnetId"]]
        )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        if restart == "killed":
            state_dir = _killed(state_dir, tmp_path / "image")
    with _server(state_dir) as server:
        owner, peer = _as(server, OWNER), _as(server, PEER)
        # the peer accepts the owner's request: the owner sees it active, and the route
        # through it is the owner's to make
        peer.accept_vpc_peering_connection(VpcPeeringConnectionId=peering)
        seen = owner.describe_vpc_peering_connections(VpcPeeringConnectionIds=[peering])
        assert seen["VpcPeeringConnections"][0]["Status"]["Code"] == "active"
        table = owner.create_route_table(VpcId=owner_vpc)["RouteTable"]["RouteTableId"]
        owner.create_route(
            RouteTableId=table, DestinationCidrBlock="10.2.0.0/16", VpcPeeringConnectionId=peering
        )
        # the owner accepts the peer's attachment: the peer sees it leave pendingAcceptance
        owner.accept_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
        theirs = peer.describe_transit_gateway_vpc_attachments(
            TransitGatewayAttachmentIds=[attachment]
        )["TransitGatewayVpcAttachments"][0]
        assert theirs["State"] != "pendingAcceptance"
        # the shared snapshot: the peer restores it; once the owner stops sharing, gone
        restorable = peer.describe_snapshots(RestorableByUserIds=[PEER])["Snapshots"]
        assert [s["SnapshotId"] for s in restorable] == [snapshot]
        peer.create_volume(AvailabilityZone="eu-west-1a", SnapshotId=snapshot)
        owner.modify_snapshot_attribute(
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            OperationType="remove",
            UserIds=[PEER],
        )
        assert peer.describe_snapshots(RestorableByUserIds=[PEER])["Snapshots"] == []
        # the peer ends the peering: the owner's side follows
        peer.delete_vpc_peering_connection(VpcPeeringConnectionId=peering)
        seen = owner.describe_vpc_peering_connections(VpcPeeringConnectionIds=[peering])
        assert seen["VpcPeeringConnections"][0]["Status"]["Code"] == "deleted"


def test_a_crash_restart_replays_every_acknowledged_write_at_its_moment(
    state_dir: Path, tmp_path: Path
) -> None:
    """No seed (the directory's own id streams), a moved clock, a key pair: after a
    ``kill -9`` the same ids, timestamps and key fingerprint are back."""
    with ServerThread(state_dir=state_dir) as server:
        ec2, ssm = _client(server, "ec2"), _client(server, "ssm")
        run = ec2.run_instances(ImageId=IMAGE, MinCount=2, MaxCount=2, InstanceType="t3.micro")
        _post(server, "clock", {"advance": 3600})
        key = ec2.create_key_pair(KeyName="deploy")
        vpc = ec2.create_vpc(CidrBlock="10.5.0.0/16")["Vpc"]["VpcId"]
        ssm.put_parameter(Name="/app/url", Value="https://x", Type="String")
        ec2.terminate_instances(InstanceIds=[run["Instances"][0]["InstanceId"]])
        before = ec2.describe_instances()["Reservations"]
        image = _killed(state_dir, tmp_path / "image")
    with ServerThread(state_dir=image) as server:
        ec2, ssm = _client(server, "ec2"), _client(server, "ssm")
        assert ec2.describe_instances()["Reservations"] == before
        pair = ec2.describe_key_pairs(KeyNames=["deploy"])["KeyPairs"][0]
        assert pair["KeyFingerprint"] == key["KeyFingerprint"]
        assert vpc in {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]}
        assert ssm.get_parameter(Name="/app/url")["Parameter"]["Value"] == "https://x"
        again = ec2.run_instances(ImageId=IMAGE, MinCount=2, MaxCount=2, InstanceType="t3.micro")
        old = {i["InstanceId"] for r in before for i in r["Instances"]}
        assert not {i["InstanceId"] for i in again["Instances"]} & old


def test_a_write_to_a_large_state_writes_little(state_dir: Path) -> None:
    """A write adds one small row whatever the state's size; the saved state is left as
    it is until the next snapshot."""
    large = Config(seed=7, services={"ec2": {"instance_limit": 10_000}})
    with ServerThread(config=large, state_dir=state_dir) as server:
        ec2 = _client(server, "ec2")
        for _ in range(4):
            ec2.run_instances(ImageId=IMAGE, MinCount=100, MaxCount=100, InstanceType="t3.micro")
    conn = sqlite3.connect(state_dir / DB_NAME)
    snapshot = conn.execute("SELECT sum(length(data)) FROM graphs").fetchone()[0]
    conn.close()
    assert snapshot > 300_000  # 400 instances, saved whole when the server stopped
    with ServerThread(config=large, state_dir=state_dir) as server:
        ec2 = _client(server, "ec2")
        for _ in range(5):
            ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1, InstanceType="t3.micro")
        ec2.create_vpc(CidrBlock="10.6.0.0/16")
        durable = server.state.durable
        assert durable is not None
        rows = durable.conn.execute("SELECT count(*), sum(length(data)) FROM log").fetchone()
        assert rows[0] == 6 and rows[1] < 6 * 2_000  # what each was asked, not the state
        now = durable.conn.execute("SELECT sum(length(data)) FROM graphs").fetchone()[0]
        assert now == snapshot
    # stopping saved it whole again, and nothing is left to replay
    conn = sqlite3.connect(state_dir / DB_NAME)
    assert conn.execute("SELECT count(*) FROM log").fetchone()[0] == 0
    conn.close()
    with ServerThread(config=large, state_dir=state_dir) as server:
        assert len(_instances(_client(server, "ec2"))) == 405


_RESTORE = """
import json, sys
from cloudmock.core.state import State
state = State(state_dir=sys.argv[1])
print(json.dumps(state.dump(), default=str, sort_keys=True))
"""


def test_a_replayed_log_is_the_state_it_logged_in_another_process(
    state_dir: Path, tmp_path: Path
) -> None:
    """Many kinds of writes in two accounts, three services and two regions, without a
    seed; a crash image of it restored by another process (another hash seed, so other
    set orders) is, resource for resource, the state that was running."""
    with ServerThread(state_dir=state_dir) as server:
        owner, peer = _as(server, OWNER), _as(server, PEER)
        vpc = owner.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
        subnet = owner.create_subnet(VpcId=vpc, CidrBlock="10.1.1.0/24")["Subnet"]["SubnetId"]
        peer_vpc = peer.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
        peering = owner.create_vpc_peering_connection(
            VpcId=vpc, PeerVpcId=peer_vpc, PeerOwnerId=PEER
        )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
        peer.accept_vpc_peering_connection(VpcPeeringConnectionId=peering)
        groups = [
            owner.create_security_group(GroupName=f"g{n}", Description="d", VpcId=vpc)["GroupId"]
            for n in range(3)
        ]
        owner.authorize_security_group_ingress(
            GroupId=groups[0],
            IpPermissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": 1,
                    "ToPort": 100,
                    "UserIdGroupPairs": [{"GroupId": groups[1]}, {"GroupId": groups[2]}],
                    "IpRanges": [{"CidrIp": "1.2.3.0/24"}, {"CidrIp": "5.6.7.0/24"}],
                }
            ],
        )
        for round in range(3):
            run = owner.run_instances(
                ImageId=IMAGE,
                MinCount=4,
                MaxCount=4,
                InstanceType="t3.micro",
                SubnetId=subnet,
                SecurityGroupIds=groups,
            )
            peer.run_instances(ImageId=IMAGE, MinCount=2, MaxCount=2, InstanceType="t3.micro")
            _post(server, "clock", {"advance": 100})
            ids = [i["InstanceId"] for i in run["Instances"]]
            owner.describe_instances()  # pending -> running, applied by a read
            owner.terminate_instances(InstanceIds=ids[:1])
            owner.stop_instances(InstanceIds=ids[1:3])
            owner.create_tags(Resources=ids[3:], Tags=[{"Key": "round", "Value": str(round)}])
        interface = owner.create_network_interface(
            SubnetId=subnet, Groups=groups[:2], SecondaryPrivateIpAddressCount=3
        )["NetworkInterface"]["NetworkInterfaceId"]
        address = owner.allocate_address(Domain="vpc")["AllocationId"]
        owner.associate_address(AllocationId=address, NetworkInterfaceId=interface)
        volume = owner.create_volume(AvailabilityZone="eu-west-1a", Size=8)["VolumeId"]
        snapshot = owner.create_snapshot(VolumeId=volume)["SnapshotId"]
        owner.modify_snapshot_attribute(
            SnapshotId=snapshot,
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[PEER],
        )
        _post(server, "clock", {"advance": 600})
        peer.create_volume(AvailabilityZone="eu-west-1a", SnapshotId=snapshot)
        table = owner.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        owner.create_route(
            RouteTableId=table, DestinationCidrBlock="10.2.0.0/16", VpcPeeringConnectionId=peering
        )
        owner.create_nat_gateway(
            SubnetId=subnet, AllocationId=owner.allocate_address(Domain="vpc")["AllocationId"]
        )
        owner.create_launch_template(
            LaunchTemplateName="web",
            LaunchTemplateData={"ImageId": IMAGE, "InstanceType": "t3.micro"},
        )
        owner.run_instances(
            LaunchTemplate={"LaunchTemplateName": "web"}, MinCount=3, MaxCount=3, SubnetId=subnet
        )
        with pytest.raises(Exception, match="InvalidSubnetID"):
            owner.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1, SubnetId="subnet-0")
        role = _as(server, OWNER, "iam").create_role(
            RoleName="deployer", AssumeRolePolicyDocument=TRUST
        )["Role"]["Arn"]
        _as(server, OWNER, "sts").assume_role(RoleArn=role, RoleSessionName="ci-job")
        ssm = _as(server, OWNER, "ssm")
        for n in range(4):
            ssm.put_parameter(Name=f"/p/{n}", Value="a", Type="String")
            ssm.put_parameter(Name=f"/p/{n}", Value="b", Type="String", Overwrite=True)
        with pytest.raises(Exception, match="ValidationException"):  # the model's enum
            ssm.put_parameter(Name="/p/tier", Value="v", Type="String", Tier="Bogus")
        boto3.client(
            "ec2",
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id=PEER,
            aws_secret_access_key="x",
        ).describe_vpcs()  # a region made by a read
        owner.describe_instances()
        running = json.dumps(server.state.dump(), default=str, sort_keys=True)
        image = _killed(state_dir, tmp_path / "image")
    env = dict(os.environ, PYTHONHASHSEED=str(int.from_bytes(os.urandom(2), "big") + 1))
    restored = subprocess.run(
        [sys.executable, "-c", _RESTORE, str(image)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "replaying" not in restored.stderr
    assert json.loads(restored.stdout) == json.loads(running)


def test_a_read_that_drew_an_id_is_replayed_too(
    state_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read that draws from its backend's id stream (as one making something on first
    use would) is logged: left out, the replay would give the next write other ids."""
    found = default_registry().get("ec2").operation("DescribeRegions")
    answer = found.handler

    def drawing(ctx: Any, **members: Any) -> Any:
        ctx.backend.rng.getrandbits(64)
        return answer(ctx, **members)

    monkeypatch.setattr(found, "handler", drawing)
    with _server(state_dir) as server:
        ec2 = _client(server, "ec2")
        first = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]  # the backend made
        ec2.describe_vpcs()  # applies the creation's due transition (logged for that)
        ec2.describe_regions()  # only draws
        vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
        image = _killed(state_dir, tmp_path / "image")
    with _server(image) as server:
        vpcs = {v["VpcId"] for v in _client(server, "ec2").describe_vpcs()["Vpcs"]}
        assert {first, vpc} <= vpcs
