"""Find: a full-text index over the words people type, across all assessments.

What is searched: answer notes, the reasons given for "Not applicable" and "Met another way"
(answers.na_reason), action items (next step and note), officer and school notes, and the
names and descriptions of evidence files not removed (store/evidence.py; from schema 3 on:
on an older file `create_index` leaves out a source table that is not there yet, and the
migration that adds it rebuilds the index).

Layout (two layers, both kept current by triggers inside the same transaction as the edit):

- `search_items`: one row per non-empty text (assessment, kind, question or standard, the row
  it came from, the text). Our own triggers on answers, action_items, officers and schools
  keep it in step with every insert, update and delete, and ON DELETE CASCADE of an
  assessment deletes its rows through the same triggers.
- `search_items_fts`: an FTS5 index of `search_items.text`, made by sqlite-utils'
  `enable_fts(..., create_triggers=True)` (external content, porter stemming, diacritics
  folded so "Nguyen" finds "Nguyễn"); sqlite-utils' triggers keep it in step with
  `search_items`.

`answers` is a WITHOUT ROWID table, which an FTS5 external-content index cannot point at
directly; hence the small `search_items` table in between.

sqlite-utils is imported only to create or rebuild the index (the migration, or a repair at
open); checking the index at open and searching use plain sqlite3, so neither start-up nor a
search pays for the import. sqlite-utils >= 4.0 is required: on a connection already inside our
BEGIN IMMEDIATE it nests its own work in SAVEPOINTs, so a rebuild commits or rolls back as one;
3.x's `enable_fts` ran `executescript`, whose implicit COMMIT ended our transaction half-way.
`_checked` refuses to go on if the transaction is found ended after a sqlite-utils call.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

INDEX = "search_items"
FTS = "search_items_fts"
TOKENIZE = "porter unicode61 remove_diacritics 2"

KIND_LABELS = {
    "note": "Note",
    "na_reason": "Reason (Not applicable / Met another way)",
    "action": "Action item",
    "action_note": "Action item note",
    "officer_note": "Officer note",
    "school_note": "School note",
    "evidence": "Evidence file",
}

# What one source row puts in search_items, as "SELECT ..." over `r` (new. or old. in triggers,
# the table itself when rebuilding): assessment_id, kind, question_id, standard_id, ref_id,
# subject, text.
_ROW_VALUES = {
    "answers": [
        ("note", "{r}assessment_id, 'note', {r}question_id, '', NULL, '', {r}note",
         "{r}note != ''"),
        ("na_reason", "{r}assessment_id, 'na_reason', {r}question_id, '', NULL, '', "
         "{r}na_reason", "{r}na_reason != ''"),
    ],
    "action_items": [
        ("action", "{r}assessment_id, 'action', '', {r}standard_id, {r}id, '', {r}next_step",
         "{r}next_step != ''"),
        ("action_note", "{r}assessment_id, 'action_note', '', {r}standard_id, {r}id, "
         "{r}next_step, {r}note", "{r}note != ''"),
    ],
    "officers": [
        ("officer_note", "{r}assessment_id, 'officer_note', '', '', {r}id, {r}name, {r}note",
         "{r}note != ''"),
    ],
    "schools": [
        ("school_note", "{r}assessment_id, 'school_note', '', '', {r}id, {r}name, {r}note",
         "{r}note != ''"),
    ],
    "evidence": [
        ("evidence", "{r}assessment_id, 'evidence',"
         " CASE WHEN {r}kind = 'question' THEN {r}key ELSE '' END,"
         " CASE WHEN {r}standard_id != '' THEN {r}standard_id"
         " WHEN {r}kind = 'standard' THEN {r}key ELSE '' END,"
         " {r}id, {r}file_name, trim({r}file_name || ' ' || {r}description)",
         "{r}deleted_at IS NULL"),
    ],
}
_WATCHED = {  # columns whose change must refresh the index
    "answers": ("assessment_id", "question_id", "note", "na_reason"),
    "action_items": ("assessment_id", "standard_id", "next_step", "note"),
    "officers": ("assessment_id", "name", "note"),
    "schools": ("assessment_id", "name", "note"),
    "evidence": ("assessment_id", "kind", "key", "standard_id", "file_name", "description",
                 "deleted_at"),
}
_COLUMNS = "assessment_id, kind, question_id, standard_id, ref_id, subject, text"


def _trigger_names() -> set[str]:
    names = {f"{INDEX}_ai", f"{INDEX}_ad", f"{INDEX}_au"}  # sqlite-utils' own
    for table in _ROW_VALUES:
        names |= {f"search_{table}_ai", f"search_{table}_ad", f"search_{table}_au"}
    return names


def _insert_sql(table: str, prefix: str) -> list[str]:
    out = []
    for _kind, values, where in _ROW_VALUES[table]:
        source = "" if prefix else f" FROM {table}"
        out.append(
            f"INSERT INTO {INDEX} ({_COLUMNS}) SELECT {values.format(r=prefix)}{source}"
            f" WHERE {where.format(r=prefix)}"
        )
    return out


def _delete_sql(table: str) -> str:
    kinds = ", ".join(f"'{kind}'" for kind, _v, _w in _ROW_VALUES[table])
    if table == "answers":
        return (f"DELETE FROM {INDEX} WHERE assessment_id = old.assessment_id"
                f" AND question_id = old.question_id AND ref_id IS NULL AND kind IN ({kinds})")
    return f"DELETE FROM {INDEX} WHERE ref_id = old.id AND kind IN ({kinds})"


def _present(conn: sqlite3.Connection) -> list[str]:
    """The source tables this file has (evidence arrives with schema 3)."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [table for table in _ROW_VALUES if table in names]


def _source_triggers(tables: list[str]) -> list[str]:
    out = []
    for table in tables:
        inserts = "".join(f"  {sql};\n" for sql in _insert_sql(table, "new."))
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _WATCHED[table])
        delete = f"  {_delete_sql(table)};\n"
        out.append(f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN\n"
                   f"{inserts}END")
        out.append(f"CREATE TRIGGER search_{table}_au AFTER UPDATE ON {table} WHEN {changed}"
                   f" BEGIN\n{delete}{inserts}END")
        out.append(f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN\n"
                   f"{delete}END")
    return out


# --- creating, checking, rebuilding ------------------------------------------------------


def _checked(conn: sqlite3.Connection, step: str) -> None:
    if not conn.in_transaction:
        raise RuntimeError(
            f"the search index step {step!r} ended the store's transaction; sqlite-utils >= 4.0 "
            "is required"
        )


# Set while the store works out the layout its migrations make (opening._expected_layout): the
# index is derived data, rebuilt on open when missing or damaged, so it is not part of the
# layout a file is checked against, and building it there would load sqlite-utils at every open.
_skip_index = False


@contextmanager
def index_skipped() -> Iterator[None]:
    global _skip_index
    _skip_index = True
    try:
        yield
    finally:
        _skip_index = False


def is_index_table(name: str) -> bool:
    return name == INDEX or name.startswith(FTS)


def create_index(conn: sqlite3.Connection) -> None:
    """Create and fill the index. Runs inside the caller's transaction (a migration, a rebuild)."""
    if _skip_index:
        return
    import sqlite_utils

    if not conn.in_transaction:
        raise RuntimeError("create_index must run inside the store's transaction")
    # recursive_triggers=False: sqlite-utils would otherwise switch the pragma on for the
    # store's connection for good.
    db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
    db.create_table(
        INDEX,
        {"id": int, "assessment_id": int, "kind": str, "question_id": str, "standard_id": str,
         "ref_id": int, "subject": str, "text": str},
        pk="id",
        not_null={"assessment_id", "kind", "question_id", "standard_id", "subject", "text"},
        defaults={"question_id": "", "standard_id": "", "subject": "", "text": ""},
    )
    _checked(conn, "create_table")
    table = db.table(INDEX)
    table.create_index(["assessment_id", "question_id"], index_name=f"{INDEX}_answer")
    table.create_index(["ref_id", "kind"], index_name=f"{INDEX}_ref")
    sources = _present(conn)
    for source_table in sources:
        for sql in _insert_sql(source_table, ""):
            conn.execute(sql)
    table.enable_fts(["text"], create_triggers=True, tokenize=TOKENIZE)
    _checked(conn, "enable_fts")
    for sql in _source_triggers(sources):
        conn.execute(sql)


def drop_index(conn: sqlite3.Connection) -> None:
    """Remove every piece of the index that is there (inside the caller's transaction)."""
    for name in sorted(_trigger_names()):
        conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    try:
        conn.execute(f'DROP TABLE IF EXISTS "{FTS}"')
    except sqlite3.DatabaseError:
        # A shadow table is missing, so FTS5 cannot even open the table to drop it: put back
        # empty shadow tables of the right shape, then drop the whole thing.
        for suffix, columns in (("data", "id INTEGER PRIMARY KEY, block BLOB"),
                                ("idx", "segid, term, pgno, PRIMARY KEY(segid, term)"),
                                ("docsize", "id INTEGER PRIMARY KEY, sz BLOB"),
                                ("config", "k PRIMARY KEY, v")):
            exists = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = ?", (f"{FTS}_{suffix}",)).fetchone()
            if not exists:
                extra = " WITHOUT ROWID" if suffix in ("idx", "config") else ""
                conn.execute(f'CREATE TABLE "{FTS}_{suffix}" ({columns}){extra}')
        conn.execute(f'INSERT OR REPLACE INTO "{FTS}_config" (k, v) VALUES (\'version\', 4)')
        conn.execute(f'DROP TABLE IF EXISTS "{FTS}"')
    conn.execute(f'DROP TABLE IF EXISTS "{INDEX}"')


def rebuild_index(conn: sqlite3.Connection) -> None:
    drop_index(conn)
    create_index(conn)


def _expected_rows(conn: sqlite3.Connection) -> int:
    total = 0
    for table, entries in _ROW_VALUES.items():
        for _kind, _values, where in entries:
            total += conn.execute(
                f"SELECT count(*) FROM {table} WHERE {where.format(r='')}").fetchone()[0]
    return total


DEEP_CHECK_AT_OPEN_ROWS = 3000  # ~5 ms of FTS5 integrity check; a typical laptop holds far less


def index_problem(conn: sqlite3.Connection, *, counts: bool = True,
                  deep: bool | str = False) -> str | None:
    """Why the index cannot be trusted, or None when it is sound. Plain sqlite3.

    Always: every table and trigger is there (well under a millisecond: done at every open).
    `counts`: as many rows indexed as there are texts (~20 ms on 200 assessments with a note
    on every answer: done before the first search). `deep`: FTS5's own integrity check of the
    index against its content (~50 ms there; needs a writable connection); "if small": only
    when the index holds at most DEEP_CHECK_AT_OPEN_ROWS texts (done at open). Garbled index
    pages in a larger index make the first search fail, which rebuilds it then."""
    try:
        present = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE name = ? OR name = ? OR type = 'trigger'",
            (INDEX, FTS))}
        missing = ({INDEX, FTS} | _trigger_names()) - present
        if missing:
            return "missing: " + ", ".join(sorted(missing))
        if counts:
            indexed = conn.execute(f"SELECT count(*) FROM {INDEX}").fetchone()[0]
            expected = _expected_rows(conn)
            if indexed != expected:
                return f"{indexed} rows indexed, {expected} expected"
        if deep == "if small":
            largest = conn.execute(f"SELECT max(id) FROM {INDEX}").fetchone()[0] or 0
            deep = largest <= DEEP_CHECK_AT_OPEN_ROWS
        if deep:
            # rank 1: also compare the index with the content table (external content)
            conn.execute(f"INSERT INTO {FTS} ({FTS}, rank) VALUES ('integrity-check', 1)")
    except sqlite3.Error as error:
        return f"{type(error).__name__}: {error}"
    return None


# --- searching ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    assessment_id: int
    assessment_title: str
    as_of: date
    kind: str  # a key of KIND_LABELS
    question_id: str  # answers: the question; otherwise ""
    standard_id: str  # action items: the standard; otherwise ""
    ref_id: int | None  # action item, officer or school row id
    subject: str  # officer or school name; for an action item's note, its next step
    text: str
    snippet: str  # the text around the words found, the words in [brackets]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def words_of(query: str) -> list[str]:
    """The words of a query: FTS5 syntax (quotes, AND, NEAR, *) is never interpreted."""
    cleaned = "".join(ch if (ch.isalnum() or ch in "'-_") else " " for ch in query)
    return [w.strip("'-_") for w in cleaned.split() if w.strip("'-_")]


def match_expression(words: list[str]) -> str:
    """Every word must be there; each also matches as the start of a longer word."""
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


_HIT_COLUMNS = ("s.assessment_id, a.title, a.as_of, s.kind, s.question_id, s.standard_id,"
                " s.ref_id, s.subject, s.text")


def _hit(row: Any, snippet: str) -> SearchHit:
    return SearchHit(
        assessment_id=row[0], assessment_title=row[1], as_of=date.fromisoformat(row[2]),
        kind=row[3], question_id=row[4], standard_id=row[5], ref_id=row[6], subject=row[7],
        text=row[8], snippet=snippet,
    )


def search(conn: sqlite3.Connection, query: str, limit: int = 200) -> list[SearchHit]:
    """Hits for every word of `query` across all assessments not deleted, the most recently
    written first, from the index (sqlite3.DatabaseError if it cannot be read).

    Newest first rather than FTS5's bm25 rank: among short notes the rank says little, and
    computing it for thousands of matches cost 15-20 ms where this costs under 1 ms."""
    words = words_of(query)
    if not words:
        return []
    expression = match_expression(words)
    wanted = int(limit)
    fetch: int | None = wanted * 2 + 20  # room for texts of deleted assessments
    while True:
        found = conn.execute(
            f"SELECT {_HIT_COLUMNS} FROM"
            f" (SELECT rowid AS id FROM {FTS} WHERE {FTS} MATCH ? ORDER BY rowid DESC"
            " LIMIT ?) AS t"
            f" JOIN {INDEX} s ON s.id = t.id"
            " JOIN assessments a ON a.id = s.assessment_id AND a.deleted_at IS NULL"
            " ORDER BY s.id DESC LIMIT ?",
            (expression, -1 if fetch is None else fetch, wanted),
        ).fetchall()
        if len(found) >= wanted or fetch is None:
            break
        fetch = None  # fewer than wanted: maybe the cut above took some; look at all matches
    return [_hit(row, snippet(row[8], words)) for row in found]


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def snippet(text: str, words: list[str], width: int = 16) -> str:
    """The text around the first word found, the words found in [brackets]: each word of the
    text that starts with a query word (case and accents ignored), as the index matches."""
    prefixes = [_fold(w) for w in words]
    tokens = text.split()
    marked: list[str] = []
    first = None
    for index, token in enumerate(tokens):
        core = token.strip(".,;:!?()\"'[]{}")
        folded = _fold(core)
        if core and any(folded.startswith(p) for p in prefixes):
            start = token.index(core)
            token = f"{token[:start]}[{core}]{token[start + len(core):]}"
            first = index if first is None else first
        marked.append(token)
    if len(marked) <= width:
        return " ".join(marked)
    begin = max(0, min((first or 0) - width // 4, len(marked) - width))
    return (("… " if begin else "") + " ".join(marked[begin:begin + width])
            + (" …" if begin + width < len(marked) else ""))


def scan(conn: sqlite3.Connection, words: list[str], limit: int = 200) -> list[SearchHit]:
    """The same search without the index (plain LIKE over the source tables)."""
    parts = []
    for table, entries in _ROW_VALUES.items():
        for _kind, values, where in entries:
            parts.append(f"SELECT {values.format(r='')} FROM {table} WHERE {where.format(r='')}")
    union = " UNION ALL ".join(parts)
    likes = " AND ".join("s.text LIKE ? ESCAPE '\\'" for _ in words)
    args = ["%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            for w in words]
    found = conn.execute(
        f"WITH s ({_COLUMNS}) AS ({union}) SELECT {_HIT_COLUMNS} FROM s"
        " JOIN assessments a ON a.id = s.assessment_id AND a.deleted_at IS NULL"
        f" WHERE {likes} ORDER BY a.as_of DESC LIMIT ?",
        (*args, int(limit)),
    ).fetchall()
    return [_hit(row, snippet(row[8], words)) for row in found]
