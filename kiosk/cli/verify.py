"""`kiosk verify FILE.pdf | --qr TEXT`: is a printed certificate what the municipality issued?"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_OK, UsageError, add_config_option, load_config, print_json

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    verify = commands.add_parser(
        "verify",
        help="check a certificate PDF, or the text of its QR code, against the municipality's public key",
    )
    source = verify.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path, help="the certificate PDF")
    source.add_argument("--qr", metavar="TEXT", help="the decoded QR code text (KKV1:...)")
    verify.add_argument(
        "--key",
        type=Path,
        metavar="PEM",
        help="the municipality's public key (default: the keys pinned in the site config)",
    )
    verify.add_argument("--json", action="store_true", help="print the result (and errors) as JSON")
    add_config_option(verify)
    verify.set_defaults(run=_run_verify)


def _run_verify(args: argparse.Namespace) -> int:
    from printing.verification import check_code, check_pdf, parse_code

    keys = _keys(args)
    if args.qr is not None:
        verified = check_code(parse_code(args.qr), keys)
    else:
        if not args.file.is_file():
            raise UsageError(f"no such file: {args.file}")
        verified = check_pdf(args.file, keys)
    result = verified.to_dict()
    if args.json:
        print_json(result)
    else:
        scope = "signature and content" if verified.content_checked else "signature only: compare the paper"
        print(f"valid: {verified.serial} issued by municipality {verified.municipality} ({scope})")
    return EXIT_OK


def _keys(args: argparse.Namespace) -> Any:
    if args.key is not None:
        from kiosk.settings import load_public_key

        key = load_public_key(args.key, "--key")
        return lambda _code: key
    config = load_config(args, required=True)
    assert config is not None  # noqa: S101 - required=True never returns None
    return config.municipal_key
