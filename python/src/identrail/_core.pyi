import os

__version__: str

class DecodeError:
    source: str
    location: str
    reason: str
    code: int

class Stats:
    total: int
    accepted: int
    rejected: int
    duplicates: int
    def as_dict(self) -> dict[str, int]: ...

class Event:
    id: str
    time_ns: int
    time: str
    provider: str
    account: str
    region: str
    event_source: str
    event_name: str
    event_type: str
    action: str
    action_origin: str
    actor_type: str
    actor_arn: str
    principal_id: str
    actor_account: str
    access_key_id: str
    user_name: str
    issuer_arn: str
    issuer_type: str
    session_name: str
    source_identity: str
    instance_id: str
    invoked_by: str
    mfa: bool | None
    session_created: str | None
    source: str
    source_kind: str
    user_agent: str
    success: bool
    error_code: str
    error_message: str
    read_only: bool | None
    category: str
    resources: list[str]
    raw: str
    def raw_field(self, path: str) -> str | None: ...
    def to_json(self, form: str = "flat") -> str: ...

class Engine:
    def __init__(self, deduplicate: bool = True, keep_raw: bool = True, gzip: str = "libdeflate",
                 max_errors: int = 1000, retain_events: bool = True, max_input_bytes: int = 1 << 30,
                 dedup_window_seconds: int = 3600, detect: bool = True,
                 rules: str | os.PathLike | list[str | os.PathLike] | None = None, builtin_rules: bool = False,
                 allowed_lateness_seconds: int = 900) -> None: ...
    def finish(self) -> None: ...
    @property
    def detections(self) -> list[dict]: ...
    @property
    def rules(self) -> list[dict]: ...
    @property
    def detection_stats(self) -> dict[str, int]: ...
    def feed(self, data: bytes, source: str = "<memory>") -> int: ...
    def feed_path(self, path: str | bytes | os.PathLike) -> int: ...
    @property
    def stats(self) -> Stats: ...
    @property
    def errors(self) -> list[DecodeError]: ...
    def __len__(self) -> int: ...
    def event(self, index: int) -> Event: ...
    def _columns(self, start: int = 0) -> dict[str, list]: ...
    def report_json(self) -> str: ...
    def report_text(self, top: int = 10) -> str: ...

def test_rules(engine: Engine) -> list[dict]: ...
def check_rules(paths: list[str | os.PathLike]) -> int: ...
def list_input_files(path: str | bytes | os.PathLike) -> list[str]: ...
