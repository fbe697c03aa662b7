"""Round-trip every operation of every service botocore ships through cloudmock's codecs.

    python scripts/roundtrip_sweep.py              # everything (a few minutes)
    python scripts/roundtrip_sweep.py s3 sqs       # some services
    python scripts/roundtrip_sweep.py --failures   # also list what failed, one line each

Prints the per-protocol table and each named normalisation (tests/roundtrip/).
Exits 1 if any operation fails.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "roundtrip"))

from rt_engine import sweep, table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("services", nargs="*")
    parser.add_argument("--failures", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    outcomes = sweep(args.services or None)
    print(table(outcomes))
    failed = [o for o in outcomes if not o.ok]
    if args.failures:
        for outcome in failed:
            print(f"FAIL {outcome.service}/{outcome.protocol}/{outcome.operation}:")
            for failure in outcome.failures:
                print(f"    {failure[:300]}")
    print(f"\n{len(outcomes)} operations in {time.perf_counter() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
