"""Launch templates: versioned launch parameters, and launching from them."""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store
from cloudmock.services.ec2.models.tags import tag_specifications

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.instances import Instance, LaunchSpec
    from cloudmock.services.ec2.shapes import LaunchTemplate as LaunchTemplateShape
    from cloudmock.services.ec2.shapes import LaunchTemplateVersion as VersionShape
    from cloudmock.services.ec2.shapes import (
        RequestLaunchTemplateData,
        ResponseLaunchTemplateData,
    )


class _TemplateKind(ResourceKind):
    def malformed(self, value: str) -> ServiceError:
        return ServiceError(
            f"The specified ID for the launch template ({value}) is not valid. Specify a "
            "valid launch template ID (lt-...).",
            code="InvalidLaunchTemplateId.Malformed",
        )

    def not_found(self, ids: Iterable[str]) -> ServiceError:
        ids = list(ids)
        return ServiceError(
            f"The specified launch template, with template ID {', '.join(ids)}, does not exist.",
            code="InvalidLaunchTemplateId.NotFound",
        )


LAUNCH_TEMPLATE = _TemplateKind(
    "lt", "launch-template", "InvalidLaunchTemplateId", "launch template"
)

_NAME = re.compile(r"^[a-zA-Z0-9().\-/_]{3,128}$")
#: resource types a launch template's data may tag (EC2 also names elastic GPUs and
#: spot requests; they are tagged where they are made)
DATA_TAGGABLE = ("instance", "volume", "network-interface", "spot-instances-request")
MAX_DESCRIPTION = 255
#: the tags EC2 puts on an instance launched from a template
TEMPLATE_ID_TAG = "aws:ec2launchtemplate:id"
TEMPLATE_VERSION_TAG = "aws:ec2launchtemplate:version"


def name_not_found() -> ServiceError:
    return ServiceError(
        "At least one of the launch templates specified in the request does not exist.",
        code="InvalidLaunchTemplateName.NotFoundException",
    )


def check_name(name: str) -> None:
    if not _NAME.match(name):
        raise ServiceError(
            "A launch template name must be between 3 and 128 characters, and may contain "
            "letters, numbers, and the following characters: - ( ) . / _.'",
            code="InvalidLaunchTemplateName.MalformedException",
        )


def check_description(description: str | None) -> None:
    if description is not None and len(description) > MAX_DESCRIPTION:
        raise InvalidParameterValue(
            f"The version description must be at most {MAX_DESCRIPTION} characters long."
        )


def check_data(data: RequestLaunchTemplateData) -> None:
    """What EC2 refuses in LaunchTemplateData itself (the rest waits for a launch)."""
    tag_specifications(cast("list[Any]", data.get("TagSpecifications")), DATA_TAGGABLE)
    if data.get("SecurityGroups") and data.get("NetworkInterfaces"):
        raise InvalidParameterCombination(
            "Network interfaces and an instance-level security groups may not be specified on "
            "the same request"
        )


def response_data(data: RequestLaunchTemplateData) -> ResponseLaunchTemplateData:
    """The stored request data in the response shape (the two differ only in read-only parts)."""
    out = cast("ResponseLaunchTemplateData", copy.deepcopy(data))
    for interface in out.get("NetworkInterfaces", []):
        for address in interface.get("Ipv6Addresses", []):
            address.setdefault("IsPrimaryIpv6", False)
    metadata = out.get("MetadataOptions")
    if metadata is not None:
        # EC2 applies a template's metadata options when it launches from it
        metadata.setdefault("State", "applied")
    operator = out.get("Operator")
    if operator is not None:
        out["Operator"] = {"Managed": bool(operator.get("Principal")), **operator}
    return out


@dataclass(slots=True)
class TemplateVersion:
    number: int
    description: str | None
    data: RequestLaunchTemplateData
    created: datetime
    created_by: str


@dataclass
class LaunchTemplate(Resource):
    name: str
    created: datetime
    created_by: str
    operator: str | None = None
    default_version: int = 1
    latest_version: int = 1
    versions: dict[int, TemplateVersion] = field(default_factory=dict)

    def describe(self) -> LaunchTemplateShape:
        out: LaunchTemplateShape = {
            "LaunchTemplateId": self.id,
            "LaunchTemplateName": self.name,
            "CreateTime": self.created,
            "CreatedBy": self.created_by,
            "DefaultVersionNumber": self.default_version,
            "LatestVersionNumber": self.latest_version,
            "Operator": self.operator_shape(),
        }
        if self.tags:
            out["Tags"] = self.tag_list()
        return out

    def operator_shape(self) -> Any:
        if self.operator:
            return {"Managed": True, "Principal": self.operator}
        return {"Managed": False}

    def describe_version(
        self, version: TemplateVersion, data: ResponseLaunchTemplateData | None = None
    ) -> VersionShape:
        out: VersionShape = {
            "LaunchTemplateId": self.id,
            "LaunchTemplateName": self.name,
            "VersionNumber": version.number,
            "CreateTime": version.created,
            "CreatedBy": version.created_by,
            "DefaultVersion": version.number == self.default_version,
            "LaunchTemplateData": data if data is not None else response_data(version.data),
            "Operator": self.operator_shape(),
        }
        if version.description is not None:
            out["VersionDescription"] = version.description
        return out

    def version(self, spec: str | None) -> TemplateVersion:
        """``$Latest``, ``$Default`` (also when None) or a number; VersionNotFound otherwise."""
        if spec is None or spec == "$Default":
            return self.versions[self.default_version]
        if spec == "$Latest":
            return self.versions[self.latest_version]
        found = self.versions.get(int(spec)) if spec.isdigit() else None
        if found is None:
            raise version_not_found(spec, self.id)
        return found


def version_not_found(spec: str, template_id: str) -> ServiceError:
    return ServiceError(
        f"Could not find the specified version {spec} for the launch template with ID "
        f"{template_id}.",
        code="InvalidLaunchTemplateId.VersionNotFound",
    )


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class LaunchTemplates:
    """The launch templates of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[LaunchTemplate] = backend.new_store(LAUNCH_TEMPLATE)
        self.store.add_index("name", lambda t: t.name)
        #: ClientToken -> (request fingerprint, template id, version number)
        self._tokens: dict[str, tuple[str, str, int]] = {}
        backend.instances.on_launch.append(self._tag_launched)

    @property
    def _creator(self) -> str:
        return f"arn:aws:iam::{self.backend.account_id}:root"

    # -- finding

    def by_name(self, name: str) -> LaunchTemplate:
        found = self.store.lookup("name", name)
        if not found:
            raise name_not_found()
        return found[0]

    def find(self, template_id: str | None, name: str | None) -> LaunchTemplate:
        """The template named by id or by name (exactly one of them)."""
        if template_id and name:
            raise InvalidParameterCombination(
                "Specify either the launch template ID or the launch template name, but not both."
            )
        if template_id:
            return self.store.get(template_id)
        if name:
            return self.by_name(name)
        raise MissingParameter(
            "The request must contain the parameter LaunchTemplateName or LaunchTemplateId"
        )

    # -- changes

    def create(
        self,
        name: str,
        data: RequestLaunchTemplateData,
        *,
        description: str | None,
        tags: dict[str, str],
        operator: str | None,
        client_token: str | None,
    ) -> LaunchTemplate:
        check_name(name)
        check_description(description)
        check_data(data)
        fingerprint = _fingerprint(name, data, description, tags, operator)
        if client_token is not None:
            previous = self._idempotent(client_token, fingerprint)
            if previous is not None:
                return previous[0]
        if self.store.lookup("name", name):
            raise ServiceError(
                "Launch template name already in use.",
                code="InvalidLaunchTemplateName.AlreadyExistsException",
            )
        commit()
        now = self.backend.clock.now()
        template = LaunchTemplate(
            id=self.backend.ids.new("lt"),
            name=name,
            created=now,
            created_by=self._creator,
            operator=operator,
            tags=tags,
        )
        template.versions[1] = TemplateVersion(
            1, description, copy.deepcopy(data), now, self._creator
        )
        self.store.add(template)
        if client_token is not None:
            self._tokens[client_token] = (fingerprint, template.id, 1)
        return template

    def _idempotent(
        self, token: str, fingerprint: str
    ) -> tuple[LaunchTemplate, TemplateVersion] | None:
        previous = self._tokens.get(token)
        if previous is None:
            return None
        if previous[0] != fingerprint:
            raise ServiceError(
                "Arguments on this idempotent request are inconsistent with arguments used in "
                "previous request(s).",
                code="IdempotentParameterMismatch",
            )
        template = self.store.find(previous[1])
        if template is None or previous[2] not in template.versions:
            return None
        return template, template.versions[previous[2]]

    def add_version(
        self,
        template: LaunchTemplate,
        data: RequestLaunchTemplateData,
        *,
        source: str | None,
        description: str | None,
        client_token: str | None,
    ) -> TemplateVersion:
        check_description(description)
        check_data(data)
        fingerprint = _fingerprint(template.id, data, source, description)
        if client_token is not None:
            previous = self._idempotent(client_token, fingerprint)
            if previous is not None:
                return previous[1]
        merged: dict[str, Any] = {}
        if source is not None:
            # the new version inherits the source's parameters; those given replace them
            merged.update(copy.deepcopy(cast("dict[str, Any]", template.version(source).data)))
        merged.update(copy.deepcopy(cast("dict[str, Any]", data)))
        commit()
        number = template.latest_version + 1
        version = TemplateVersion(
            number,
            description,
            cast("RequestLaunchTemplateData", merged),
            self.backend.clock.now(),
            self._creator,
        )
        template.versions[number] = version
        template.latest_version = number
        if client_token is not None:
            self._tokens[client_token] = (fingerprint, template.id, number)
        return version

    def set_default(self, template: LaunchTemplate, spec: str | None) -> None:
        number = template.default_version if spec is None else template.version(spec).number
        commit()
        template.default_version = number

    def delete(self, template: LaunchTemplate) -> None:
        commit()
        self.store.remove(template.id)

    def delete_version(self, template: LaunchTemplate, number: int) -> None:
        del template.versions[number]
        if number == template.latest_version:
            template.latest_version = max(template.versions)

    # -- launching from a template

    def _tag_launched(self, instance: Instance, spec: LaunchSpec) -> None:
        """EC2 tags an instance launched from a template with the template and version."""
        if spec.launch_template is None:
            return
        template_id, version = spec.launch_template
        self.backend.instances.store.set_tags(
            instance,
            {**instance.tags, TEMPLATE_ID_TAG: template_id, TEMPLATE_VERSION_TAG: version},
        )


def version_getter(name: str) -> Any:
    """A DescribeLaunchTemplateVersions filter over a (template, version) pair's data."""

    def get(pair: tuple[LaunchTemplate, TemplateVersion]) -> Any:
        data: Any = pair[1].data
        for part in name.split("."):
            if isinstance(data, list):
                data = [d.get(part) for d in data if isinstance(d, dict)]
            elif isinstance(data, dict):
                data = data.get(part)
            else:
                return None
        return data

    return get


TEMPLATE_FILTERS = {
    "create-time": lambda t: t.created,
    "launch-template-name": lambda t: t.name,
}

VERSION_FILTERS = {
    "create-time": lambda p: p[1].created,
    "ebs-optimized": version_getter("EbsOptimized"),
    "host-resource-group-arn": version_getter("Placement.HostResourceGroupArn"),
    "http-endpoint": version_getter("MetadataOptions.HttpEndpoint"),
    "http-protocol-ipv4": lambda p: "enabled",
    "http-tokens": version_getter("MetadataOptions.HttpTokens"),
    "iam-instance-profile": lambda p: [
        v
        for v in (
            version_getter("IamInstanceProfile.Arn")(p),
            version_getter("IamInstanceProfile.Name")(p),
        )
        if v
    ],
    "image-id": version_getter("ImageId"),
    "instance-type": version_getter("InstanceType"),
    "is-default-version": lambda p: p[1].number == p[0].default_version,
    "kernel-id": version_getter("KernelId"),
    "license-configuration-arn": version_getter("LicenseSpecifications.LicenseConfigurationArn"),
    "network-card-index": version_getter("NetworkInterfaces.NetworkCardIndex"),
    "ram-disk-id": version_getter("RamDiskId"),
}
