"""The database layout and its linear chain of migrations.

`MIGRATIONS[i]` takes a database at schema version i to version i + 1. Never edit a migration
that has shipped: add a new function at the end. The store copies the file aside (SQLite backup
API) before running any migration on a file that already holds data, and runs each migration
with its version bump in one transaction, so a crash mid-way leaves the old version intact.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from nasro_desktop.store import files, search


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one inside the caller's transaction (executescript would COMMIT)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {buffer.strip()[:60]}")


def _v1_initial(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL DEFAULT '',
            agency TEXT NOT NULL DEFAULT '',
            district TEXT NOT NULL DEFAULT '',
            prepared_by TEXT NOT NULL DEFAULT '',
            as_of TEXT NOT NULL,                       -- ISO date
            form_id TEXT NOT NULL,
            form_version INTEGER NOT NULL,
            rapid_deployment_reading TEXT NOT NULL DEFAULT 'twice_a_year',
            last_page TEXT NOT NULL DEFAULT '',
            percent_answered INTEGER,                  -- cached by set_summary for the list
            verdict TEXT,
            created TEXT NOT NULL,                     -- ISO datetime, UTC
            updated TEXT NOT NULL,
            deleted_at TEXT                            -- soft delete; purged after 30 days
        );
        CREATE INDEX assessments_updated ON assessments(deleted_at, updated);

        CREATE TABLE answers (
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            value TEXT,                                -- JSON; NULL: not answered
            note TEXT NOT NULL DEFAULT '',
            na_reason TEXT NOT NULL DEFAULT '',
            flagged INTEGER NOT NULL DEFAULT 0,
            reconfirm INTEGER NOT NULL DEFAULT 0,
            updated TEXT NOT NULL,
            PRIMARY KEY (assessment_id, question_id)
        ) WITHOUT ROWID;

        CREATE TABLE officers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            name TEXT NOT NULL DEFAULT '',
            school TEXT NOT NULL DEFAULT '',
            sworn_date TEXT,
            years_experience INTEGER,
            assignment_date TEXT,
            basic_course_date TEXT,
            advanced_course_date TEXT,
            last_annual_training TEXT,
            last_rapid_deployment TEXT,
            probation_end TEXT,
            probation_review_with_school INTEGER,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX officers_assessment ON officers(assessment_id);

        CREATE TABLE schools (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            name TEXT NOT NULL DEFAULT '',
            enrollment INTEGER,
            buildings INTEGER,
            acreage REAL,
            calls_for_service INTEGER,
            sros_assigned INTEGER,
            non_sworn_safety_staff INTEGER,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX schools_assessment ON schools(assessment_id);

        CREATE TABLE action_items (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            standard_id TEXT NOT NULL DEFAULT '',
            next_step TEXT NOT NULL DEFAULT '',
            owner TEXT NOT NULL DEFAULT 'both',
            target_date TEXT,
            status TEXT NOT NULL DEFAULT 'open',
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX action_items_assessment ON action_items(assessment_id);

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL                        -- JSON
        );
        """
    )


def _v2_predecessors_and_search(conn: sqlite3.Connection) -> None:
    """Since last year: which assessment one was started from. Find: the full-text index
    (store/search.py, made with sqlite-utils inside this same transaction)."""
    run_script(
        conn,
        """
        CREATE TABLE predecessors (
            assessment_id INTEGER PRIMARY KEY REFERENCES assessments(id) ON DELETE CASCADE,
            predecessor_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE
        );
        CREATE INDEX predecessors_of ON predecessors(predecessor_id);
        """
    )
    search.create_index(conn)


EVIDENCE_SQL = """
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('standard', 'question', 'officer', 'school')),
    key TEXT NOT NULL,                         -- standard id, question id, officer/school id
    standard_id TEXT NOT NULL DEFAULT '',      -- the standard it was attached under
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,                      -- names the file in evidence/
    added TEXT NOT NULL,                       -- ISO datetime, UTC
    description TEXT NOT NULL DEFAULT '',
    valid_until TEXT,                          -- ISO date
    deleted_at TEXT                            -- removed, recoverable
);
CREATE INDEX evidence_assessment ON evidence(assessment_id, kind, key);
CREATE INDEX evidence_sha256 ON evidence(sha256);
"""


def _v3_evidence(conn: sqlite3.Connection) -> None:
    """Evidence files: one row per attached file; the contents live in evidence/ by hash
    (layout and reasons in store/evidence.py). Find then indexes their names and descriptions:
    the index is rebuilt with the new table's triggers."""
    run_script(conn, EVIDENCE_SQL)
    search.rebuild_index(conn)


def _v4_action_person(conn: sqlite3.Connection) -> None:
    """The person responsible for an action item (name and role, free text), beside the party."""
    conn.execute("ALTER TABLE action_items ADD COLUMN person TEXT NOT NULL DEFAULT ''")


# The chain. Schema version N means MIGRATIONS[:N] have run.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1_initial,
    _v2_predecessors_and_search,
    _v3_evidence,
    _v4_action_person,
]


def create_version_table(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER NOT NULL,"
        " app_version TEXT NOT NULL,"  # which app wrote this version: named in NewerDatabase
        " applied TEXT NOT NULL)"
    )


def read_version(conn: sqlite3.Connection) -> tuple[int, str]:
    """(schema version, app version that wrote it); (0, "") for a new, empty file."""
    if not files.has_table(conn, "schema_version"):
        return 0, ""
    row = conn.execute(
        "SELECT version, app_version FROM schema_version ORDER BY version DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return 0, ""
    if type(row[0]) is not int or row[0] < 0:
        # a damaged or hand-edited version row: never guess which layout the file has
        raise sqlite3.DatabaseError("malformed database schema: schema_version holds no number")
    return row[0], str(row[1])
