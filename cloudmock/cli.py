"""``cloudmock server`` and ``cloudmock services``."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence

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
    from cloudmock.core.persistence import IncompatibleState
    from cloudmock.server import serve

    try:
        serve(args.host, args.port, config, args.services, state_dir=args.state_dir)
    except IncompatibleState as error:
        # a state directory this version cannot read: say so, no traceback
        print(f"cloudmock server: {error}", file=sys.stderr)
        sys.exit(2)


def _run_state_command(args: argparse.Namespace) -> int:
    from cloudmock.core.persistence import IncompatibleState, export_state, import_state

    try:
        if args.action == "export":
            export_state(args.state_dir, args.file)
            print(f"exported {args.state_dir} to {args.file}")
        else:
            import_state(args.file, args.state_dir)
            print(f"imported {args.file} into {args.state_dir}")
    except (IncompatibleState, OSError) as error:
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


if __name__ == "__main__":
    sys.exit(main())
