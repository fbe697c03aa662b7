"""``cloudmock server`` and ``cloudmock services``."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import Any

from cloudmock.core.config import Config
from cloudmock.core.registry import default_registry


def _option(text: str) -> tuple[str, str, object]:
    """``ec2.instance_limit=50`` -> ("ec2", "instance_limit", 50)."""
    key, sep, raw = text.partition("=")
    service, dot, name = key.partition(".")
    if not sep or not dot or not service or not name:
        raise argparse.ArgumentTypeError(f"expected SERVICE.NAME=VALUE, got {text!r}")
    try:
        value: object = json.loads(raw)
    except ValueError:
        value = raw
    return service, name, value


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, not {port}")
    return port


def _add_security_flags(server: argparse.ArgumentParser) -> None:
    server.add_argument(
        "--verify-signatures",
        action="store_true",
        default=None,
        help="check every request's SigV4/SigV2 signature against the configured keys",
    )
    server.add_argument(
        "--access-key",
        action="append",
        default=[],
        metavar="KEYID:SECRET[:ACCOUNT]",
        help="a key and its secret (and account) the server knows (repeatable)",
    )
    server.add_argument(
        "--access-key-file",
        metavar="FILE",
        help="read KEYID:SECRET[:ACCOUNT] lines from FILE (keeps secrets off the command line)",
    )
    server.add_argument(
        "--control-token",
        default=None,
        help="token the /_cloudmock/* endpoints require (made up when bound beyond loopback)",
    )
    server.add_argument(
        "--server-name",
        action="append",
        default=[],
        dest="server_names",
        help="a host name the control endpoints answer to besides loopback (repeatable)",
    )


def _apply_security_flags(
    parser: argparse.ArgumentParser, args: argparse.Namespace, config: Config
) -> None:
    from cloudmock.core.config import read_access_key_file

    try:
        for spec in args.access_key:
            config.add_access_key(spec)
        if args.access_key_file:
            read_access_key_file(args.access_key_file, config)
    except (ValueError, OSError) as error:
        parser.error(str(error))
    if args.verify_signatures:
        config.verify_signatures = True
    if config.verify_signatures and not config.secret_keys:
        parser.error("--verify-signatures needs at least one --access-key (or --access-key-file)")
    if args.control_token is not None:
        config.control_token = args.control_token
    config.server_names.extend(args.server_names)


def _add_state_dir_flag(server: argparse.ArgumentParser) -> None:
    server.add_argument(
        "--state-dir",
        default=None,
        metavar="DIR",
        help="keep every account's state in DIR (SQLite) so it survives a restart or a crash",
    )


def _add_state_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    state = commands.add_parser("state", help="export or import a durable state (--state-dir)")
    actions = state.add_subparsers(dest="action", required=True)
    for name, text in (
        ("export", "write the state of --state-dir to FILE (one SQLite file)"),
        ("import", "replace the state of --state-dir by FILE (the server must be stopped)"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("file", metavar="FILE")
        action.add_argument("--state-dir", required=True, metavar="DIR")


def _serve(args: argparse.Namespace, config: Config) -> None:
    from cloudmock.core.persistence import StateDirError
    from cloudmock.core.transports.control import guard_exposed_bind
    from cloudmock.server import CannotListen, serve

    guard_exposed_bind(args.host, config)
    try:
        serve(
            args.host,
            args.port,
            config,
            args.services,
            limits=_limits(args),
            state_dir=args.state_dir,
            dispatch=args.dispatch,
        )
    except (StateDirError, CannotListen) as error:
        # a state directory this version cannot read, damaged, in use, not writable, ...,
        # or an address taken: say so, no traceback
        print(f"cloudmock server: {error}", file=sys.stderr)
        sys.exit(2)


def _run_state_command(args: argparse.Namespace) -> int:
    from cloudmock.core.persistence import StateDirError, export_state, import_state

    try:
        if args.action == "export":
            export_state(args.state_dir, args.file)
            print(f"exported {args.state_dir} to {args.file}")
        else:
            import_state(args.file, args.state_dir)
            print(f"imported {args.file} into {args.state_dir}")
    except (StateDirError, OSError) as error:
        print(f"cloudmock state {args.action}: {error}", file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cloudmock", description="A local twin of AWS.")
    commands = parser.add_subparsers(dest="command", required=True)

    server = commands.add_parser("server", help="run the cloudmock server")
    server.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    server.add_argument("--port", type=_port, default=5000, help="port (default 5000)")
    server.add_argument("--seed", type=int, default=None, help="make generated ids reproducible")
    server.add_argument(
        "--service", action="append", dest="services", help="only mock this service (repeatable)"
    )
    server.add_argument(
        "--option",
        action="append",
        type=_option,
        default=[],
        help="a service option, e.g. ec2.instance_limit=50 (repeatable)",
    )
    _add_security_flags(server)
    _add_http_flags(server)
    _add_state_dir_flag(server)
    commands.add_parser("services", help="list the installed service plugins")
    _add_state_commands(commands)

    args = parser.parse_args(argv)
    if args.command == "state":
        return _run_state_command(args)
    if args.command == "services":
        rows = default_registry().status()
        for row in rows:
            state = "ok" if row.loaded else f"FAILED: {row.error}"
            print(f"{row.name:<16} {state:<8} {row.source}")
        return 0 if all(row.loaded for row in rows) else 1

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        config = Config.from_env(seed=args.seed)
    except ValueError as error:
        parser.error(str(error))
    registry = default_registry()
    for service in args.services or ():
        if registry.get(service) is None:
            parser.error(f"--service {service}: no installed plugin mocks it")
    for service, name, value in args.option:
        config.services.setdefault(service, {})[name] = value
    _apply_security_flags(parser, args, config)
    for service, raw in config.services.items():
        plugin = registry.get(service)
        if plugin is None:
            parser.error(f"--option names {service!r}, which no installed plugin mocks")
        try:
            plugin.check_options(raw)
        except ValueError as error:
            parser.error(str(error))
    _serve(args, config)
    return 0


def _add_http_flags(server: argparse.ArgumentParser) -> None:
    """The HTTP layer's bounds (defaults: ``cloudmock.core.transports.http_server.Limits``)."""
    group = server.add_argument_group("HTTP limits")
    group.add_argument("--max-header-bytes", type=int, help="request line + headers (431 beyond)")
    group.add_argument("--max-body-bytes", type=int, help="request body (413 beyond)")
    group.add_argument("--read-timeout", type=float, help="seconds a request may stall (408)")
    group.add_argument("--keep-alive-timeout", type=float, help="idle connection lifetime (s)")
    group.add_argument(
        "--dispatch",
        choices=("inline", "thread"),
        default="inline",
        help="run requests on the event loop (default, fastest) or in a thread pool "
        "(the health endpoint then answers while a long request runs)",
    )


def _limits(args: argparse.Namespace) -> Any:
    from dataclasses import replace

    from cloudmock.core.transports.http_server import Limits

    given = {
        name: getattr(args, name)
        for name in ("max_header_bytes", "max_body_bytes", "read_timeout", "keep_alive_timeout")
        if getattr(args, name) is not None
    }
    for name, value in given.items():
        if value <= 0:
            raise SystemExit(f"cloudmock server: --{name.replace('_', '-')} must be positive")
    return replace(Limits(), **given)


if __name__ == "__main__":
    sys.exit(main())
