"""VPC flow logs: what is logged (a VPC, subnet, interface or transit gateway) and where to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from cloudmock.core.errors import (
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ServiceError,
)
from cloudmock.services.ec2.dryrun import commit
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import FlowLog as FlowLogShape
    from cloudmock.services.ec2.shapes import UnsuccessfulItem

FLOW_LOG = ResourceKind("fl", "vpc-flow-log", "InvalidFlowLogId", "flow log ID")

#: the id prefix each ResourceType monitors
RESOURCE_PREFIXES = {
    "VPC": "vpc",
    "Subnet": "subnet",
    "NetworkInterface": "eni",
    "TransitGateway": "tgw",
    "TransitGatewayAttachment": "tgw-attach",
    "RegionalNatGateway": "nat",
    "CoreNetwork": "core-network",
    "CoreNetworkEdge": "core-network",
    "CoreNetworkAttachment": "attachment",
}
#: resource types whose flow logs EC2 treats as transit-gateway-like (Cloud WAN included)
TGW_TYPES = frozenset(
    {
        "TransitGateway",
        "TransitGatewayAttachment",
        "CoreNetwork",
        "CoreNetworkEdge",
        "CoreNetworkAttachment",
    }
)
MAX_RESOURCES = 300
MAX_TGW_RESOURCES = 25
MAX_DELETE = 1000
DESTINATION_TYPES = ("cloud-watch-logs", "s3", "kinesis-data-firehose")
TRAFFIC_TYPES = ("ACCEPT", "REJECT", "ALL")
AGGREGATION_INTERVALS = (60, 600)
FILE_FORMATS = ("plain-text", "parquet")
TAG_FIELD_RESOURCE_TYPES = ("network-interface", "instance", "auto-scaling-group")
#: tag keys per resource type: the ${...-tag} and ${...-tag-2} fields
MAX_TAG_FIELD_KEYS = 2

DEFAULT_FORMAT = (
    "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} "
    "${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"
)
DEFAULT_TGW_FORMAT = (
    "${version} ${resource-type} ${account-id} ${tgw-id} ${tgw-attachment-id} "
    "${tgw-src-vpc-account-id} ${tgw-dst-vpc-account-id} ${tgw-src-vpc-id} ${tgw-dst-vpc-id} "
    "${tgw-src-subnet-id} ${tgw-dst-subnet-id} ${tgw-src-eni} ${tgw-dst-eni} ${tgw-src-az-id} "
    "${tgw-dst-az-id} ${tgw-pair-attachment-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} "
    "${protocol} ${packets} ${bytes} ${start} ${end} ${log-status} ${type} "
    "${packets-lost-no-route} ${packets-lost-blackhole} ${packets-lost-mtu-exceeded} "
    "${packets-lost-ttl-expired} ${tcp-flags} ${region} ${flow-direction} "
    "${pkt-src-aws-service} ${pkt-dst-aws-service}"
)
#: the fields of VPC flow log records (versions 2 to 10)
VPC_FIELDS = frozenset(
    [
        "version",
        "account-id",
        "interface-id",
        "srcaddr",
        "dstaddr",
        "srcport",
        "dstport",
        "protocol",
        "packets",
        "bytes",
        "start",
        "end",
        "action",
        "log-status",
        "vpc-id",
        "subnet-id",
        "instance-id",
        "tcp-flags",
        "type",
        "pkt-srcaddr",
        "pkt-dstaddr",
        "region",
        "az-id",
        "sublocation-type",
        "sublocation-id",
        "pkt-src-aws-service",
        "pkt-dst-aws-service",
        "flow-direction",
        "traffic-path",
        "ecs-cluster-arn",
        "ecs-cluster-name",
        "ecs-container-instance-arn",
        "ecs-container-instance-id",
        "ecs-container-id",
        "ecs-second-container-id",
        "ecs-service-name",
        "ecs-task-definition-arn",
        "ecs-task-arn",
        "ecs-task-id",
        "reject-reason",
        "resource-id",
        "encryption-status",
        # version 11: the EC2 tag fields (keys chosen by TagFieldSpecifications) and next hops
        "instance-tag",
        "instance-tag-2",
        "interface-tag",
        "interface-tag-2",
        "asg-tag",
        "asg-tag-2",
        "interface-type",
        "next-hop-interface-id",
        "next-hop-subnet-id",
        "next-hop-az-id",
        "next-hop-vpc-id",
        "next-hop-interface-type",
    ]
)
#: the fields of transit gateway flow log records
TGW_FIELDS = frozenset(
    [
        "version",
        "resource-type",
        "account-id",
        "tgw-id",
        "tgw-attachment-id",
        "tgw-src-vpc-account-id",
        "tgw-dst-vpc-account-id",
        "tgw-src-vpc-id",
        "tgw-dst-vpc-id",
        "tgw-src-subnet-id",
        "tgw-dst-subnet-id",
        "tgw-src-eni",
        "tgw-dst-eni",
        "tgw-src-az-id",
        "tgw-dst-az-id",
        "tgw-pair-attachment-id",
        "srcaddr",
        "dstaddr",
        "srcport",
        "dstport",
        "protocol",
        "packets",
        "bytes",
        "start",
        "end",
        "log-status",
        "type",
        "packets-lost-no-route",
        "packets-lost-blackhole",
        "packets-lost-mtu-exceeded",
        "packets-lost-ttl-expired",
        "tcp-flags",
        "region",
        "flow-direction",
        "pkt-src-aws-service",
        "pkt-dst-aws-service",
    ]
)
_FIELD = re.compile(r"^\$\{([a-z0-9-]+)\}$")
_LOG_GROUP_ARN = re.compile(r"^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:([^:]+)(?::\*)?$")
_S3_ARN = re.compile(r"^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(/.*)?$")
_FIREHOSE_ARN = re.compile(r"^arn:aws[a-z-]*:firehose:[a-z0-9-]+:\d{12}:deliverystream/.+$")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")


@dataclass
class FlowLog(Resource):
    resource_id: str
    resource_type: str
    traffic_type: str | None
    destination_type: str
    destination: str | None
    log_group_name: str | None
    deliver_permission_arn: str | None
    deliver_cross_account_role: str | None
    log_format: str
    max_aggregation_interval: int
    created: datetime
    #: (file format, hive-compatible partitions, per-hour partition) for S3 destinations
    destination_options: tuple[str, bool, bool] | None = None
    #: TagFieldSpecifications: (resource type, tag keys)
    tag_fields: list[tuple[str, list[str]]] = field(default_factory=list)

    def describe(self) -> FlowLogShape:
        out: FlowLogShape = {
            "CreationTime": self.created,
            "DeliverLogsStatus": "SUCCESS",
            "FlowLogId": self.id,
            "FlowLogStatus": "ACTIVE",
            "ResourceId": self.resource_id,
            "LogDestinationType": self.destination_type,
            "LogFormat": self.log_format,
            "Tags": self.tag_list(),
            "MaxAggregationInterval": self.max_aggregation_interval,
        }
        if self.traffic_type is not None:
            out["TrafficType"] = self.traffic_type
        if self.destination is not None:
            out["LogDestination"] = self.destination
        if self.log_group_name is not None:
            out["LogGroupName"] = self.log_group_name
        if self.deliver_permission_arn is not None:
            out["DeliverLogsPermissionArn"] = self.deliver_permission_arn
        if self.deliver_cross_account_role is not None:
            out["DeliverCrossAccountRole"] = self.deliver_cross_account_role
        if self.destination_options is not None:
            file_format, hive, per_hour = self.destination_options
            out["DestinationOptions"] = {
                "FileFormat": file_format,
                "HiveCompatiblePartitions": hive,
                "PerHourPartition": per_hour,
            }
        if self.tag_fields:
            out["TagFieldSpecifications"] = [
                {"ResourceType": kind, "TagKeys": list(keys)} for kind, keys in self.tag_fields
            ]
        return out

    @property
    def destination_key(self) -> tuple[str, str]:
        return self.destination_type, self.destination or self.log_group_name or ""


@dataclass(frozen=True)
class FlowLogSpec:
    """What CreateFlowLogs asks for, typed."""

    resource_ids: tuple[str, ...]
    resource_type: str
    traffic_type: str | None = None
    destination_type: str | None = None
    destination: str | None = None
    log_group_name: str | None = None
    deliver_permission_arn: str | None = None
    deliver_cross_account_role: str | None = None
    log_format: str | None = None
    max_aggregation_interval: int | None = None
    #: (FileFormat, HiveCompatiblePartitions, PerHourPartition) as given
    destination_options: tuple[str | None, bool | None, bool | None] | None = None
    tag_fields: tuple[tuple[str, tuple[str, ...]], ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    client_token: str | None = None


def check_log_format(log_format: str, tgw: bool) -> None:
    """``${field} ${field} ...``: known fields, single spaces, at least one field."""
    allowed = TGW_FIELDS if tgw else VPC_FIELDS
    parts = log_format.split(" ")
    if not log_format or any(not p for p in parts):
        raise InvalidParameterValue(
            f"Value '{log_format}' at 'logFormat' failed to satisfy constraint: the fields must "
            "be given as ${field-id}, separated by single spaces."
        )
    seen = set()
    for part in parts:
        match = _FIELD.match(part)
        if match is None or match.group(1) not in allowed:
            raise InvalidParameterValue(f"Unknown fields provided: {part}")
        if part in seen:
            raise InvalidParameterValue(f"Duplicate fields provided: {part}")
        seen.add(part)


class FlowLogs:
    """The flow-log family of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[FlowLog] = backend.new_store(FLOW_LOG)
        self.store.add_index("resource", lambda f: f.resource_id)
        self._client_tokens: dict[str, tuple[FlowLogSpec, list[str], list[UnsuccessfulItem]]] = {}
        # a deleted VPC's or subnet's flow logs go with it
        backend.vpcs.vpc_deleted.append(self.resource_deleted)
        backend.vpcs.subnet_deleted.append(self.resource_deleted)

    def _destination(self, spec: FlowLogSpec) -> tuple[str, str | None, str | None]:
        """The destination type, the destination ARN and the log group name."""
        kind = spec.destination_type or "cloud-watch-logs"
        if kind not in DESTINATION_TYPES:
            raise InvalidParameterValue(
                f"Invalid value '{kind}' for LogDestinationType. Valid values are "
                f"{', '.join(DESTINATION_TYPES)}."
            )
        destination, group = spec.destination, spec.log_group_name
        if kind == "cloud-watch-logs":
            if destination and group:
                raise InvalidParameterCombination(
                    "Please only provide LogGroupName or only provide LogDestination."
                )
            if not destination and not group:
                raise ServiceError(
                    "Please provide either LogGroupName or LogDestination for the "
                    "cloud-watch-logs destination.",
                    code="MissingParameter",
                )
            if destination:
                match = _LOG_GROUP_ARN.match(destination)
                if match is None:
                    raise InvalidParameterValue(
                        f"LogDestination: '{destination}' is not a valid CloudWatch Logs log "
                        "group ARN."
                    )
                group = match.group(1)
            if not spec.deliver_permission_arn:
                raise MissingParameter(
                    "DeliverLogsPermissionArn is required for the cloud-watch-logs destination."
                )
        else:
            if group:
                raise InvalidParameterCombination(
                    f"LogGroupName can only be used with the cloud-watch-logs destination, "
                    f"not {kind}."
                )
            if not destination:
                raise ServiceError(
                    f"LogDestination is required for the {kind} destination.",
                    code="MissingParameter",
                )
            pattern = _S3_ARN if kind == "s3" else _FIREHOSE_ARN
            match = pattern.match(destination)
            if match is None:
                raise InvalidParameterValue(
                    f"LogDestination: '{destination}' is not a valid {kind} ARN."
                )
            if kind == "s3" and match.group(2) and "/AWSLogs" in match.group(2) + "/":
                raise InvalidParameterValue(
                    "LogDestination: AWSLogs cannot be used as a subfolder name."
                )
            if (
                kind == "kinesis-data-firehose"
                and destination.split(":")[4] != self.backend.account_id
                and not spec.deliver_permission_arn
            ):
                raise ServiceError(
                    "DeliverLogsPermissionArn is required when the delivery stream is in "
                    "another account.",
                    code="MissingParameter",
                )
            if kind == "s3" and spec.deliver_permission_arn:
                raise InvalidParameterCombination(
                    "DeliverLogsPermissionArn is not supported for the s3 destination."
                )
        for what, arn in (
            ("DeliverLogsPermissionArn", spec.deliver_permission_arn),
            ("DeliverCrossAccountRole", spec.deliver_cross_account_role),
        ):
            if arn is not None and not _ROLE_ARN.match(arn):
                raise InvalidParameterValue(f"{what}: '{arn}' is not a valid IAM role ARN.")
        if spec.deliver_cross_account_role and kind != "kinesis-data-firehose":
            raise InvalidParameterCombination(
                "DeliverCrossAccountRole is only supported for the kinesis-data-firehose "
                "destination."
            )
        return kind, destination, group

    def create(self, spec: FlowLogSpec) -> tuple[list[str], list[UnsuccessfulItem]]:
        """CreateFlowLogs: the new flow log ids, and EC2's per-resource failures."""
        if spec.client_token:
            previous = self._client_tokens.get(spec.client_token)
            if previous is not None:
                earlier, earlier_ids, earlier_failures = previous
                if earlier != spec:
                    raise ServiceError(
                        "Arguments on this idempotent request are inconsistent with arguments "
                        "used in previous request(s).",
                        code="IdempotentParameterMismatch",
                    )
                commit()
                return earlier_ids, earlier_failures
        resource_type = spec.resource_type
        prefix = RESOURCE_PREFIXES.get(resource_type)
        if prefix is None:
            raise InvalidParameterValue(
                f"Invalid value '{resource_type}' for ResourceType. Valid values are "
                f"{', '.join(RESOURCE_PREFIXES)}."
            )
        tgw = resource_type in TGW_TYPES
        if not spec.resource_ids:
            raise MissingParameter("ResourceIds")
        limit = MAX_TGW_RESOURCES if tgw else MAX_RESOURCES
        if len(spec.resource_ids) > limit:
            raise InvalidParameterValue(
                f"You can specify at most {limit} resource IDs for resource type {resource_type}."
            )
        for resource_id in spec.resource_ids:
            if resource_id.rsplit("-", 1)[0] != prefix:
                raise ServiceError(
                    f"Invalid Resource id {resource_id} for resource-type {resource_type}",
                    code="InvalidParameter",
                )
        if tgw:
            if spec.traffic_type is not None:
                raise InvalidParameterCombination(
                    f"TrafficType is not supported for resource type {resource_type}."
                )
        elif spec.traffic_type is None:
            raise ServiceError(
                "TrafficType is required for resource type " + resource_type,
                code="MissingParameter",
            )
        elif spec.traffic_type not in TRAFFIC_TYPES:
            raise InvalidParameterValue(
                f"Invalid value '{spec.traffic_type}' for TrafficType. Valid values are "
                "ACCEPT, REJECT, ALL."
            )
        interval = spec.max_aggregation_interval
        if interval is not None and interval not in AGGREGATION_INTERVALS:
            raise InvalidParameterValue(
                f"Invalid value '{interval}' for MaxAggregationInterval. Valid values are 60, 600."
            )
        if tgw and interval not in (None, 60):
            raise InvalidParameterValue(
                f"MaxAggregationInterval must be 60 for resource type {resource_type}."
            )
        kind, destination, group = self._destination(spec)
        options = None
        if spec.destination_options is not None:
            if kind != "s3":
                raise InvalidParameterCombination(
                    "DestinationOptions is only supported for the s3 destination."
                )
            file_format, hive, per_hour = spec.destination_options
            file_format = file_format or "plain-text"
            if file_format not in FILE_FORMATS:
                raise InvalidParameterValue(
                    f"Invalid value '{file_format}' for FileFormat. Valid values are "
                    "plain-text, parquet."
                )
            options = (file_format, bool(hive), bool(per_hour))
        elif kind == "s3":
            options = ("plain-text", False, False)
        log_format = spec.log_format
        if log_format is not None:
            check_log_format(log_format, tgw)
        else:
            log_format = DEFAULT_TGW_FORMAT if tgw else DEFAULT_FORMAT
        for kind_name, keys in spec.tag_fields:
            if kind_name not in TAG_FIELD_RESOURCE_TYPES:
                raise InvalidParameterValue(
                    f"Invalid value '{kind_name}' for TagFieldSpecifications.ResourceType."
                )
            if not keys or len(keys) > MAX_TAG_FIELD_KEYS:
                raise InvalidParameterValue(
                    f"TagFieldSpecifications for {kind_name} take 1 to {MAX_TAG_FIELD_KEYS} tag "
                    "keys."
                )
            if any(not 1 <= len(key) <= 128 for key in keys):
                raise InvalidParameterValue("Tag keys must be 1 to 128 characters long.")
        kinds = [kind_name for kind_name, _ in spec.tag_fields]
        if len(set(kinds)) != len(kinds):
            raise InvalidParameterValue(
                "Each resource type can appear once in TagFieldSpecifications."
            )
        # Which resources fail (unknown, or already logged to this destination) is per resource.
        failures: list[UnsuccessfulItem] = []
        wanted: list[str] = []
        key = (kind, destination or group or "")
        for resource_id in dict.fromkeys(spec.resource_ids):
            try:
                self.backend.resource(resource_id)
            except ServiceError as error:
                failures.append(_failure(resource_id, error.code, error.message))
                continue
            if any(
                f.destination_key == key and f.traffic_type == spec.traffic_type
                for f in self.store.lookup("resource", resource_id)
            ):
                failures.append(
                    _failure(
                        resource_id,
                        "FlowLogAlreadyExists",
                        "Error. There is an existing Flow Log with the same configuration and "
                        "log destination.",
                    )
                )
                continue
            wanted.append(resource_id)
        commit()
        now = self.backend.clock.now()
        ids = []
        for resource_id in wanted:
            flow_log = self.store.add(
                FlowLog(
                    id=self.backend.ids.new("fl"),
                    resource_id=resource_id,
                    resource_type=resource_type,
                    traffic_type=spec.traffic_type,
                    destination_type=kind,
                    destination=destination,
                    log_group_name=group,
                    deliver_permission_arn=spec.deliver_permission_arn,
                    deliver_cross_account_role=spec.deliver_cross_account_role,
                    log_format=log_format,
                    max_aggregation_interval=interval or (60 if tgw else 600),
                    created=now,
                    destination_options=options,
                    tag_fields=[(k, list(v)) for k, v in spec.tag_fields],
                    tags=dict(spec.tags),
                )
            )
            ids.append(flow_log.id)
        if spec.client_token:
            self._client_tokens[spec.client_token] = (spec, ids, failures)
        return ids, failures

    def delete(self, flow_log_ids: list[str]) -> list[UnsuccessfulItem]:
        if len(flow_log_ids) > MAX_DELETE:
            raise InvalidParameterValue(
                f"You can specify at most {MAX_DELETE} flow log IDs in one request."
            )
        failures: list[UnsuccessfulItem] = []
        found = []
        for flow_log_id in dict.fromkeys(flow_log_ids):
            if flow_log_id in self.store:
                found.append(flow_log_id)
            elif not FLOW_LOG.id_pattern.match(flow_log_id):
                error = FLOW_LOG.malformed(flow_log_id)
                failures.append(_failure(flow_log_id, error.code, error.message))
            else:
                failures.append(
                    _failure(
                        flow_log_id,
                        "InvalidFlowLogId.NotFound",
                        f"Flow log {flow_log_id} does not exist",
                    )
                )
        commit()
        for flow_log_id in found:
            self.store.remove(flow_log_id)
        return failures

    def resource_deleted(self, resource_id: str) -> None:
        """The monitored resource is gone: EC2 removes its flow logs, eventually."""
        delay = self.backend.options.transition_delay
        for flow_log in self.store.lookup("resource", resource_id):
            self.backend.schedule(delay, flow_log, self._expire)

    def _expire(self, flow_log: FlowLog) -> None:
        self.store.remove(flow_log.id)

    def integration_template(
        self, flow_log_id: str, s3_destination: str, integrations: list[tuple[str, str]]
    ) -> str:
        """GetFlowLogsIntegrationTemplate: where the CloudFormation template was put in S3."""
        flow_log = self.store.get(flow_log_id)
        if flow_log.destination_type != "s3":
            raise InvalidParameterValue(
                f"The flow log {flow_log.id} does not publish to Amazon S3; only flow logs "
                "published to Amazon S3 can be integrated with Amazon Athena."
            )
        if flow_log.resource_type in TGW_TYPES:
            raise InvalidParameterValue(
                "Transit gateway and Cloud WAN flow logs cannot be integrated with Amazon Athena."
            )
        match = _S3_ARN.match(s3_destination)
        if match is None:
            raise InvalidParameterValue(
                f"ConfigDeliveryS3DestinationArn: '{s3_destination}' is not a valid S3 ARN."
            )
        if not integrations:
            raise MissingParameter("IntegrateServices.AthenaIntegrations")
        for result_arn, frequency in integrations:
            if not _S3_ARN.match(result_arn):
                raise InvalidParameterValue(
                    f"IntegrationResultS3DestinationArn: '{result_arn}' is not a valid S3 ARN."
                )
            if frequency not in ("none", "daily", "weekly", "monthly"):
                raise InvalidParameterValue(
                    f"Invalid value '{frequency}' for PartitionLoadFrequency."
                )
        bucket, folder = match.group(1), (match.group(2) or "/").strip("/")
        stamp = self.backend.clock.now().strftime("%a %b %d %H:%M:%S UTC %Y")
        name = f"VPCFlowLogsIntegrationTemplate_{flow_log.id}_{stamp}.yml"
        key = f"{folder}/{name}" if folder else name
        return f"https://{bucket}.s3.{self.backend.region}.amazonaws.com/{quote(key)}"


def _failure(resource_id: str, code: str, message: str) -> UnsuccessfulItem:
    return {"Error": {"Code": code, "Message": message}, "ResourceId": resource_id}


FLOW_LOG_FILTERS = {
    "deliver-log-status": lambda f: "SUCCESS",
    "log-destination-type": lambda f: f.destination_type,
    "flow-log-id": lambda f: f.id,
    "log-group-name": lambda f: f.log_group_name,
    "resource-id": lambda f: f.resource_id,
    "traffic-type": lambda f: f.traffic_type,
}
