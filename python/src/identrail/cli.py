"""The ``identrail`` command: a thin shell over the library.

    identrail analyze   [PATH ...] [--json] [--top N] [--flag ARN[=TIME]] [--geoip MMDB] [--state FILE]
    identrail remediate --identity ARN [--allow-cidr CIDR ...] [--json] [PATH ...]
    identrail graph     [PATH ...] [--format json|cytoscape|dot|graphml | --blast-radius ARN [--since TIME] |
                        --paths FROM TO | --chain ARN | --where-used ARN | --timeline ARN | --status ARN]
    identrail policy    --identity ARN [--flag-time TIME] [--current-policy FILE ...] [--compact] [--json] [PATH ...]
    identrail events    [PATH ...] [--format flat|ocsf]
    identrail watch     DIR | - | s3://BUCKET/PREFIX ... [--format json|ocsf] [--state FILE] [--webhook URL]
    identrail bench     [--rules PATH ...] [PATH ... | --generate N [--identities M]] [--top K] [--json]

With no PATH, the bundled sample trace is read.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from datetime import datetime
from typing import Sequence

from . import Engine, __version__, bench, events, list_input_files, sample_path, test_rules
from .errors import Error, InvalidArgument, LimitExceeded, NotFoundError


STDIN = "-"
STATE_KEY_VARIABLE = "IDENTRAIL_STATE_KEY"  # a secret that authenticates --state files (HMAC-SHA256)
WEBHOOK_SECRET_VARIABLE = "IDENTRAIL_WEBHOOK_SECRET"  # signs webhook bodies (X-Identrail-Signature)
MAX_STDIN_BYTES = 1 << 30  # the engine's limit for one input
STDIN_CHUNK = 32 << 20  # JSON lines from standard input are fed this much at a time, cut at line ends



INPUT_FORMATS = ("auto", "cloudtrail", "cloudtrail-lake", "elasticsearch", "datadog", "ocsf")

def _files(paths: Sequence[str]) -> list[str]:
    # All paths as one input, in CloudTrail delivery order: a shell glob reads like its directory.
    named = [p for p in paths if p != STDIN]
    if not named:
        return [] if paths else [str(sample_path())]
    return list_input_files(named)


def _progress_bar(files: int, progress: bool):
    """A bar only helps when there are many files and someone is watching. Otherwise tqdm is not even
    imported: that import is a third of the command's start-up, which a short run over one file feels."""
    if not progress or files < 2 or not sys.stderr.isatty():
        return contextlib.nullcontext()
    from tqdm import tqdm
    return tqdm(total=files, desc="reading", unit="file", file=sys.stderr, leave=False)


def _load(paths: Sequence[str], progress: bool, engine: Engine) -> None:
    files = _files(paths)
    with _progress_bar(len(files), progress) as bar:
        if files:  # one call: the engine decodes files on its threads, in delivery order
            engine.feed_paths(files, on_file=(lambda _: bar.update()) if bar is not None else None)
    if STDIN in paths:  # read once, after the files: any format a file may hold (JSON lines from a pipe)
        _feed_stdin(engine)


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _json_lines(head: bytes) -> bool:
    """Whether input starting with head is JSON lines: a whole object on its first line (not gzip, not an
    indented document, not an array)."""
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0].rstrip()
    return first.startswith(b"{") and first.endswith(b"}")


def _feed_stdin(engine: Engine) -> None:
    """JSON lines are fed in chunks cut at line ends, so memory does not grow with a pipe's length; each
    chunk after the first is named by where it starts, so an error's line is found. Any other input (a
    trail file, gzip, an export) is one document, read whole up to the engine's input limit."""
    stream = sys.stdin.buffer
    pending = stream.read(STDIN_CHUNK)
    while b"\n" not in pending and len(pending) <= MAX_STDIN_BYTES:  # the first line decides the form
        more = stream.read(STDIN_CHUNK)
        if not more:
            break
        pending += more
    if not _json_lines(pending):
        data = pending + stream.read(MAX_STDIN_BYTES + 1 - len(pending))
        if len(data) > MAX_STDIN_BYTES:
            raise LimitExceeded(f"<stdin>: over the input limit of {MAX_STDIN_BYTES} bytes: split it into files")
        engine.feed(data, "<stdin>")
        return
    line, byte = 1, 0
    while pending:
        more = stream.read(STDIN_CHUNK)
        cut = pending.rfind(b"\n") + 1 if more else len(pending)
        if cut == 0:  # a line longer than the chunk: read on until it ends
            if len(pending) > MAX_STDIN_BYTES:
                raise LimitExceeded(f"<stdin>: a line at byte {byte} is over the input limit of {MAX_STDIN_BYTES} bytes")
            pending += more
            continue
        engine.feed(pending[:cut], "<stdin>" if byte == 0 else f"<stdin> from line {line} (byte {byte})")
        line += pending.count(b"\n", 0, cut)
        byte += cut
        pending = pending[cut:] + more


def _engine(args: argparse.Namespace, detect: bool = True) -> Engine:
    rules = args.rules or args.add_rules or None
    settings = dict(gzip=args.gzip, detect=detect, rules=rules, builtin_rules=bool(args.add_rules and not args.rules),
                    geo_databases=getattr(args, "geoip", None), state_key=os.environ.get(STATE_KEY_VARIABLE) or None,
                    allowed_lateness_seconds=getattr(args, "lateness", 900),
                    skip_invalid_rules=bool(getattr(args, "skip_invalid", False)),
                    input_format=getattr(args, "input_format", "auto"), threads=getattr(args, "threads", 1),
                    correlate=not getattr(args, "detections_only", False),
                    # Streaming commands keep no events (memory grows with identities, not events);
                    # the ones whose answers read events (timelines, user inventories) keep them.
                    retain_events=getattr(args, "keep_events", True))
    state = getattr(args, "state", None)
    if state and os.path.isdir(state):
        raise InvalidArgument(f"--state {state}: a directory; the state is a file (it is created when missing)")
    if not state or not os.path.exists(state):
        return _reported(Engine(**settings))
    engine = _reported(Engine.restore_from(state, **settings))
    restored = engine.restored
    for what, names in (("start empty (new or changed)", restored["started_rules"]),
                        ("are no longer in the rule set", restored["dropped_rules"])):
        if names and restored["kept_rules"]:
            print(f"identrail: {state}: rules that {what}: {', '.join(names)}", file=sys.stderr)
    return engine


def _reported(engine: Engine) -> Engine:
    """Says which rules --skip-invalid left out, one line each, before anything else runs."""
    for rejection in engine.rule_rejections:
        print(f"identrail: rule refused: {rejection}", file=sys.stderr)
    return engine


def _is_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return True


def _identity_and_time(value: str) -> tuple[str, str | None]:
    """``ARN[=TIME]``: IAM names may hold '=', so only a valid time after the last one counts as a time."""
    identity, sep, when = value.rpartition("=")
    if sep and identity and _is_time(when):
        return identity, when
    return value, None


def _read_and_flag(args: argparse.Namespace) -> Engine:
    engine = _engine(args)
    _load(args.paths, not args.no_progress, engine)
    for status, values in (("compromised", args.flag or []), ("remediated", args.remediated or [])):
        for value in values:
            identity, when = _identity_and_time(value)
            engine.flag(identity, status, when)
    if getattr(args, "state", None):
        # Before the end-of-input flush: the next run goes on as if this one had not stopped.
        engine.checkpoint_to(args.state)
    engine.finish()
    return engine


def _with_graph(args: argparse.Namespace) -> bool:
    return not (args.no_graph or args.detections_only)


def _analyze(args: argparse.Namespace) -> int:
    engine = _read_and_flag(args)
    if args.json and args.pretty:
        json.dump(json.loads(engine.report_json(graph=_with_graph(args))), sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif args.json:  # the library's JSON as it is: parsing and writing it again cost more than the analysis
        sys.stdout.flush()
        try:
            descriptor = sys.stdout.fileno()
        except (AttributeError, OSError, ValueError):  # a stream without one (captured output)
            sys.stdout.write(engine.report_json(graph=_with_graph(args)) + "\n")
        else:
            engine.write_report_json(descriptor, graph=_with_graph(args))
    else:
        sys.stdout.write(engine.report_text(top=args.top))
    return 0


def _remediate(args: argparse.Namespace) -> int:
    engine = _read_and_flag(args)
    if args.json:
        json.dump(engine.remediation(args.identity, args.allow_cidr or [], args.now), sys.stdout,
                  indent=2 if args.pretty else None)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(engine.remediation_text(args.identity, args.allow_cidr or [], args.now))
    return 0


def _policy(args: argparse.Namespace) -> int:
    engine = _read_and_flag(args)
    current = []
    for path in args.current_policy or []:
        with open(path, encoding="utf-8") as f:
            current.append(f.read())
    try:
        result = engine.least_privilege(args.identity, args.flag_time, current, args.compact)
    except Error as exc:
        # Name the file rather than its position in the list.
        for i, path in enumerate(args.current_policy or []):
            exc.args = (str(exc).replace(f"current_policies[{i}]", path),)
        raise
    if args.json:
        json.dump(result, sys.stdout, indent=2 if args.pretty else None)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    out.write(f"Least-privilege policy for {result['identity']}")
    out.write(f" (usage before {result['flag_time']})\n" if result["flag_time"] else " (all usage)\n")
    json.dump(result["policy"], out, indent=2)
    out.write("\n")
    for title, key in (("Used before the flag", "used_actions"), ("Left out: used only after it", "excluded_actions")):
        if result[key]:
            out.write(f"\n{title} ({len(result[key])})\n")
            for a in result[key]:
                out.write(f"  {a['action']:<45} {a['count']:>6}  {a['first_seen']} .. {a['last_seen']}\n")
    for title, key in (("Unused permissions of the current policy", "unused_permissions"),
                       ("Used but not granted by the given policies", "not_granted"), ("Notes", "notes")):
        if result[key]:
            out.write(f"\n{title}\n" + "".join(f"  - {line}\n" for line in result[key]))
    return 0


def _graph(args: argparse.Namespace) -> int:
    engine = _read_and_flag(args)
    if args.blast_radius:
        answer = engine.blast_radius(args.blast_radius, args.since)
    elif args.paths_between:
        answer = engine.paths(*args.paths_between)
    elif args.chain:
        answer = engine.resolve(args.chain)
    elif args.where_used:
        answer = engine.where_used(args.where_used)
    elif args.timeline:
        answer = engine.timeline(args.timeline, args.since)
    elif args.status:
        answer = engine.assessment(args.status)
    else:
        sys.stdout.write(engine.graph_export(args.format))
        if args.format in ("json", "cytoscape"):
            sys.stdout.write("\n")
        return 0
    json.dump(answer, sys.stdout, indent=2 if args.pretty else None)
    sys.stdout.write("\n")
    return 0


def _events(args: argparse.Namespace) -> int:
    engine = Engine(gzip=args.gzip, detect=False, threads=args.threads)
    _load(args.paths, not args.no_progress, engine)
    out = sys.stdout
    for event in events(engine):
        out.write(event.to_json(args.format))
        out.write("\n")
    for err in engine.errors:
        print(f"identrail: {err.source}: {err.location}: {err.reason}", file=sys.stderr)
    return 0


def _watch_sources(args: argparse.Namespace) -> list:
    from .watch import DirectorySource, S3Source, StreamSource

    sources = []
    for path in args.paths:
        if path == STDIN:
            try:
                sources.append(StreamSource(sys.stdin.fileno()))
            except (OSError, ValueError) as exc:
                raise InvalidArgument(f"-: standard input cannot be followed ({exc})") from exc
        elif path.startswith("s3://"):
            sources.append(S3Source(path))
        elif os.path.isdir(path):
            sources.append(DirectorySource(path, settle=args.settle))
        elif os.path.exists(path):
            raise InvalidArgument(f"{path}: watch follows directories, - (standard input) or s3://BUCKET/PREFIX; "
                                  "read files with identrail analyze")
        else:
            raise NotFoundError(f"{path}: no such directory")
    return sources


def _watch(args: argparse.Namespace) -> int:
    import signal
    import time

    from .sinks import LineSink, WebhookSink, secret_from
    from .watch import drain, load_cursor, store_cursor, watch

    if not args.paths:
        raise InvalidArgument("watch needs a directory, - (standard input) or s3://BUCKET/PREFIX to follow")
    sources = _watch_sources(args)
    engine = _engine(args)
    cursor = load_cursor(engine, sources)
    out = LineSink(open(args.output, "a", encoding="utf-8") if args.output else sys.stdout)
    webhook = None
    if args.webhook:
        headers = []
        for header in args.webhook_header or []:
            name, sep, value = header.partition(":")
            if not sep or not name.strip():
                raise InvalidArgument(f"--webhook-header {header!r}: expected 'Name: value'")
            headers.append((name.strip(), value.strip()))
        webhook = WebhookSink(args.webhook, headers, secret_from(WEBHOOK_SECRET_VARIABLE, args.webhook_secret_file),
                              queue_size=args.webhook_queue, pending=cursor.get("webhook_pending", []))
    stopping = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.append(True))

    def save() -> None:
        if args.state:
            store_cursor(engine, sources, {"webhook_pending": webhook.unsent()} if webhook else None)
            engine.checkpoint_to(args.state)

    form = "json" if args.format == "json" else "ocsf"
    statuses: dict = {}
    last_save = time.monotonic()
    told = [engine.stats.rejected, len(engine.errors)]  # what a restored state had already reported

    def report_rejections() -> None:
        # Records that cannot be read are said as they come: a live reader has no report at the end.
        if engine.stats.rejected == told[0]:
            return
        errors = engine.errors
        for err in errors[told[1]:]:
            print(f"identrail: {err.source}: {err.location}: {err.reason}", file=sys.stderr)
        told[:] = [engine.stats.rejected, len(errors)]
    try:
        for line in watch(engine, sources, poll=args.poll, idle_timeout=args.idle_timeout, form=form,
                          stop=lambda: bool(stopping), ticks=True, statuses=statuses):
            if line is not None:
                out.send(line)
                if webhook:
                    webhook.send(line)
            else:
                report_rejections()
            if args.state and time.monotonic() - last_save >= args.state_every:
                save()
                last_save = time.monotonic()
        if not args.state and not stopping:
            # Every source has ended and nothing goes on from here: the end-of-input flush.
            engine.finish()
            for line in drain(engine, form, statuses):
                out.send(line)
                if webhook:
                    webhook.send(line)
    finally:
        report_rejections()
        if webhook:
            webhook.close(grace=args.webhook_grace)
        save()  # after the webhook's last attempts, so what it could not send is kept
        out.close()
    if webhook:
        print(f"identrail: {webhook.summary()}", file=sys.stderr)
    return 0


def _bench(args: argparse.Namespace) -> int:
    if STDIN in args.paths:
        raise InvalidArgument("bench measures files held in memory; save standard input to a file first")
    if args.generate is not None and args.paths:
        raise InvalidArgument("give logs (PATH ...) or --generate N, not both")
    if args.generate is None and args.identities is not None:
        raise InvalidArgument("--identities goes with --generate N")
    rules = args.rules or args.add_rules or None
    settings = dict(gzip=args.gzip, rules=rules, builtin_rules=bool(args.add_rules and not args.rules),
                    skip_invalid_rules=args.skip_invalid, allowed_lateness_seconds=args.lateness,
                    input_format=args.input_format, threads=args.threads)
    # The paths as given: the library lists their files, and "input" names what the user asked for.
    paths = None if args.generate is not None else (args.paths or [str(sample_path())])
    if args.skip_invalid:  # the refused rules, said once before the measurement
        _reported(Engine(**settings))
    result = bench(paths, generate=args.generate or 1, identities=args.identities or 2000, seed=args.seed,
                   top=args.top, sampling=args.sampling, **settings)
    if args.json:
        json.dump(result, sys.stdout, indent=2 if args.pretty else None)
        sys.stdout.write("\n")
        return 0
    _print_bench(result, sys.stdout)
    return 0


def _print_bench(r: dict, out) -> None:
    mib = 1 << 20
    out.write(f"identrail {r['identrail_version']} bench: {r['input'] if r['files'] < 4 else str(r['files']) + ' files'}\n")
    out.write(f"{r['events']} events ({r['rejected']} rejected), {r['json_bytes'] / mib:.1f} MiB of JSON, "
              f"{r['rules']} rules, {r['identities']} identities, {r['threads']} decoding thread(s)\n\n")
    out.write(f"{'stage':<10} {'seconds':>9} {'events/s':>12}\n")
    for s in r["stages"]:
        out.write(f"{s['stage']:<10} {s['seconds']:>9.3f} {s['events_per_second']:>12,.0f}\n")
    if r["baseline_ratio"] is None:
        out.write("\nsimdjson baseline: not applicable (inputs other than JSON lines or delivery files)\n")
    else:
        out.write(f"\nagainst the simdjson baseline on the same bytes: {r['baseline_ratio']:.2f} for the whole "
                  f"pipeline, {r['decode_baseline_ratio']:.2f} for decoding alone\n")
    if r["costliest_rules"]:
        out.write(f"\ncostliest rules (timed on 1 evaluation in {r['rule_cost_sampling']})\n")
        for c in r["costliest_rules"]:
            out.write(f"  {c['rule_id']:<32} {c['nanos_per_event']:>9.1f} ns/event\n")
    out.write(f"\nstate {r['state_bytes'] / mib:.1f} MiB ({r['state_bytes_per_identity']:,.0f} bytes an identity); "
              f"peak memory {r['peak_rss_bytes'] / mib:.0f} MiB, the input held in memory included\n")


def _rules(args: argparse.Namespace) -> int:
    engine = _engine(args)
    if args.test:
        outcomes = test_rules(engine)
        failed = [o for o in outcomes if not o["passed"]]
        for o in failed:
            print(f"FAIL {o['source']}: {o['rule_id']}: {o['test']}: {o['message']}")
        print(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
        return 1 if failed else 0
    for rule in engine.rules:
        tags = ",".join(rule["tactics"] + rule["techniques"])
        print(f"{rule['id']:<14} {rule['severity']:<9} {rule['kind']:<11} {rule['name']}  [{tags}]")
    print(f"{len(engine.rules)} rules", file=sys.stderr)
    return 0


def _whole_number(high: int | None = None):
    """An argparse type: a whole number from 1 (to high)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < 1 or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{text} must be at least 1" + (f" and at most {high}" if high else ""))
        return value
    return parse


_positive = _whole_number()


class _ExactParser(argparse.ArgumentParser):
    """Takes options only as spelled: an abbreviation (`--thread` for `--threads`) would change meaning the
    day another option starting the same way is added, in scripts that worked before."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)


def _parser() -> argparse.ArgumentParser:
    parser = _ExactParser(prog="identrail", description="Find compromised cloud identities in CloudTrail logs.")
    parser.add_argument("--version", action="version", version=f"identrail {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)  # subcommands take the same class

    def rule_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--rules", action="append", metavar="PATH",
                       help="rule file or directory to use instead of the built-in pack (repeatable)")
        p.add_argument("--add-rules", action="append", metavar="PATH",
                       help="rule file or directory to use next to the built-in pack (repeatable)")
        p.add_argument("--skip-invalid", action="store_true",
                       help="load the valid rules of --rules/--add-rules and report the others (default: one invalid "
                            "rule stops the run, and every invalid one is listed)")
        p.add_argument("--lateness", type=int, default=900, metavar="SECONDS",
                       help="how far behind the newest event time a record may arrive and still count in every "
                            "rule (default 900; docs/state-model.md)")

    def inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument("paths", nargs="*", metavar="PATH",
                       help="CloudTrail files or directories (gzip, {\"Records\":[...]}, JSON lines, EventBridge, "
                            "lookup-events, and exports: CloudTrail Lake, Elasticsearch/Logstash, Datadog, OCSF), "
                            "read in delivery order; - reads standard input after them; default: the bundled sample trace")
        p.add_argument("--input-format", choices=INPUT_FORMATS, default="auto",
                       help="read every document as this format (default auto: each shape is recognised by its keys)")
        p.add_argument("--no-progress", action="store_true", help="no progress bar")
        p.add_argument("--gzip", choices=["libdeflate", "zlib"], default="libdeflate", help=argparse.SUPPRESS)
        p.add_argument("--threads", type=_whole_number(256), default=_cores(), metavar="N",
                       help=f"files decoded at once (default: the cores, {_cores()}); the answers are the same for "
                            "every N")

    def correlation(p: argparse.ArgumentParser) -> None:
        p.add_argument("--flag", action="append", metavar="ARN[=TIME]",
                       help="mark an identity compromised (from TIME, RFC 3339) before reporting (repeatable)")
        p.add_argument("--remediated", action="append", metavar="ARN[=TIME]",
                       help="mark an identity remediated (at TIME); only later evidence counts (repeatable)")
        p.add_argument("--geoip", action="append", metavar="MMDB",
                       help="MaxMind-format database (City, Country or ASN) to locate source IPs (repeatable)")
        p.add_argument("--pretty", action="store_true", help="indent JSON output")
        rule_options(p)

    analyze = sub.add_parser("analyze", help="read logs and print the report")
    inputs(analyze)
    analyze.add_argument("--json", action="store_true", help="print the machine report as JSON")
    analyze.add_argument("--no-graph", action="store_true", help="leave the identity graph out of --json")
    analyze.add_argument("--detections-only", action="store_true",
                         help="run the rules and build no identity graph (faster): a status then stays with the "
                              "identity its detections name, and --json has no graph")
    analyze.add_argument("--top", type=int, default=10, metavar="N", help="rows in the top tables (default 10)")
    analyze.add_argument("--keep-events", action="store_true",
                         help="keep every event in memory (the report does not need them; memory then grows with "
                              "the input)")
    analyze.add_argument("--state", metavar="FILE",
                         help="go on from this checkpoint if it exists, and write it (atomically, mode 0600) before "
                              f"the end-of-input flush, so the next run continues this one; ${STATE_KEY_VARIABLE} "
                              "authenticates it")
    correlation(analyze)
    analyze.set_defaults(run=_analyze)

    remediate = sub.add_parser("remediate", help="print the remediation strategies for an identity")
    inputs(remediate)
    remediate.add_argument("--identity", required=True, metavar="ARN", help="the user, role, session or instance")
    remediate.add_argument("--allow-cidr", action="append", metavar="CIDR",
                           help="network the identity may still be used from (repeatable); default: the addresses "
                                "it used before it was flagged")
    remediate.add_argument("--now", metavar="TIME", help="cut-off for revoking sessions (default: the clock)")
    remediate.add_argument("--json", action="store_true", help="print the plan as JSON")
    correlation(remediate)
    remediate.set_defaults(run=_remediate)

    policy = sub.add_parser("policy", help="a least-privilege IAM policy from what an identity used before it was flagged")
    inputs(policy)
    policy.add_argument("--identity", required=True, metavar="ARN", help="the user or role (a session stands for its role)")
    policy.add_argument("--flag-time", metavar="TIME",
                        help="usage from this time on is left out (default: when the identity's status began)")
    policy.add_argument("--current-policy", action="append", metavar="FILE",
                        help="the identity's current policy (JSON); the result never grants more (repeatable)")
    policy.add_argument("--compact", action="store_true", help="fold actions into wildcards that admit no unused action")
    policy.add_argument("--json", action="store_true", help="print the result as JSON")
    correlation(policy)
    policy.set_defaults(run=_policy)

    graph = sub.add_parser("graph", help="export the identity graph or answer a question about it")
    inputs(graph)
    graph.add_argument("--format", choices=["json", "cytoscape", "dot", "graphml"], default="json",
                       help="export format when no question is asked (default: node-link JSON, as networkx reads)")
    question = graph.add_mutually_exclusive_group()
    question.add_argument("--blast-radius", metavar="ARN", help="resources and actions touched by it and its sessions")
    question.add_argument("--paths", dest="paths_between", nargs=2, metavar=("FROM", "TO"),
                          help="paths from an entry point (IP, key id, instance or identity ARN) to a resource")
    question.add_argument("--chain", metavar="ARN", help="the chain behind a session")
    question.add_argument("--where-used", metavar="ARN", help="addresses, locations, user agents and keys")
    question.add_argument("--timeline", metavar="ARN", help="events and detections in time order")
    question.add_argument("--status", metavar="ARN", help="risk, status and reasons")
    graph.add_argument("--since", metavar="TIME", help="for --blast-radius and --timeline (RFC 3339)")
    correlation(graph)
    graph.set_defaults(run=_graph)

    live = sub.add_parser("watch", help="follow live sources and print each detection as it happens (NDJSON)")
    live.add_argument("paths", nargs="+", metavar="SOURCE",
                      help="a directory to follow for new CloudTrail files, - for NDJSON records or EventBridge "
                           "envelopes on standard input, or s3://BUCKET/PREFIX (needs identrail[aws])")
    live.add_argument("--format", choices=["json", "ocsf"], default="json",
                      help="identrail's detection lines, or OCSF Detection Finding (class 2004; no status lines)")
    live.add_argument("--output", metavar="FILE", help="append the lines to FILE instead of standard output")
    live.add_argument("--state", metavar="FILE",
                      help="go on from this checkpoint if it exists (files and objects already read are not read "
                           f"again) and keep it up to date; ${STATE_KEY_VARIABLE} authenticates it")
    live.add_argument("--state-every", type=float, default=60.0, metavar="SECONDS",
                      help="write the state this often (default 60), and always on exit")
    live.add_argument("--poll", type=float, default=2.0, metavar="SECONDS",
                      help="how often directories and S3 are listed (default 2)")
    live.add_argument("--settle", type=float, default=2.0, metavar="SECONDS",
                      help="a file is read once unchanged for this long (default 2): it may still be written")
    live.add_argument("--idle-timeout", type=float, default=60.0, metavar="SECONDS",
                      help="after this long without records, event time moves on with the clock, so absences fire")
    live.add_argument("--webhook", metavar="URL", help="also POST each line to URL (retried with backoff)")
    live.add_argument("--webhook-header", action="append", metavar="'NAME: VALUE'",
                      help="a header for the webhook (repeatable)")
    live.add_argument("--webhook-secret-file", metavar="FILE",
                      help=f"sign each body with the secret in FILE (default: ${WEBHOOK_SECRET_VARIABLE})")
    live.add_argument("--webhook-queue", type=int, default=10_000, metavar="N",
                      help="lines kept while the webhook is down (default 10000); beyond it the oldest are dropped")
    live.add_argument("--webhook-grace", type=float, default=5.0, metavar="SECONDS", help=argparse.SUPPRESS)
    live.add_argument("--gzip", choices=["libdeflate", "zlib"], default="libdeflate", help=argparse.SUPPRESS)
    live.add_argument("--input-format", choices=INPUT_FORMATS, default="auto",
                      help="read every document as this format (default auto)")
    live.add_argument("--detections-only", action="store_true",
                      help="run the rules and build no identity graph (faster): a status line then names only an "
                           "identity a detection names, not the sessions, roles and instances behind it")
    rule_options(live)
    live.set_defaults(run=_watch, keep_events=False)  # a live engine runs for days: it keeps no events

    ev = sub.add_parser("events", help="write the normalized events as JSON lines")
    inputs(ev)
    ev.add_argument("--format", choices=["flat", "ocsf"], default="flat",
                    help="identrail's flat form or OCSF API Activity (class 6003)")
    ev.set_defaults(run=_events)

    measure = sub.add_parser("bench", help="measure a rule pack on logs or generated traffic (docs/bench.md)")
    measure.add_argument("paths", nargs="*", metavar="PATH",
                         help="CloudTrail files or directories, read into memory first (default: the bundled sample)")
    measure.add_argument("--generate", type=_positive, metavar="N", help="measure on N generated events instead")
    measure.add_argument("--identities", type=_positive, metavar="M",
                         help="principals in the generated traffic (default 2000)")
    measure.add_argument("--seed", type=int, default=42, help="of the generated traffic (default 42)")
    measure.add_argument("--top", type=int, default=10, metavar="K", help="rules in the cost table (default 10)")
    measure.add_argument("--sampling", type=_positive, default=16, metavar="N",
                         help="time the rules on one evaluation in N (default 16)")
    measure.add_argument("--threads", type=_whole_number(256), default=1, metavar="N",
                         help="decoding threads (default 1: compare with N to see what more cores give)")
    measure.add_argument("--json", action="store_true", help="print the measurement as JSON")
    measure.add_argument("--pretty", action="store_true", help="indent JSON output")
    measure.add_argument("--input-format", choices=INPUT_FORMATS, default="auto", help=argparse.SUPPRESS)
    measure.add_argument("--gzip", choices=["libdeflate", "zlib"], default="libdeflate",
                         help="gzip decoder (default libdeflate)")
    rule_options(measure)
    measure.set_defaults(run=_bench)

    rules = sub.add_parser("rules", help="check rule files and list the rules that would run")
    rule_options(rules)
    rules.add_argument("--test", action="store_true", help="run the examples the rules carry (their tests:)")
    rules.add_argument("--gzip", default="libdeflate", help=argparse.SUPPRESS)
    rules.set_defaults(run=_rules)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # File names are bytes on Linux: print undecodable ones as the bytes they are.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="surrogateescape")
    try:
        return args.run(args)
    except Error as exc:
        print(f"identrail: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `identrail events | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
