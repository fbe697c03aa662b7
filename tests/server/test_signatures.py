"""``verify_signatures``: requests are checked as AWS checks them, with real clients
(boto3, boto 2, raw HTTP), in server mode and in-process."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

import cloudmock
from cloudmock.core.config import Config
from cloudmock.server import ServerThread

KEY, SECRET, ACCOUNT = (
    "AKIAEXAMPLEKEY000001",
    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "111122223333",
)
REGION = "eu-west-1"


def secured() -> Config:
    config = Config(verify_signatures=True)
    config.add_access_key(f"{KEY}:{SECRET}:{ACCOUNT}")
    return config


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(config=secured()) as running:
        yield running


@pytest.fixture(autouse=True)
def fresh_clock(server: ServerThread) -> Iterator[None]:
    yield
    server.state.reset()


def client(
    server: ServerThread,
    service: str,
    key: str = KEY,
    secret: str = SECRET,
    token: str | None = None,
):
    return boto3.client(
        service,
        endpoint_url=server.url,
        region_name=REGION,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
    )


def error_of(call) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return (
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Code"],
        response["Error"]["Message"],
    )


CALLS = {
    "ec2": lambda c: c.describe_regions(),
    "sts": lambda c: c.get_caller_identity(),
    "iam": lambda c: c.list_roles(),
    "ssm": lambda c: c.describe_parameters(),
}


@pytest.mark.parametrize("service", sorted(CALLS))
def test_the_right_secret_is_answered(server, service):
    CALLS[service](client(server, service))


def test_the_key_still_picks_its_account(server):
    assert client(server, "sts").get_caller_identity()["Account"] == ACCOUNT
    ec2 = client(server, "ec2")
    assert ec2.run_instances(ImageId="ami-f00ba4", MinCount=1, MaxCount=1)["OwnerId"] == ACCOUNT


@pytest.mark.parametrize(
    "service,status,code",
    [
        ("ec2", 401, "AuthFailure"),
        ("sts", 403, "SignatureDoesNotMatch"),
        ("iam", 403, "SignatureDoesNotMatch"),
        ("ssm", 400, "InvalidSignatureException"),
    ],
)
def test_a_wrong_secret_is_refused(server, service, status, code):
    assert error_of(lambda: CALLS[service](client(server, service, secret="not-the-secret")))[
        :2
    ] == (status, code)


def test_a_wrong_secret_changes_nothing(server):
    """The issue's finding: a wrong secret terminated another's instance."""
    owner = client(server, "ec2")
    [instance] = owner.run_instances(ImageId="ami-f00ba4", MinCount=1, MaxCount=1)["Instances"]
    intruder = client(server, "ec2", secret="guessed")
    error_of(lambda: intruder.terminate_instances(InstanceIds=[instance["InstanceId"]]))
    [reservation] = owner.describe_instances()["Reservations"]
    assert reservation["Instances"][0]["State"]["Name"] != "terminated"


@pytest.mark.parametrize(
    "service,status,code",
    [
        ("ec2", 401, "AuthFailure"),
        ("sts", 403, "InvalidClientTokenId"),
        ("ssm", 400, "UnrecognizedClientException"),
    ],
)
def test_an_unknown_key_is_refused(server, service, status, code):
    # a 12-digit key would otherwise act as that account
    assert error_of(
        lambda: CALLS[service](client(server, service, key="444455556666", secret="x"))
    )[:2] == (status, code)


def test_a_request_signed_too_long_ago_for_the_clock_is_refused(server):
    server.clock.advance(6 * 60)  # the signature is now 6 minutes old
    status, code, message = error_of(lambda: client(server, "sts").get_caller_identity())
    assert (status, code) == (403, "SignatureDoesNotMatch")
    assert message.startswith("Signature expired:") and "5 min." in message
    assert (
        error_of(lambda: client(server, "ssm").describe_parameters())[1]
        == "InvalidSignatureException"
    )
    client(server, "ec2").describe_regions()  # EC2 allows 15 minutes
    server.clock.advance(10 * 60)
    assert error_of(lambda: client(server, "ec2").describe_regions())[:2] == (400, "RequestExpired")


def test_a_request_signed_in_the_clocks_future_is_refused(server):
    server.clock.freeze(datetime.now(timezone.utc) - timedelta(hours=1))
    status, code, message = error_of(lambda: client(server, "sts").get_caller_identity())
    assert (status, code) == (403, "SignatureDoesNotMatch")
    assert message.startswith("Signature not yet current:")


def test_sts_credentials_verify_with_their_secret_and_token(server):
    sts = client(server, "sts")
    role = "arn:aws:iam::111122223333:role/deployer"
    issued = sts.assume_role(RoleArn=role, RoleSessionName="ci")["Credentials"]
    assumed = client(
        server, "sts", issued["AccessKeyId"], issued["SecretAccessKey"], issued["SessionToken"]
    )
    assert assumed.get_caller_identity()["Arn"].endswith(":assumed-role/deployer/ci")
    ec2 = client(
        server, "ec2", issued["AccessKeyId"], issued["SecretAccessKey"], issued["SessionToken"]
    )
    ec2.describe_regions()

    wrong_secret = client(server, "sts", issued["AccessKeyId"], "x" * 40, issued["SessionToken"])
    assert error_of(wrong_secret.get_caller_identity)[1] == "SignatureDoesNotMatch"
    no_token = client(server, "sts", issued["AccessKeyId"], issued["SecretAccessKey"])
    assert error_of(no_token.get_caller_identity)[1] == "InvalidClientTokenId"
    wrong_token = client(server, "sts", issued["AccessKeyId"], issued["SecretAccessKey"], "forged")
    assert error_of(wrong_token.get_caller_identity)[1] == "InvalidClientTokenId"


def test_expired_sts_credentials_are_refused(server):
    issued = client(server, "sts").get_session_token(DurationSeconds=900)["Credentials"]
    session = client(
        server, "sts", issued["AccessKeyId"], issued["SecretAccessKey"], issued["SessionToken"]
    )
    session.get_caller_identity()
    server.clock.advance(901)
    assert error_of(session.get_caller_identity)[:2] == (403, "ExpiredToken")


def test_a_presigned_url_is_verified(server):
    ec2 = client(server, "ec2")
    url = ec2.generate_presigned_url("describe_regions", ExpiresIn=60, HttpMethod="GET")
    assert "X-Amz-Signature=" in url
    assert requests.get(url, timeout=10).status_code == 200
    tampered = url.replace("Action=DescribeRegions", "Action=DescribeVpcs")
    reply = requests.get(tampered, timeout=10)
    assert reply.status_code == 401 and b"<Code>AuthFailure</Code>" in reply.content
    forged = client(server, "ec2", secret="nope").generate_presigned_url(
        "describe_regions", HttpMethod="GET"
    )
    assert requests.get(forged, timeout=10).status_code == 401
    server.clock.advance(60 + 16 * 60)  # past its expiry and EC2's 15 minutes
    reply = requests.get(url, timeout=10)
    assert reply.status_code == 400 and b"<Code>RequestExpired</Code>" in reply.content


def test_a_body_changed_after_signing_is_refused(server):
    body = "Action=GetCallerIdentity&Version=2011-06-15"
    signed = AWSRequest(
        "POST",
        server.url + "/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(Credentials(KEY, SECRET), "sts", REGION).add_auth(signed)
    headers = dict(signed.headers.items())
    assert (
        requests.post(server.url + "/", data=body, headers=headers, timeout=10).status_code == 200
    )
    changed = body.replace("GetCallerIdentity", "GetSessionToken")
    reply = requests.post(server.url + "/", data=changed, headers=headers, timeout=10)
    assert reply.status_code == 403 and b"<Code>SignatureDoesNotMatch</Code>" in reply.content


@pytest.mark.parametrize(
    "body,headers,status,code",
    [
        # the finding: an unsigned form naming an account acted as that account
        (
            "Action=DescribeRegions&Version=2016-11-15&AWSAccessKeyId=111122223333",
            {},
            401,
            b"AuthFailure",
        ),
        ("Action=ListRoles&Version=2010-05-08", {}, 403, b"MissingAuthenticationToken"),
        (
            "{}",
            {
                "X-Amz-Target": "AmazonSSM.DescribeParameters",
                "Content-Type": "application/x-amz-json-1.1",
            },
            400,
            b"MissingAuthenticationTokenException",
        ),
        (
            "Action=DescribeRegions&Version=2016-11-15",
            {"Authorization": "AWS4-HMAC-SHA256 Credential=garbage"},
            401,
            b"AuthFailure",
        ),
        (
            "Action=ListRoles&Version=2010-05-08",
            {"Authorization": "Basic Zm9vOmJhcg=="},
            400,
            b"IncompleteSignature",
        ),
    ],
)
def test_unsigned_requests_are_refused(server, body, headers, status, code):
    reply = requests.post(server.url + "/", data=body, headers=headers, timeout=10)
    assert reply.status_code == status, reply.content
    assert code in reply.content
    assert server.state.dump() == {}


def test_sigv2_from_boto2(server):
    pytest.importorskip("boto")
    import boto.auth
    import boto.ec2.connection
    import boto.exception
    from boto.ec2.regioninfo import RegionInfo

    class SigV2Connection(boto.ec2.connection.EC2Connection):
        def _required_auth_capability(self):
            return ["sign-v2"]

    def connect(secret: str):
        return SigV2Connection(
            aws_access_key_id=KEY,
            aws_secret_access_key=secret,
            is_secure=False,
            port=server.port,
            region=RegionInfo(name="us-east-1", endpoint="127.0.0.1"),
        )

    good = connect(SECRET)
    assert isinstance(good._auth_handler, boto.auth.QuerySignatureV2AuthHandler)
    assert len(good.get_all_regions()) > 1
    with pytest.raises(boto.exception.EC2ResponseError) as caught:
        connect("wrong").get_all_regions()
    assert (caught.value.status, caught.value.error_code) == (401, "AuthFailure")
    server.clock.advance(16 * 60)
    with pytest.raises(boto.exception.EC2ResponseError) as caught:
        good.get_all_regions()
    assert caught.value.error_code == "RequestExpired"


def test_off_by_default_any_signature_is_answered():
    with ServerThread() as plain:
        assert (
            client(plain, "sts", key=KEY, secret="anything").get_caller_identity()["Account"]
            == "123456789012"
        )


def test_in_process_mocks_verify_too():
    with cloudmock.MockAWS(config=secured()) as mock:
        ec2 = boto3.client(
            "ec2", region_name=REGION, aws_access_key_id=KEY, aws_secret_access_key=SECRET
        )
        ec2.describe_regions()
        wrong = boto3.client(
            "ec2", region_name=REGION, aws_access_key_id=KEY, aws_secret_access_key="x"
        )
        assert error_of(wrong.describe_regions)[:2] == (401, "AuthFailure")
        testing = boto3.client("sts", region_name=REGION)  # the mock's own fake "testing" key
        assert error_of(testing.get_caller_identity)[1] == "InvalidClientTokenId"
        mock.clock.advance(6 * 60)
        assert (
            error_of(
                boto3.client(
                    "sts", region_name=REGION, aws_access_key_id=KEY, aws_secret_access_key=SECRET
                ).get_caller_identity
            )[1]
            == "SignatureDoesNotMatch"
        )


def test_cli_flags_and_environment(monkeypatch, tmp_path):
    from cloudmock import cli
    from cloudmock import server as server_module

    served: list[Config] = []
    monkeypatch.setattr(
        server_module, "serve", lambda host, port, config, services, **kw: served.append(config)
    )
    keys = tmp_path / "keys"
    keys.write_text("# team keys\nAKIAFILE:filesecret:222233334444\n\n")
    assert (
        cli.main(
            [
                "server",
                "--verify-signatures",
                "--access-key",
                f"{KEY}:{SECRET}",
                "--access-key-file",
                str(keys),
            ]
        )
        == 0
    )
    config = served[-1]
    assert config.verify_signatures
    assert config.secret_keys == {KEY: SECRET, "AKIAFILE": "filesecret"}
    assert config.access_keys["AKIAFILE"] == "222233334444"
    with pytest.raises(SystemExit):
        cli.main(["server", "--verify-signatures"])  # nothing could ever sign
    with pytest.raises(SystemExit):
        cli.main(["server", "--access-key", "NOSECRET"])
    env = Config.from_env(
        {
            "CLOUDMOCK_VERIFY_SIGNATURES": "1",
            "CLOUDMOCK_ACCESS_KEYS": f"{KEY}:{SECRET}:{ACCOUNT},B:s",
        }
    )
    assert (
        env.verify_signatures
        and env.secret_keys == {KEY: SECRET, "B": "s"}
        and env.access_keys == {KEY: ACCOUNT}
    )
    with pytest.raises(ValueError, match="12-digit") as caught:
        Config.from_env({"CLOUDMOCK_ACCESS_KEYS": "K:topsecret:123"})
    assert "topsecret" not in str(caught.value)


def test_garbled_signatures_are_aws_errors_never_500s(server):
    """Malformed signing material of every kind is refused in the service's protocol."""
    import random

    rng = random.Random(8)
    pieces = [
        "AWS4-HMAC-SHA256 ",
        "Credential=",
        f"{KEY}/",
        "20261128/",
        "eu-west-1/ec2/aws4_request",
        "/x/y/z",
        ", SignedHeaders=",
        "host;x-amz-date",
        ";;;",
        ", Signature=",
        "é",
        "\u00ff" * 3,
        "00" * 32,
        "=",
        ",",
        " ",
    ]
    for _ in range(120):
        auth = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 9)))
        date = rng.choice(
            ["20261128T000000Z", "garbage", "99999999T999999Z", "", "00000101T000000Z"]
        )
        query = rng.choice(
            [
                "",
                "?X-Amz-Signature=zz&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a/b&X-Amz-Date=x",
                f"?X-Amz-Signature=%ff&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={KEY}/20261128/r/s/aws4_request&X-Amz-Date=20261128T000000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=99999999999999999999",
                "?Signature=%c3&SignatureVersion=2&SignatureMethod=HmacSHA256&AWSAccessKeyId=K&Timestamp=yesterday",
                f"?Signature=x&SignatureVersion=2&SignatureMethod=HmacSHA1&AWSAccessKeyId={KEY}&Expires=9999-12-31T23:59:59Z",
            ]
        )
        headers = {"X-Amz-Date": date} if date else {}
        if rng.random() < 0.7:
            headers["Authorization"] = auth.strip() or "AWS4-HMAC-SHA256"
        encoded = {name: value.encode("utf-8").decode("latin-1") for name, value in headers.items()}
        reply = requests.post(
            server.url + "/" + query,
            data="Action=DescribeRegions&Version=2016-11-15",
            headers={"Content-Type": "application/x-www-form-urlencoded", **encoded},
            timeout=10,
        )
        if reply.status_code == 501:  # a scope naming a service no plugin mocks
            assert b"<Code>NotImplemented</Code>" in reply.content
            continue
        assert reply.status_code in (400, 401), (auth, query, reply.content[:300])
        assert b"<Code>" in reply.content and b"Traceback" not in reply.content
    assert server.state.dump() == {}


def test_in_process_boto2_and_presigned_urls_verify_too():
    pytest.importorskip("boto")
    import boto.ec2.connection
    import boto.exception

    class SigV2Connection(boto.ec2.connection.EC2Connection):
        def _required_auth_capability(self):
            return ["sign-v2"]

    with cloudmock.MockAWS(config=secured()):
        for connection in (SigV2Connection, boto.ec2.connection.EC2Connection):
            assert connection(aws_access_key_id=KEY, aws_secret_access_key=SECRET).get_all_regions()
            with pytest.raises(boto.exception.EC2ResponseError) as caught:
                connection(aws_access_key_id=KEY, aws_secret_access_key="x").get_all_regions()
            assert caught.value.error_code == "AuthFailure"
        ec2 = boto3.client(
            "ec2", region_name=REGION, aws_access_key_id=KEY, aws_secret_access_key=SECRET
        )
        url = ec2.generate_presigned_url("describe_regions", HttpMethod="GET")
        assert requests.get(url, timeout=10).status_code == 200
        assert requests.get(url.replace("Regions", "Vpcs"), timeout=10).status_code == 401


def test_mock_aws_turns_checks_on_from_the_environment(monkeypatch):
    monkeypatch.setenv("CLOUDMOCK_VERIFY_SIGNATURES", "1")
    monkeypatch.setenv("CLOUDMOCK_ACCESS_KEYS", f"{KEY}:{SECRET}:{ACCOUNT}")
    with cloudmock.mock_aws():
        sts = boto3.client(
            "sts", region_name=REGION, aws_access_key_id=KEY, aws_secret_access_key=SECRET
        )
        assert sts.get_caller_identity()["Account"] == ACCOUNT
        forged = boto3.client(
            "sts", region_name=REGION, aws_access_key_id=KEY, aws_secret_access_key="x"
        )
        assert error_of(forged.get_caller_identity)[1] == "SignatureDoesNotMatch"


@pytest.mark.parametrize(
    ("service", "body", "status", "code"),
    [
        ("ec2", "Action=DescribeRegions&Version=2016-11-15", 401, "AuthFailure"),
        ("ssm", "{}", 400, "IncompleteSignatureException"),
    ],
)
def test_an_authorization_of_only_white_space_is_refused_not_a_500(
    server, service, body, status, code
):
    """A no-break space (byte 0xA0, which HTTP allows in a value) is all white space to
    Python: the scheme was read as its first word, which it has none of (IndexError)."""
    headers = {"Authorization": "\xa0", "X-Amz-Date": "20261128T000000Z"}
    if service == "ssm":
        headers |= {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AmazonSSM.DescribeParameters",
        }
    else:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:  # not requests: it refuses a value that begins with white space
        connection.request("POST", "/", body=body, headers=headers)
        reply = connection.getresponse()
        content = reply.read()
    finally:
        connection.close()
    assert reply.status == status, content[:300]
    assert code.encode() in content
