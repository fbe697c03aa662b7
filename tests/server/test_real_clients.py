"""Signature checks (``verify_signatures``) with real non-Python clients: the AWS CLI v1
and the AWS SDK for JavaScript v3, each run as a subprocess against a verifying
``ServerThread`` on 127.0.0.1. The right secret (or an STS-assumed role's credentials
with their session token) is answered; a wrong secret or an unknown key gets the code
in ``docs/server.rst``'s table, as each client reports it.

Server mode only, by nature: these clients speak HTTP to a server and cannot be patched
in-process.

Where the clients come from (never whatever happens to be on ``PATH``):

- the AWS CLI: its own virtual environment (its pinned ``docutils`` conflicts with
  Sphinx's), made by ``scripts/test`` at ``$VENV/clients/awscli`` from
  ``tests/clients/awscli/requirements.txt`` and named by ``CLOUDMOCK_AWS_CLI``. When
  that variable is set, a missing CLI fails; without it (pytest run by hand) the tests
  look in the running venv and skip if the CLI is not there;
- the JS SDK: ``tests/clients/js`` (``package-lock.json``), installed by ``scripts/test``
  with ``npm ci`` where ``node`` and ``npm`` exist; skipped without ``node`` or the SDK.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cloudmock.core.config import Config
from cloudmock.server import ServerThread

KEY, SECRET, ACCOUNT = (
    "AKIAEXAMPLEKEY000001",
    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "111122223333",
)
REGION = "eu-west-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/deployer"
UNKNOWN_KEY = "AKIAUNKNOWNKEY000009"
CLI_LAUNCH = ("ec2", "run-instances", "--image-id", "ami-f00ba4", "--count", "1")
JS_LAUNCH = {"ImageId": "ami-f00ba4", "MinCount": 1, "MaxCount": 1}
#: a client that fails to start or hangs must not hold the suite
TIMEOUT = 60

JS_DIR = Path(__file__).resolve().parents[1] / "clients" / "js"


def aws_cli() -> Path:
    named = os.environ.get("CLOUDMOCK_AWS_CLI")
    return Path(named) if named else Path(sys.prefix) / "clients" / "awscli" / "bin" / "aws"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    config = Config(verify_signatures=True)
    config.add_access_key(f"{KEY}:{SECRET}:{ACCOUNT}")
    with ServerThread(config=config) as running:
        yield running


@pytest.fixture(autouse=True)
def fresh_state(server: ServerThread) -> Iterator[None]:
    yield
    server.state.reset()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty home: no ~/.aws of the machine's reaches a client."""
    return tmp_path_factory.mktemp("home")


def clean_env(home: Path, key: str, secret: str, token: str | None) -> dict[str, str]:
    env = {
        "PATH": os.defpath,
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-credentials"),
        "AWS_ACCESS_KEY_ID": key,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
        # an error is the answer under test, not something to retry
        "AWS_MAX_ATTEMPTS": "1",
    }
    if token is not None:
        env["AWS_SESSION_TOKEN"] = token
    return env


# --- the AWS CLI v1 -------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli() -> Path:
    path = aws_cli()
    if not os.access(path, os.X_OK):
        if "CLOUDMOCK_AWS_CLI" in os.environ:
            pytest.fail(f"CLOUDMOCK_AWS_CLI={path} is not an executable AWS CLI")
        pytest.skip(f"no AWS CLI v1 at {path}: scripts/test installs it (or set CLOUDMOCK_AWS_CLI)")
    return path


def aws(
    cli: Path,
    server: ServerThread,
    home: Path,
    *args: str,
    key: str = KEY,
    secret: str = SECRET,
    token: str | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(cli), "--endpoint-url", server.url, "--output", "json", *args],
        env=clean_env(home, key, secret, token),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def aws_json(cli: Path, server: ServerThread, home: Path, *args: str, **keys: Any) -> Any:
    done = aws(cli, server, home, *args, **keys)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def aws_error(cli: Path, server: ServerThread, home: Path, *args: str, **keys: Any) -> str:
    """The CLI's error line; the call must have failed with a service error."""
    done = aws(cli, server, home, *args, **keys)
    assert done.returncode == 255, (done.returncode, done.stdout)  # v1's exit for a failed call
    assert done.stdout == ""
    assert "An error occurred (" in done.stderr, done.stderr
    return done.stderr.strip()


def test_cli_runs_and_describes_an_instance(cli, server, home):
    reservation = aws_json(cli, server, home, *CLI_LAUNCH)
    assert reservation["OwnerId"] == ACCOUNT
    [launched] = reservation["Instances"]
    described = aws_json(cli, server, home, "ec2", "describe-instances")
    [instance] = [i for r in described["Reservations"] for i in r["Instances"]]
    assert instance["InstanceId"] == launched["InstanceId"]


@pytest.mark.parametrize(
    "call,code",
    [
        (("ec2", "describe-instances"), "AuthFailure"),
        (("sts", "get-caller-identity"), "SignatureDoesNotMatch"),
        (("ssm", "describe-parameters"), "InvalidSignatureException"),
    ],
    ids=["ec2", "sts", "ssm"],
)
def test_cli_with_a_wrong_secret_is_refused(cli, server, home, call, code):
    error = aws_error(cli, server, home, *call, secret="not-the-secret")
    assert f"An error occurred ({code}) when calling the " in error


@pytest.mark.parametrize(
    "call,code",
    [
        (("ec2", "describe-instances"), "AuthFailure"),
        (("sts", "get-caller-identity"), "InvalidClientTokenId"),
    ],
    ids=["ec2", "sts"],
)
def test_cli_with_an_unknown_key_is_refused(cli, server, home, call, code):
    error = aws_error(cli, server, home, *call, key=UNKNOWN_KEY, secret=SECRET)
    assert f"An error occurred ({code}) when calling the " in error


def test_cli_non_ec2_services_answer_the_right_secret(cli, server, home):
    assert aws_json(cli, server, home, "sts", "get-caller-identity")["Account"] == ACCOUNT
    assert aws_json(cli, server, home, "ssm", "describe-parameters")["Parameters"] == []


def test_cli_with_assumed_role_credentials(cli, server, home):
    issued = aws_json(
        cli, server, home, "sts", "assume-role", "--role-arn", ROLE, "--role-session-name", "ci"
    )["Credentials"]
    assumed = {
        "key": issued["AccessKeyId"],
        "secret": issued["SecretAccessKey"],
        "token": issued["SessionToken"],
    }
    identity = aws_json(cli, server, home, "sts", "get-caller-identity", **assumed)
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/ci"
    aws_json(cli, server, home, *CLI_LAUNCH, **assumed)
    # the role's instance is its account's: the account's own key sees it
    [reservation] = aws_json(cli, server, home, "ec2", "describe-instances")["Reservations"]
    assert reservation["OwnerId"] == ACCOUNT
    forged = {**assumed, "token": "forged"}
    error = aws_error(cli, server, home, "ec2", "describe-instances", **forged)
    assert "An error occurred (AuthFailure)" in error


# --- the AWS SDK for JavaScript v3 -----------------------------------------------------


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.skip("no Node.js (node) on PATH for the AWS SDK for JavaScript v3")
    for package in ("client-ec2", "client-sts"):
        if not (JS_DIR / "node_modules" / "@aws-sdk" / package).is_dir():
            pytest.skip(
                f"@aws-sdk/{package} is not installed in {JS_DIR}: "
                "scripts/test runs `npm ci --prefix tests/clients/js`"
            )
    return found


def js(
    node: str,
    server: ServerThread,
    home: Path,
    service: str,
    action: str,
    params: dict[str, Any] | None = None,
    key: str = KEY,
    secret: str = SECRET,
    token: str | None = None,
) -> dict[str, Any]:
    """``tests/clients/js/call.mjs``'s answer: ``ok`` and the output, or the error's
    ``name``, ``Code``, ``message`` and ``httpStatusCode``."""
    request = {
        "endpoint": server.url,
        "region": REGION,
        "accessKeyId": key,
        "secretAccessKey": secret,
        "sessionToken": token,
        "service": service,
        "action": action,
        "input": params or {},
    }
    done = subprocess.run(
        [node, str(JS_DIR / "call.mjs"), json.dumps(request)],
        env=clean_env(home, key, secret, token),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def js_output(*args: Any, **keys: Any) -> dict[str, Any]:
    answer = js(*args, **keys)
    assert answer["ok"], answer
    output: dict[str, Any] = answer["output"]
    return output


def test_js_runs_and_describes_an_instance(node, server, home):
    reservation = js_output(node, server, home, "ec2", "RunInstances", JS_LAUNCH)
    assert reservation["OwnerId"] == ACCOUNT
    [launched] = reservation["Instances"]
    described = js_output(node, server, home, "ec2", "DescribeInstances")
    [instance] = [i for r in described["Reservations"] for i in r["Instances"]]
    assert instance["InstanceId"] == launched["InstanceId"]
    assert instance["State"]["Name"] in ("pending", "running")


@pytest.mark.parametrize(
    "service,action,status,code",
    [
        ("ec2", "DescribeInstances", 401, "AuthFailure"),
        ("sts", "GetCallerIdentity", 403, "SignatureDoesNotMatch"),
    ],
)
def test_js_with_a_wrong_secret_is_refused(node, server, home, service, action, status, code):
    answer = js(node, server, home, service, action, secret="not-the-secret")
    assert (answer["ok"], answer["name"], answer["httpStatusCode"]) == (False, code, status)


@pytest.mark.parametrize(
    "service,action,status,code",
    [
        ("ec2", "DescribeInstances", 401, "AuthFailure"),
        ("sts", "GetCallerIdentity", 403, "InvalidClientTokenId"),
    ],
)
def test_js_with_an_unknown_key_is_refused(node, server, home, service, action, status, code):
    answer = js(node, server, home, service, action, key=UNKNOWN_KEY)
    assert (answer["ok"], answer["name"], answer["httpStatusCode"]) == (False, code, status)


def test_js_with_assumed_role_credentials(node, server, home):
    issued = js_output(
        node, server, home, "sts", "AssumeRole", {"RoleArn": ROLE, "RoleSessionName": "ci"}
    )["Credentials"]
    assumed = {
        "key": issued["AccessKeyId"],
        "secret": issued["SecretAccessKey"],
        "token": issued["SessionToken"],
    }
    assert js_output(node, server, home, "ec2", "RunInstances", JS_LAUNCH, **assumed)[
        "OwnerId"
    ] == (ACCOUNT)
    identity = js_output(node, server, home, "sts", "GetCallerIdentity", **assumed)
    assert identity["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/ci"
    wrong_secret = js(
        node, server, home, "ec2", "DescribeInstances", **{**assumed, "secret": "x" * 40}
    )
    assert (wrong_secret["name"], wrong_secret["httpStatusCode"]) == ("AuthFailure", 401)
