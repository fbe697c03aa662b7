"""Amazon FPGA images (AFIs): created from a design checkpoint, shared by load permission.

cloudmock reads no design checkpoint (it has no S3), so an AFI shows no shell version,
PCI ids or instance types: only what its creator gave and what EC2 keeps about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.shapes import FpgaImage as FpgaImageShape
    from cloudmock.services.ec2.shapes import LoadPermission

FPGA_IMAGE = ResourceKind("afi", "fpga-image", "InvalidFpgaImageID", "fpga image id")


@dataclass(slots=True)
class FpgaImage(Resource):
    global_id: str
    owner_id: str
    created: datetime
    updated: datetime
    name: str = ""
    description: str = ""
    input_location: tuple[str, str] = ("", "")
    logs_location: tuple[str, str] | None = None
    #: pending -> available on the clock
    state: str = "pending"
    load_users: set[str] = field(default_factory=set)
    load_groups: set[str] = field(default_factory=set)
    product_codes: tuple[str, ...] = ()
    generation: int = 0

    @property
    def public(self) -> bool:
        return "all" in self.load_groups

    def describe(self, viewer: str | None = None) -> FpgaImageShape:
        out: FpgaImageShape = {
            "FpgaImageId": self.id,
            "FpgaImageGlobalId": self.global_id,
            "State": {"Code": self.state},
            "CreateTime": self.created,
            "UpdateTime": self.updated,
            "OwnerId": self.owner_id,
            "Public": self.public,
            "DataRetentionSupport": False,
        }
        if self.name:
            out["Name"] = self.name
        if self.description:
            out["Description"] = self.description
        if self.product_codes:
            out["ProductCodes"] = [
                {"ProductCodeId": c, "ProductCodeType": "marketplace"} for c in self.product_codes
            ]
        if self.tags and viewer in (None, self.owner_id):
            out["Tags"] = self.tag_list()
        return out

    def load_permissions(self) -> list[LoadPermission]:
        out: list[LoadPermission] = [{"Group": g} for g in sorted(self.load_groups)]
        out += [{"UserId": u} for u in sorted(self.load_users)]
        return out


class FpgaImages:
    """The AFIs of one account in one region, and what it sees of others'."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[FpgaImage] = backend.new_store(FPGA_IMAGE)
        self.tokens: dict[str, str] = {}

    def _shared_here(self) -> dict[str, FpgaImage]:
        regions: dict[str, dict[str, FpgaImage]] = self.backend.shared.setdefault("fpga_images", {})
        return regions.setdefault(self.backend.region, {})

    def update_sharing(self, afi: FpgaImage) -> None:
        shared = self._shared_here()
        if afi.load_users or afi.load_groups:
            shared[afi.id] = afi
        else:
            shared.pop(afi.id, None)

    def visible(self) -> list[FpgaImage]:
        me = self.backend.account_id
        others = [
            a
            for a in self._shared_here().values()
            if a.owner_id != me and (a.public or me in a.load_users)
        ]
        return [*self.store, *others]

    def find(self, afi_id: str) -> FpgaImage | None:
        own = self.store.find(afi_id)
        if own is not None:
            return own
        shared = self._shared_here().get(afi_id)
        me = self.backend.account_id
        if shared is not None and (shared.public or me in shared.load_users):
            return shared
        return None

    def get(self, afi_id: str) -> FpgaImage:
        found = self.find(afi_id)
        if found is None:
            self.store.check_id(afi_id)
            raise FPGA_IMAGE.not_found([afi_id])
        return found

    def create(
        self,
        name: str,
        description: str,
        input_location: tuple[str, str],
        logs_location: tuple[str, str] | None,
        tags: dict[str, str],
    ) -> FpgaImage:
        backend = self.backend
        now = backend.clock.now()
        afi = self.store.add(
            FpgaImage(
                id=backend.ids.new("afi"),
                global_id=f"agfi-{backend.ids.hex(17)}",
                owner_id=backend.account_id,
                created=now,
                updated=now,
                name=name,
                description=description,
                input_location=input_location,
                logs_location=logs_location,
                tags=tags,
            )
        )
        backend.schedule(backend.options.transition_delay, afi, self._available)
        return afi

    def _available(self, afi: FpgaImage) -> None:
        afi.state = "available"
        afi.updated = self.backend.clock.now()

    def delete(self, afi: FpgaImage) -> None:
        afi.generation += 1
        self.store.remove(afi.id)
        self._shared_here().pop(afi.id, None)


def _none(afi: FpgaImage) -> Any:
    return None


FPGA_FILTERS = {
    "create-time": lambda a: a.created,
    "fpga-image-global-id": lambda a: a.global_id,
    "fpga-image-id": lambda a: a.id,
    "name": lambda a: a.name,
    "owner-id": lambda a: a.owner_id,
    "product-code": lambda a: list(a.product_codes),
    # no design checkpoint is read, so no AFI has a shell version
    "shell-version": _none,
    "state": lambda a: a.state,
    "update-time": lambda a: a.updated,
}
