"""What an instance records beyond its core fields: RunInstances' many options.

Kept in one small dataclass so the launch path stays readable and every later
Modify* operation has one place to change.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class InstanceExtras:
    hibernation: bool = False
    #: InstanceLifecycle: None (on-demand), "spot" or "capacity-block"
    lifecycle: str | None = None
    spot_request_id: str | None = None
    #: InstanceMarketOptions.SpotOptions: "one-time" / "persistent", and the interruption behaviour
    spot_instance_type: str | None = None
    spot_interruption: str | None = None
    spot_max_price: str | None = None
    #: Monitoring.MetricCategoryIds (detailed monitoring's metric categories)
    metric_categories: tuple[str, ...] = ()
    #: stopping to hibernate (StopInstances Hibernate=True), until stopped
    hibernating: bool = False
    # Placement
    placement_group: str | None = None
    placement_group_id: str | None = None
    partition_number: int | None = None
    host_id: str | None = None
    affinity: str | None = None
    host_resource_group_arn: str | None = None
    spread_domain: str | None = None
    # CapacityReservationSpecification
    capacity_preference: str = "open"
    #: the reservation the launch targets (CapacityReservationTarget)
    capacity_target_id: str | None = None
    #: the reservation the instance runs in (CapacityReservationId), kept by Instances.rejoin
    capacity_reservation_id: str | None = None
    capacity_reservation_group_arn: str | None = None
    #: CreditSpecification: "standard" / "unlimited" (burstable types only), else None
    cpu_credits: str | None = None
    core_count: int = 1
    threads_per_core: int = 1
    amd_sev_snp: str | None = None
    nested_virtualization: str | None = None
    #: the IAM instance profile (arn, id) an association gives the instance
    iam_profile: tuple[str, str] | None = None
    # MaintenanceOptions
    auto_recovery: str = "default"
    reboot_migration: str = "default"
    # PrivateDnsNameOptions
    hostname_type: str = "ip-name"
    dns_a_record: bool = False
    dns_aaaa_record: bool = False
    bandwidth_weighting: str = "default"
    license_arns: tuple[str, ...] = ()
    operator_principal: str | None = None
    # What the image decides (read from backend.images at launch)
    #: the platform: None for Linux/UNIX, or "windows"
    platform: str | None = None
    #: "v2.0" when the image enables NitroTPM
    tpm_support: str | None = None
    #: the image's BootMode ("legacy-bios", "uefi", "uefi-preferred"), if it sets one
    boot_mode: str | None = None
    platform_details: str = "Linux/UNIX"
    usage_operation: str = "RunInstances"
    root_device_name: str = "/dev/sda1"
    #: the image's product codes: (id, type)
    product_codes: tuple[tuple[str, str], ...] = ()
