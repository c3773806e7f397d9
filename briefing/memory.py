"""The translation memory: one SQLite file of English per source sentence, with its review
state and the history of every change.

Reads and writes ``$BRIEFING_HOME/memory.sqlite`` (or ``BRIEFING_MEMORY``, or a path
given with ``--memory``). Each entry is keyed by the SHA-256 of the sentence's normalised
Simplified text (`sentence_key`), never by a segment id, which changes with the segment
budget. An entry holds the machine English with the signature of the run that made it,
the current English, its status (``machine`` -> ``edited`` -> ``approved``), who made the
last change and when. Every change appends a row to ``history`` before the entry is
updated, in the same transaction: nothing is overwritten without keeping the old value.

A sentence a reviewer edited in a way that cannot be split back into sentences is
stored for its whole paragraph (``level`` ``paragraph``), keyed the same way by the
paragraph's text.

``briefings`` records what each generated briefing showed (per paragraph: its Chinese,
its English and the sentences it was made of), so that `briefing import-review` can tell
what a reviewer changed in Word from what the briefing already said.

What a reviewer says besides the English (`briefing review`): ``dismissals`` (a check's
flag on a sentence's English judged a false alarm, with the reason, who and when; it
holds only for the English it was judged on), ``comments`` (on a paragraph, keyed by its
text, exported as Word comments) and ``terms`` (glossary terms a reviewer added, which
every run with this memory enforces after the shipped glossary and --glossary files).

Concurrency and durability: WAL journal, ``synchronous=FULL`` (a change reported stored
survives the process being killed, and the machine losing power), every write in its
own ``BEGIN IMMEDIATE`` transaction, and a busy timeout, so a second process writing at
the same time waits for the first instead of failing or corrupting the file. The schema
is versioned (``PRAGMA user_version``) and migrated in code, in order (`MIGRATIONS`).

Opens nothing at import; the file and its folder are created on first use.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, get_args

from briefing.errors import InputError, OutputError
from briefing.model import ReviewStatus

Level = Literal["sentence", "paragraph"]
# "reverted": a reviewer put machine English back (revert, retranslate); "picked": a
# reviewer chose one of the model's alternatives
Action = Literal["machine", "retranslated", "edited", "reviewed", "approved", "imported",
                 "reverted", "picked"]  # fmt: skip
STATUSES: tuple[ReviewStatus, ...] = get_args(ReviewStatus)
HUMAN: tuple[ReviewStatus, ...] = ("edited", "approved")
MACHINE_WHO = "briefing"  # who a machine entry is by
FILE_NAME = "memory.sqlite"
BUSY_TIMEOUT_S = 60.0  # a second writer waits this long for the first before giving up
APPLICATION_ID = 0x42524D45  # "BRME": tells our SQLite files from other programs'
TEST_MODEL_SIGNATURE = "|test-model"  # appended to the signature of a test model's English

# Each migration is a name and its statements, applied in order, each in one
# transaction; the schema's version is the number applied (PRAGMA user_version).
MIGRATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "entries, their history, and what each briefing showed",
        (
            """CREATE TABLE entries (
                key TEXT PRIMARY KEY,        -- sentence_key of the normalised Simplified text
                level TEXT NOT NULL CHECK (level IN ('sentence', 'paragraph')),
                zh TEXT NOT NULL,            -- the Simplified text, as first stored
                en TEXT NOT NULL,            -- the current English
                status TEXT NOT NULL CHECK (status IN ('machine', 'edited', 'approved')),
                who TEXT NOT NULL,           -- who made the last change
                at TEXT NOT NULL,            -- when (ISO 8601, UTC)
                machine_en TEXT,             -- the model's English, if a model made one
                signature TEXT,              -- the run that made machine_en
                created TEXT NOT NULL,
                machine_pieces TEXT          -- JSON: machine_en of each segment the run cut
            )""",
            """CREATE TABLE history (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL REFERENCES entries(key),
                en TEXT NOT NULL,
                status TEXT NOT NULL,
                who TEXT NOT NULL,
                at TEXT NOT NULL,
                action TEXT NOT NULL,        -- machine, retranslated, edited, reviewed...
                signature TEXT,
                note TEXT                    -- where the change came from
            )""",
            "CREATE INDEX history_by_key ON history (key, id)",
            """CREATE TABLE briefings (
                id TEXT PRIMARY KEY,         -- the review id shown in the briefing
                created TEXT NOT NULL,
                source TEXT NOT NULL,
                signature TEXT NOT NULL,
                test_model INTEGER NOT NULL
            )""",
            """CREATE TABLE briefing_units (
                briefing TEXT NOT NULL REFERENCES briefings(id),
                unit TEXT NOT NULL,          -- paragraph id, e.g. s3.p5
                zh TEXT NOT NULL,            -- as shown
                analysis TEXT NOT NULL,      -- its Simplified copy
                en TEXT NOT NULL,            -- as shown (unlabelled)
                sentences TEXT NOT NULL,     -- JSON [[key or null, Simplified, English, status]]
                PRIMARY KEY (briefing, unit)
            )""",
        ),
    ),
    (
        "what a reviewer says besides the English: dismissed flags, comments, terms",
        (
            """CREATE TABLE dismissals (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL,           -- the sentence (or paragraph) key
                kind TEXT NOT NULL,          -- the flag's kind
                detail TEXT NOT NULL,        -- and its detail, as the check wrote it
                en TEXT NOT NULL,            -- the English it was judged on
                reason TEXT NOT NULL,
                who TEXT NOT NULL,
                at TEXT NOT NULL,
                withdrawn_by TEXT,           -- set when a reviewer restored the flag
                withdrawn_at TEXT
            )""",
            "CREATE INDEX dismissals_by_key ON dismissals (key, id)",
            """CREATE TABLE comments (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL,           -- sentence_key of the paragraph's Simplified text
                zh TEXT NOT NULL,
                text TEXT NOT NULL,
                who TEXT NOT NULL,
                at TEXT NOT NULL,
                deleted_by TEXT,
                deleted_at TEXT
            )""",
            "CREATE INDEX comments_by_key ON comments (key, id)",
            """CREATE TABLE terms (
                zh TEXT PRIMARY KEY,         -- as the report writes it
                en TEXT NOT NULL,
                who TEXT NOT NULL,
                at TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT ''
            )""",
        ),
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

_SPACE_RE = re.compile(r"\s+")
_LONE_SPACE_RE = re.compile(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")


# --- keys ----------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """What a key is made from: NFKC (full-width digits, letters and ，：（） read as
    ASCII), whitespace collapsed, and no space next to a Chinese character."""
    text = _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    return _LONE_SPACE_RE.sub("", text)


def sentence_key(text: str) -> str:
    """The memory's key of a Simplified sentence (or paragraph): SHA-256 of its
    normalised text, in hex."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def short_key(key: str) -> str:
    """The first 12 hex digits, as shown; `memory history` takes any unique prefix."""
    return key[:12]


def current_user() -> str:
    """The OS user, for --reviewer's default."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        return "unknown"


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def memory_path(given: Path | None = None) -> Path:
    """--memory, else BRIEFING_MEMORY, else $BRIEFING_HOME/memory.sqlite."""
    if given is not None:
        return Path(given).expanduser()
    env = os.environ.get("BRIEFING_MEMORY")
    if env:
        return Path(env).expanduser()
    from briefing.translate.resolve import briefing_home

    return briefing_home() / FILE_NAME


# --- what is stored ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    key: str
    level: Level
    zh: str
    en: str
    status: ReviewStatus
    who: str
    at: str
    machine_en: str | None
    signature: str | None
    created: str
    # the machine English of each segment the sentence was cut into, under `signature`
    machine_pieces: tuple[str, ...] | None = None

    @property
    def human(self) -> bool:
        return self.status in HUMAN

    @property
    def test_model(self) -> bool:
        """Machine English from a test model: gibberish, never to be approved."""
        return self.status == "machine" and (self.signature or "").endswith(TEST_MODEL_SIGNATURE)


@dataclass(frozen=True)
class Change:
    """One row of an entry's history: the English it had from then on, and why."""

    id: int
    key: str
    en: str
    status: ReviewStatus
    who: str
    at: str
    action: Action
    signature: str | None
    note: str | None


@dataclass(frozen=True)
class Write:
    """A change to make: the entry `key` gets `en` with `status`."""

    key: str
    zh: str
    en: str
    status: ReviewStatus
    action: Action
    who: str
    level: Level = "sentence"
    note: str | None = None
    at: str | None = None  # None: now
    signature: str | None = None  # for machine English: the run that made it
    pieces: tuple[str, ...] | None = None  # for machine English: each segment's


@dataclass(frozen=True)
class Shown:
    """One sentence of a paragraph as a briefing showed it."""

    key: str | None  # None for punctuation, which is never translated
    zh: str  # Simplified
    en: str
    status: ReviewStatus


@dataclass(frozen=True)
class ShownUnit:
    """One paragraph as a briefing showed it."""

    unit: str
    zh: str
    analysis: str
    en: str
    sentences: tuple[Shown, ...]


@dataclass(frozen=True)
class BriefingRecord:
    id: str
    created: str
    source: str
    signature: str
    test_model: bool
    units: Mapping[str, ShownUnit] = field(default_factory=dict)


@dataclass(frozen=True)
class Dismissal:
    """A flag a reviewer judged a false alarm, for the English `en` of sentence `key`."""

    id: int
    key: str
    kind: str
    detail: str
    en: str
    reason: str
    who: str
    at: str


@dataclass(frozen=True)
class Comment:
    """A reviewer's comment on a paragraph (keyed by the paragraph's text)."""

    id: int
    key: str
    zh: str
    text: str
    who: str
    at: str


@dataclass(frozen=True)
class MemoryTerm:
    """A glossary term a reviewer added: enforced by every run with this memory."""

    zh: str
    en: str
    who: str
    at: str
    note: str = ""


@dataclass(frozen=True)
class Stats:
    path: Path
    schema: int
    entries: Mapping[str, int]  # status -> count
    paragraph_entries: int
    changes: int
    briefings: int
    reviewers: tuple[str, ...]
    dismissals: int = 0
    comments: int = 0
    terms: int = 0


@dataclass(frozen=True)
class MemoryUse:
    """The memory as a run consults it: the file, and the signature of the run's
    English (machine English is reused only under the same signature)."""

    memory: Memory
    signature: str


# --- the file ------------------------------------------------------------------------------


class Memory:
    """An open translation memory. Use as a context manager, or call `close`."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not self.path.exists():
            if not create:
                raise InputError(
                    f"{self.path}: no translation memory there",
                    "it is made by the first `briefing generate` or `translate`; or pass "
                    "--memory FILE (or set BRIEFING_MEMORY) to use another",
                )
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(
                    f"cannot create {self.path.parent}: {exc.strerror}",
                    "pass --memory FILE in a folder you can write",
                ) from None
        if self.path.is_dir():
            raise InputError(f"{self.path} is a folder",
                             f"pass a file, e.g. --memory {self.path / FILE_NAME}")  # fmt: skip
        try:
            self._db = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S,
                                       isolation_level=None)  # fmt: skip
        except sqlite3.Error as exc:
            raise OutputError(
                f"cannot open {self.path}: {exc}", "pass --memory FILE in a folder you can write"
            ) from None
        self._db.row_factory = sqlite3.Row
        try:
            self._setup()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise InputError(
                f"{self.path} is not a translation memory ({exc})",
                "pass --memory with another file, or move this one away",
            ) from None
        except BaseException:
            self._db.close()
            raise

    def _setup(self) -> None:
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        # what the file is, before anything is written to it
        version = self._version()
        application = db.execute("PRAGMA application_id").fetchone()[0]
        if application != APPLICATION_ID and (version or self._has_tables()):
            raise sqlite3.DatabaseError("an SQLite database of another program")
        if version > SCHEMA_VERSION:
            raise InputError(
                f"{self.path}: its schema is version {version}, newer than this briefing "
                f"knows ({SCHEMA_VERSION})",
                "upgrade briefing (pip install -U briefing)",
            )
        db.execute("PRAGMA journal_mode = WAL").fetchone()
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
        if version < SCHEMA_VERSION:
            self._migrate()

    def _version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _has_tables(self) -> bool:
        return bool(self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])

    def _migrate(self) -> None:
        """Apply the migrations this file lacks, each in its own transaction; a second
        process migrating at the same time waits, then finds nothing left to do."""
        for number, (_, statements) in enumerate(MIGRATIONS, start=1):
            with self._transaction():
                if self._version() >= number:
                    continue
                for statement in statements:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self._db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (IMMEDIATE) so a concurrent writer waits
        on the busy timeout instead of failing on a lock upgrade."""
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.OperationalError as exc:  # read-only, disk full, locked too long
            raise OutputError(
                f"cannot write the translation memory {self.path}: {exc}",
                "check that the file and its folder are writable and that no other program "
                "holds it for minutes; or pass --memory FILE, or --no-memory",
            ) from exc

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # reading

    def get(self, key: str) -> Entry | None:
        row = self._db.execute("SELECT * FROM entries WHERE key = ?", (key,)).fetchone()
        return _entry(row) if row is not None else None

    def _rows_of(self, query: str, keys: Iterable[str]) -> Iterator[sqlite3.Row]:
        """The rows `query` gives for `keys`, its ``{keys}`` standing for their placeholders:
        in chunks of 500 keys (SQLite's limit on bound parameters), so a key's rows come
        together, in the query's order."""
        wanted = sorted(set(keys))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            yield from self._db.execute(query.format(keys=",".join("?" * len(chunk))), chunk)

    def lookup(self, keys: Iterable[str]) -> dict[str, Entry]:
        """The entries of `keys` that exist, by key."""
        rows = self._rows_of("SELECT * FROM entries WHERE key IN ({keys})", keys)
        return {row["key"]: _entry(row) for row in rows}

    def entries(self) -> Iterator[Entry]:
        for row in self._db.execute("SELECT * FROM entries ORDER BY created, key"):
            yield _entry(row)

    def history(self, key: str) -> list[Change]:
        rows = self._db.execute("SELECT * FROM history WHERE key = ? ORDER BY id", (key,))
        return [_change(row) for row in rows]

    def keys_starting(self, prefix: str) -> list[str]:
        rows = self._db.execute(
            "SELECT key FROM entries WHERE key >= ? AND key < ? ORDER BY key LIMIT 10",
            (prefix, prefix + "g"),  # hex digits sort below "g"
        )
        return [row["key"] for row in rows]

    def stats(self) -> Stats:
        db = self._db
        counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
        for row in db.execute("SELECT status, count(*) AS n FROM entries GROUP BY status"):
            counts[row["status"]] = row["n"]
        reviewers = tuple(
            row["who"]
            for row in db.execute(
                "SELECT DISTINCT who FROM history WHERE action NOT IN ('machine', "
                "'retranslated') ORDER BY who"
            )
        )
        return Stats(
            path=self.path,
            schema=self._version(),
            entries=counts,
            paragraph_entries=db.execute(
                "SELECT count(*) FROM entries WHERE level = 'paragraph'"
            ).fetchone()[0],
            changes=db.execute("SELECT count(*) FROM history").fetchone()[0],
            briefings=db.execute("SELECT count(*) FROM briefings").fetchone()[0],
            reviewers=reviewers,
            dismissals=db.execute(
                "SELECT count(*) FROM dismissals WHERE withdrawn_at IS NULL"
            ).fetchone()[0],
            comments=db.execute(
                "SELECT count(*) FROM comments WHERE deleted_at IS NULL"
            ).fetchone()[0],
            terms=db.execute("SELECT count(*) FROM terms").fetchone()[0],
        )

    # writing

    def write(self, changes: Sequence[Write]) -> list[Write]:
        """Make `changes` in one transaction (all or none); returns those that changed
        something (writing an entry's own English and status again is no change)."""
        made: list[Write] = []
        with self._transaction() as db:
            for change in changes:
                if _apply(db, change):
                    made.append(change)
        return made

    def store_machine(
        self, items: Sequence[tuple[str, str, Sequence[str]]], signature: str
    ) -> int:
        """Machine English made under `signature`, in one transaction: (key, Simplified
        text, the English of each segment the sentence was cut into). A reviewed entry is
        never touched; a machine entry made under another signature is replaced, its old
        English kept in the history. Returns how many entries changed."""
        if not items:
            return 0
        at = now()
        changes = [Write(key, zh, join_pieces(pieces), "machine", "machine", MACHINE_WHO,
                         at=at, signature=signature, pieces=tuple(pieces))
                   for key, zh, pieces in items]  # fmt: skip
        return len(self.write(changes))

    def record_briefing(
        self, record_id: str, source: str, signature: str, test_model: bool,
        units: Sequence[ShownUnit],
    ) -> None:  # fmt: skip
        """What a briefing showed, for `briefing import-review` to compare with."""
        with self._transaction() as db:
            db.execute("INSERT INTO briefings VALUES (?, ?, ?, ?, ?)",
                       (record_id, now(), source, signature, int(test_model)))  # fmt: skip
            db.executemany(
                "INSERT INTO briefing_units VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (record_id, u.unit, u.zh, u.analysis, u.en,
                     json.dumps([[s.key, s.zh, s.en, s.status] for s in u.sentences],
                                ensure_ascii=False))
                    for u in units
                ],
            )  # fmt: skip

    def briefing(self, record_id: str) -> BriefingRecord | None:
        db = self._db
        row = db.execute("SELECT * FROM briefings WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            return None
        units: dict[str, ShownUnit] = {}
        for u in db.execute("SELECT * FROM briefing_units WHERE briefing = ?", (record_id,)):
            sentences = tuple(Shown(k, zh, en, status)
                              for k, zh, en, status in json.loads(u["sentences"]))  # fmt: skip
            units[u["unit"]] = ShownUnit(u["unit"], u["zh"], u["analysis"], u["en"], sentences)
        return BriefingRecord(row["id"], row["created"], row["source"], row["signature"],
                              bool(row["test_model"]), units)  # fmt: skip

    def merge(self, incoming: Sequence[Entry], note: str) -> dict[str, int]:
        """Entries from another memory (a TMX file), in one transaction. A new sentence is
        added as it came; a reviewer's English replaces machine English, and replaces
        another reviewer's when it was changed later; machine English never replaces a
        reviewer's. Returns {"added", "updated", "unchanged", "kept"} counts ("kept": the
        memory's own English was newer, or a reviewer's)."""
        counts = dict.fromkeys(("added", "updated", "unchanged", "kept"), 0)
        with self._transaction() as db:
            for new in incoming:
                row = db.execute("SELECT * FROM entries WHERE key = ?", (new.key,)).fetchone()
                old = _entry(row) if row is not None else None
                if old is None:
                    db.execute(
                        "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (new.key, new.level, new.zh, new.en, new.status, new.who, new.at,
                         new.machine_en, new.signature, new.created,
                         _pieces_json(new.machine_pieces)),
                    )  # fmt: skip
                    counts["added"] += 1
                elif (old.en, old.status, old.signature) == (new.en, new.status, new.signature):
                    counts["unchanged"] += 1
                    continue
                elif (old.human and not new.human) or (old.human == new.human and old.at >= new.at):
                    counts["kept"] += 1
                    continue
                else:
                    db.execute(
                        "UPDATE entries SET en = ?, status = ?, who = ?, at = ?, level = ?, "
                        "machine_en = coalesce(?, machine_en), signature = coalesce(?, "
                        "signature), machine_pieces = coalesce(?, machine_pieces) "
                        "WHERE key = ?",
                        (new.en, new.status, new.who, new.at, new.level, new.machine_en,
                         new.signature, _pieces_json(new.machine_pieces), new.key),
                    )  # fmt: skip
                    counts["updated"] += 1
                db.execute(
                    "INSERT INTO history (key, en, status, who, at, action, signature, note) "
                    "VALUES (?, ?, ?, ?, ?, 'imported', ?, ?)",
                    (new.key, new.en, new.status, new.who, new.at, new.signature, note),
                )
        return counts

    # what a reviewer says besides the English

    def dismiss(
        self, key: str, kind: str, detail: str, en: str, reason: str, who: str
    ) -> Dismissal:
        """Record that the flag (`kind`, `detail`) on English `en` of sentence `key` is a
        false alarm, and why."""
        at = now()
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO dismissals (key, kind, detail, en, reason, who, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (key, kind, detail, en, reason, who, at),
            )
            number = int(cursor.lastrowid or 0)
        return Dismissal(number, key, kind, detail, en, reason, who, at)

    def withdraw_dismissal(self, number: int, who: str) -> bool:
        """The flag is shown again (the dismissal stays on record, withdrawn)."""
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE dismissals SET withdrawn_by = ?, withdrawn_at = ? "
                "WHERE id = ? AND withdrawn_at IS NULL",
                (who, now(), number),
            )
            return cursor.rowcount > 0

    def dismissals(self, keys: Iterable[str]) -> dict[str, list[Dismissal]]:
        """The dismissals in force for `keys`, oldest first, by key."""
        found: dict[str, list[Dismissal]] = {}
        query = ("SELECT * FROM dismissals WHERE key IN ({keys}) AND withdrawn_at IS NULL "
                 "ORDER BY id")
        for r in self._rows_of(query, keys):
            made = Dismissal(r["id"], r["key"], r["kind"], r["detail"], r["en"], r["reason"],
                             r["who"], r["at"])  # fmt: skip
            found.setdefault(r["key"], []).append(made)
        return found

    def add_comment(self, key: str, zh: str, text: str, who: str) -> Comment:
        at = now()
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO comments (key, zh, text, who, at) VALUES (?, ?, ?, ?, ?)",
                (key, zh, text, who, at),
            )
            number = int(cursor.lastrowid or 0)
        return Comment(number, key, zh, text, who, at)

    def delete_comment(self, number: int, who: str) -> bool:
        """The comment is no longer shown or exported (it stays on record, deleted)."""
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE comments SET deleted_by = ?, deleted_at = ? "
                "WHERE id = ? AND deleted_at IS NULL",
                (who, now(), number),
            )
            return cursor.rowcount > 0

    def comments(self, keys: Iterable[str]) -> dict[str, list[Comment]]:
        """The comments in force on the paragraphs `keys`, oldest first, by key."""
        found: dict[str, list[Comment]] = {}
        query = "SELECT * FROM comments WHERE key IN ({keys}) AND deleted_at IS NULL ORDER BY id"
        for r in self._rows_of(query, keys):
            made = Comment(r["id"], r["key"], r["zh"], r["text"], r["who"], r["at"])
            found.setdefault(r["key"], []).append(made)
        return found

    def add_term(self, zh: str, en: str, who: str, note: str = "") -> MemoryTerm:
        """A glossary term every later run with this memory enforces (a term added again
        replaces the earlier English)."""
        at = now()
        with self._transaction() as db:
            db.execute(
                "INSERT INTO terms (zh, en, who, at, note) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (zh) DO UPDATE SET en = excluded.en, who = excluded.who, "
                "at = excluded.at, note = excluded.note",
                (zh, en, who, at, note),
            )
        return MemoryTerm(zh, en, who, at, note)

    def terms(self) -> list[MemoryTerm]:
        rows = self._db.execute("SELECT * FROM terms ORDER BY zh")
        return [MemoryTerm(r["zh"], r["en"], r["who"], r["at"], r["note"]) for r in rows]

    def integrity(self) -> str:
        """SQLite's own check of the file: "ok" when it is sound."""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])


def _apply(db: sqlite3.Connection, change: Write) -> bool:
    """Record `change` in the history and the entry; False when it changes nothing."""
    at = change.at or now()
    row = db.execute("SELECT * FROM entries WHERE key = ?", (change.key,)).fetchone()
    machine = change.status == "machine"
    pieces = _pieces_json(change.pieces) if machine else None
    if row is None:
        db.execute(
            "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (change.key, change.level, change.zh, change.en, change.status, change.who, at,
             change.en if machine else None, change.signature, at, pieces),
        )  # fmt: skip
    else:
        old = _entry(row)
        if machine and old.human and change.action not in ("reverted", "picked", "retranslated"):
            return False  # a reviewer's English is never replaced by a model's, unasked
        same_signature = not machine or old.signature == change.signature
        if old.en == change.en and old.status == change.status and same_signature:
            return False
        action = change.action
        if machine and old.status == "machine" and action == "machine":
            action = "retranslated"
        change = replace(change, action=action, at=at)
        if machine:
            db.execute(
                "UPDATE entries SET en = ?, status = ?, who = ?, at = ?, machine_en = ?, "
                "signature = ?, machine_pieces = ? WHERE key = ?",
                (change.en, change.status, change.who, at, change.en, change.signature,
                 pieces, change.key),
            )  # fmt: skip
        else:
            db.execute(
                "UPDATE entries SET en = ?, status = ?, who = ?, at = ?, level = ? WHERE key = ?",
                (change.en, change.status, change.who, at, change.level, change.key),
            )
    db.execute(
        "INSERT INTO history (key, en, status, who, at, action, signature, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (change.key, change.en, change.status, change.who, at, change.action,
         change.signature, change.note),
    )  # fmt: skip
    return True


def join_pieces(pieces: Iterable[str]) -> str:
    """A sentence's English from its segments' (as `briefing.translate.join_english`)."""
    return " ".join(piece for piece in pieces if piece)


def _pieces_json(pieces: Sequence[str] | None) -> str | None:
    return json.dumps(list(pieces), ensure_ascii=False) if pieces is not None else None


def _entry(row: Any) -> Entry:
    pieces = row["machine_pieces"]
    return Entry(row["key"], row["level"], row["zh"], row["en"], row["status"], row["who"],
                 row["at"], row["machine_en"], row["signature"], row["created"],
                 tuple(json.loads(pieces)) if pieces is not None else None)  # fmt: skip


def _change(row: Any) -> Change:
    return Change(row["id"], row["key"], row["en"], row["status"], row["who"], row["at"],
                  row["action"], row["signature"], row["note"])  # fmt: skip


def find_entries(memory: Memory, key: str | None, text: str | None) -> list[Entry]:
    """The entries a user means: a key (or a unique prefix of at least 6 hex digits),
    or a Chinese text: its own entry, else its Simplified form's, else its sentences'."""
    if key is not None:
        prefix = key.strip().lower()
        if len(prefix) < 6 or not re.fullmatch(r"[0-9a-f]+", prefix):
            raise InputError(f"{key!r} is not a sentence hash",
                             "give at least 6 of its hex digits, or pass --text 中文")  # fmt: skip
        keys = memory.keys_starting(prefix)
        if len(keys) > 1:
            raise InputError(f"{key} is the start of {len(keys)}+ hashes",
                             "give more of its digits")  # fmt: skip
        entry = memory.get(keys[0]) if keys else None
        if entry is None:
            raise InputError(f"no sentence with the hash {key} in {memory.path}",
                             "pass --text 中文 to look it up by its Chinese")  # fmt: skip
        return [entry]
    from briefing.chinese import to_simplified
    from briefing.segment import split_sentences

    given = (text or "").strip()
    for candidate in dict.fromkeys((given, to_simplified(given))):
        entry = memory.get(sentence_key(candidate))
        if entry is not None:
            return [entry]
    found = memory.lookup(sentence_key(s) for s in split_sentences(to_simplified(given)))
    if not found:
        raise InputError(f"{given!r} is not in {memory.path}",
                         "give the sentence as the report has it, or check --memory")  # fmt: skip
    order = [sentence_key(s) for s in split_sentences(to_simplified(given))]
    return [found[k] for k in dict.fromkeys(order) if k in found]


def open_memory(path: Path | None = None, *, create: bool = True) -> Memory:
    """The memory at `path` (default: BRIEFING_MEMORY, then $BRIEFING_HOME/memory.sqlite)."""
    return Memory(memory_path(path), create=create)
