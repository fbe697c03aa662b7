"""The parts of request structures this plugin takes, where it takes less than all of them.

A handler parameter annotated with one of these ``TypedDict`` s takes only the members
named here; a request carrying any other member of the structure is refused (with
``ValidationException``, see :func:`cloudmock_scheduler.errors.refuse`) before anything
runs. Structures taken whole are annotated with the generated type from ``shapes``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from cloudmock_scheduler.shapes import (
        DeadLetterConfig,
        EcsParameters,
        EventBridgeParameters,
        KinesisParameters,
        RetryPolicy,
        SageMakerPipelineParameters,
        SqsParameters,
    )


class TargetIn(TypedDict, total=False):
    """``Target`` without the templated targets for EventBridge's ``eventsv2`` buses.

    ``EventBridgePutEventsV2Parameters`` and ``EventBridgePutRawEventsParameters`` are
    left out: this plugin does not know the rules AWS applies to them (which target ARNs
    they go with, what the bus accepts), and a request it cannot judge is refused rather
    than stored unchecked. Every member named here is stored and returned by
    ``GetSchedule`` exactly as given.
    """

    Arn: str
    RoleArn: str
    DeadLetterConfig: DeadLetterConfig
    RetryPolicy: RetryPolicy
    Input: str
    EcsParameters: EcsParameters
    EventBridgeParameters: EventBridgeParameters
    KinesisParameters: KinesisParameters
    SageMakerPipelineParameters: SageMakerPipelineParameters
    SqsParameters: SqsParameters
