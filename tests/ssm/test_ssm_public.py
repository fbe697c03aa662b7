"""The seam for public parameters: a provider the backend consults for names under /aws/."""

from __future__ import annotations

import pytest
from ssm_helpers import assert_error, names

from cloudmock.services.ssm.models import backend as backend_module
from cloudmock.services.ssm.models.public import PublicParameter

LATEST = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"


class Catalogue:
    def __init__(self, region: str) -> None:
        self.region = region
        self.items = [
            PublicParameter(LATEST, "ami-0123456789abcdef0", data_type="aws:ec2:image"),
            PublicParameter("/aws/service/ami-amazon-linux-latest/other", "ami-12345678"),
            PublicParameter("/aws/service/global-infrastructure/regions/eu-west-1", "eu-west-1"),
        ]

    def get(self, name: str) -> PublicParameter | None:
        return next((p for p in self.items if p.name == name), None)

    def under(self, path: str, recursive: bool) -> list[PublicParameter]:
        prefix = path.rstrip("/") + "/"
        return [
            p
            for p in self.items
            if p.name.startswith(prefix) and (recursive or "/" not in p.name[len(prefix) :])
        ]


@pytest.fixture
def catalogue(monkeypatch):
    monkeypatch.setattr(backend_module, "provider_for", Catalogue)


def test_a_provider_answers_public_reads(catalogue, ssm):
    shown = ssm.get_parameter(Name=LATEST)["Parameter"]
    assert shown["Value"] == "ami-0123456789abcdef0"
    assert shown["DataType"] == "aws:ec2:image"
    assert shown["ARN"] == f"arn:aws:ssm:eu-west-1::parameter{LATEST}"
    assert ssm.get_parameter(Name=f"{LATEST}:1")["Parameter"]["Selector"] == ":1"
    assert_error(ssm.get_parameter, "ParameterNotFound", Name=f"{LATEST}:2")
    assert_error(ssm.get_parameter, "ParameterNotFound", Name="/aws/service/nothing")
    found = ssm.get_parameters(Names=[LATEST, "/aws/service/nothing"])
    assert names(found["Parameters"]) == [LATEST]
    assert found["InvalidParameters"] == ["/aws/service/nothing"]
    listed = ssm.get_parameters_by_path(Path="/aws/service/ami-amazon-linux-latest")["Parameters"]
    assert names(listed) == [LATEST, "/aws/service/ami-amazon-linux-latest/other"]
    everything = ssm.get_parameters_by_path(Path="/aws/service", Recursive=True)["Parameters"]
    assert len(everything) == 3
    # filters apply to them too: they have a type, but no key and no labels
    typed = ssm.get_parameters_by_path(
        Path="/aws/service",
        Recursive=True,
        ParameterFilters=[{"Key": "Type", "Values": ["String"]}],
    )
    assert len(typed["Parameters"]) == 3
    for key in ("KeyId", "Label"):
        filtered = ssm.get_parameters_by_path(
            Path="/aws/service", Recursive=True, ParameterFilters=[{"Key": key, "Values": ["x"]}]
        )
        assert filtered["Parameters"] == []
    # public parameters are AWS's, not the account's
    assert ssm.describe_parameters()["Parameters"] == []
