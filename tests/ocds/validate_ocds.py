#!/usr/bin/env python3
"""Validates an OCDS 1.1.5 release package against the project's profile (core + techniques +
metrics, in schema/), with a real JSON Schema validator (jsonschema, draft-04, formats checked),
plus checks plain schema validation misses: unique `id`s within every array of objects, and the
OCID prefix. Exit code 0 when valid; 1 with one line per problem otherwise; 2 on bad usage.

Usage: validate_ocds.py PACKAGE.json
"""

import json
import pathlib
import re
import sys
import warnings

import jsonschema

SCHEMA_DIR = pathlib.Path(__file__).resolve().parent / "schema"
OCID_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}-")


def load(name):
    with open(SCHEMA_DIR / name, encoding="utf-8") as f:
        return json.load(f)


def validator():
    package = load("release-package-schema.json")
    release = load("release-schema.json")
    checker = jsonschema.FormatChecker()
    try:  # jsonschema >= 4.18
        import referencing
        import referencing.jsonschema

        registry = referencing.Registry().with_resources(
            (schema["id"], referencing.Resource.from_contents(
                schema, default_specification=referencing.jsonschema.DRAFT4))
            for schema in (package, release))
        return jsonschema.Draft4Validator(package, registry=registry, format_checker=checker)
    except ImportError:  # Debian 12's jsonschema 4.10
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            resolver = jsonschema.RefResolver.from_schema(
                package, store={package["id"]: package, release["id"]: release})
        return jsonschema.Draft4Validator(package, resolver=resolver, format_checker=checker)


def duplicate_ids(value, path):
    """Paths of arrays whose objects repeat an `id`."""
    problems = []
    if isinstance(value, dict):
        for key, child in value.items():
            problems += duplicate_ids(child, f"{path}/{key}")
    elif isinstance(value, list):
        seen = set()
        for index, child in enumerate(value):
            if isinstance(child, dict) and "id" in child:
                key = json.dumps(child["id"])
                if key in seen:
                    problems.append(f"{path}: id {child['id']} appears twice")
                seen.add(key)
            problems += duplicate_ids(child, f"{path}/{index}")
    return problems


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        package = json.load(f)
    problems = []
    for error in sorted(validator().iter_errors(package), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path)
        problems.append(f"schema: /{where}: {error.message}")
    problems += duplicate_ids(package, "")
    for index, release in enumerate(package.get("releases", [])):
        ocid = release.get("ocid", "") if isinstance(release, dict) else ""
        if not OCID_PREFIX.match(str(ocid)):
            problems.append(f"/releases/{index}/ocid: {ocid!r} lacks a prefix ocds-xxxxxx-")
    for problem in problems:
        print(problem)
    if not problems:
        print(f"valid: {len(package.get('releases', []))} releases")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
