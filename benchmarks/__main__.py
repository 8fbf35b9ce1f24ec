"""Run every benchmark: `python -m benchmarks [--big]`.

--big also seeds a database of 100,000 customers and 5,000,000 log-sheet entries (about three
minutes on two cores) and measures the home screen on it.
"""

from __future__ import annotations

import sys

from benchmarks import startup


def main() -> int:
    big = "--big" in sys.argv[1:]
    failures = startup.run(big=big)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
