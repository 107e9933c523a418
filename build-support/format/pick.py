#!/usr/bin/env python3
"""Draws fields and enum values from a descriptor set in JSON (`buf build -o x.json`).

    pick.py IMAGE.json SEED N

Prints N field names (extensions included) and N/2 enum value names, fully qualified without the
leading dot, one per line: `--deprecate` prefixes that must match exactly.
"""

import json
import random
import sys


def main() -> None:
    with open(sys.argv[1]) as f:
        image = json.load(f)
    rng = random.Random(int(sys.argv[2]))
    count = int(sys.argv[3])
    fields: list[str] = []
    values: list[str] = []

    def enum(scope: str, e: dict) -> None:
        # Enum values are named in their enum's parent scope.
        values.extend(f"{scope}.{v['name']}" for v in e.get("value", []))

    def message(scope: str, m: dict) -> None:
        name = f"{scope}.{m['name']}"
        for f in m.get("field", []) + m.get("extension", []):
            fields.append(f"{name}.{f['name']}")
        for n in m.get("nestedType", []):
            message(name, n)
        for e in m.get("enumType", []):
            enum(name, e)

    for f in image["file"]:
        pkg = f.get("package", "")
        for m in f.get("messageType", []):
            message(pkg, m)
        for e in f.get("enumType", []):
            enum(pkg, e)
        fields.extend(f"{pkg}.{x['name']}" for x in f.get("extension", []))
    picked = rng.sample(fields, min(count, len(fields)))
    picked += rng.sample(values, min(count // 2, len(values)))
    print("\n".join(p.lstrip(".") for p in picked))


if __name__ == "__main__":
    main()
