"""Write cloudmock/core/protocols/service_index.json: which botocore service a request
names, by SigV4 signing name, X-Amz-Target prefix and endpoint prefix.

The dispatcher reads it (lazily) to answer a service cloudmock does not mock in that
service's own protocol, without loading every model.  Re-run after a botocore upgrade:

    python scripts/gen_service_index.py
"""

from __future__ import annotations

import json
from pathlib import Path

from botocore.loaders import create_loader

OUT = (
    Path(__file__).resolve().parents[1] / "cloudmock" / "core" / "protocols" / "service_index.json"
)


def main() -> None:
    loader = create_loader()
    index: dict[str, dict[str, str]] = {"signing": {}, "target": {}, "endpoint": {}}
    for service in sorted(loader.list_available_services("service-2")):
        metadata = loader.load_service_model(service, "service-2")["metadata"]
        keys = {
            "signing": metadata.get("signingName") or metadata.get("endpointPrefix"),
            "target": metadata.get("targetPrefix"),
            "endpoint": metadata.get("endpointPrefix"),
        }
        for kind, key in keys.items():
            if key:
                index[kind].setdefault(key, service)  # the first, alphabetically, wins
    OUT.write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT} ({sum(map(len, index.values()))} keys)")


if __name__ == "__main__":
    main()
