"""`kiosk config check|show|sign|sync`: the layered site config and the operator's signed bundles.

    kiosk config check FILE [--json]
    kiosk config show [--effective] [--config FILE] [--json]
    kiosk config sign --key operator.pem --version N --config bundle.toml --out bundle.json
                      [--terminals T0001,T0002] [--site FILE] [--json]
    kiosk config sync [--url URL | --file BUNDLE] [--ca FILE] [--config FILE] [--json]

A bad config is exit 1 (`bad-config`, naming the file and the key path); a refused bundle is exit 1 too, with
`code: config-bundle-refused` and a `reason` (bad-signature, rollback, wrong-terminal, invalid-content,
too-large, unreachable). No private key material is ever printed; `staff.pin_hash` is shown redacted.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_OK, UsageError, add_config_option, print_json

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    config = commands.add_parser("config", help="check, show, sign and sync the site config and its bundles")
    config_commands = config.add_subparsers(title="config commands")

    check = config_commands.add_parser(
        "check", help="validate a site file with the defaults and its accepted bundle (exit 0 when valid)"
    )
    check.add_argument("file", type=Path, metavar="FILE", help="the site file (kiosk.toml)")
    check.add_argument("--json", action="store_true", help="print the result (and errors) as JSON")
    check.set_defaults(run=_run_check)

    show = config_commands.add_parser("show", help="print the config, each value with the layer it came from")
    show.add_argument(
        "--effective",
        action="store_true",
        help="every value in force (defaults, site file, bundle); without it, only the site file's own",
    )
    add_config_option(show)
    show.add_argument("--json", action="store_true", help="print as JSON")
    show.set_defaults(run=_run_show)

    sign = config_commands.add_parser("sign", help="make a signed config bundle (for operators)")
    sign.add_argument(
        "--key", type=Path, required=True, metavar="PEM", help="the operator's Ed25519 private key"
    )
    sign.add_argument(
        "--version", type=int, required=True, metavar="N", help="bundle version (≥ 1, increasing)"
    )
    sign.add_argument(
        "--config",
        type=Path,
        required=True,
        metavar="TOML",
        dest="bundle_config",
        help="the bundle's settings",
    )
    sign.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help="where to write the bundle (JSON)"
    )
    sign.add_argument(
        "--terminals", metavar="IDS", help="comma-separated terminal ids (default: every terminal)"
    )
    sign.add_argument(
        "--site", type=Path, metavar="FILE", help="also check the config it makes on top of this site file"
    )
    sign.add_argument("--json", action="store_true", help="print the result (and errors) as JSON")
    sign.set_defaults(run=_run_sign)

    sync = config_commands.add_parser(
        "sync", help="fetch, verify and install the operator's bundle (kept if anything is wrong)"
    )
    source = sync.add_mutually_exclusive_group()
    source.add_argument(
        "--url", metavar="URL", help="https:// address of the bundle (default: operator.bundle_url)"
    )
    source.add_argument("--file", type=Path, metavar="BUNDLE", help="a bundle file (carried in by hand)")
    sync.add_argument(
        "--ca", type=Path, metavar="PEM", help="CA to trust for --url (default: backend.ca_file)"
    )
    add_config_option(sync)
    sync.add_argument("--json", action="store_true", help="print the result (and errors) as JSON")
    sync.set_defaults(run=_run_sync)


def _config_path(args: argparse.Namespace) -> Path:
    from kiosk.settings import default_config_path

    path: Path = args.config if args.config is not None else default_config_path(os.environ)
    return path


def _run_check(args: argparse.Namespace) -> int:
    from kiosk.settings import effective_config

    effective = effective_config(args.file)
    result = {
        "ok": True,
        "path": str(args.file),
        "version": effective.config.version,
        "layers": [layer.to_dict() for layer in effective.layers],
    }
    if args.json:
        print_json(result)
    else:
        names = ", ".join(f"{layer.name} {layer.path}" for layer in effective.layers)
        print(f"{args.file}: ok (version {effective.config.version}; layers: {names})")
    return EXIT_OK


def _run_show(args: argparse.Namespace) -> int:
    from kiosk.settings import effective_config

    effective = effective_config(_config_path(args))
    entries = [entry for entry in effective.entries() if args.effective or entry.layer == "site"]
    if args.json:
        result = effective.to_dict()
        result["values"] = {entry.key: {"value": entry.value, "layer": entry.layer} for entry in entries}
        print_json(result)
        return EXIT_OK
    print(f"# version {effective.config.version}")
    for layer in effective.layers:
        suffix = f" (version {layer.version})" if layer.version is not None else ""
        print(f"# layer {layer.name}: {layer.path}{suffix}")
    width = max((len(entry.key) for entry in entries), default=0)
    for entry in entries:
        value = json.dumps(entry.value, ensure_ascii=False)
        print(f"{entry.key.ljust(width)} = {value}  # {entry.layer}")
    return EXIT_OK


def _run_sign(args: argparse.Namespace) -> int:
    import hashlib

    from kiosk.config_bundle import (
        bundle_config_data,
        load_bundle_private_key,
        sign_bundle,
        verify_bundle,
        write_atomically,
    )
    from kiosk.config_file import read_toml_file
    from kiosk.settings import check_bundle_candidate

    if args.version < 1:
        raise UsageError("kiosk config sign: --version must be at least 1")
    terminals = None
    if args.terminals is not None:
        terminals = [part.strip() for part in args.terminals.split(",") if part.strip()]
        if not terminals:
            raise UsageError("kiosk config sign: --terminals names no terminal")
    _, raw = read_toml_file(args.bundle_config)
    key = load_bundle_private_key(args.key)
    data = sign_bundle(key, version=args.version, config_text=raw.decode("utf-8"), terminals=terminals)
    bundle = verify_bundle(data, key.public_key())
    # The same checks a terminal makes: the allowlist and the version, named after the operator's file.
    bundle_config_data(bundle.envelope, str(args.bundle_config))
    if args.site is not None:
        check_bundle_candidate(args.site, bundle)
    write_atomically(args.out, data)
    result = {
        "out": str(args.out),
        "version": args.version,
        "terminal_scope": terminals if terminals is not None else "*",
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if args.json:
        print_json(result)
    else:
        print(f"{args.out}: bundle version {args.version} for {', '.join(terminals or ['every terminal'])}")
    return EXIT_OK


def _run_sync(args: argparse.Namespace) -> int:
    from kiosk.config_bundle import sync_bundle

    result = sync_bundle(_config_path(args), url=args.url, file=args.file, ca_file=args.ca)
    if args.json:
        print_json(result.to_dict())
    elif result.status == "unchanged":
        print(f"config bundle version {result.version} is already in force")
    else:
        before = "none" if result.previous_version is None else f"version {result.previous_version}"
        print(f"config bundle version {result.version} installed (was {before}): {result.path}")
    return EXIT_OK
