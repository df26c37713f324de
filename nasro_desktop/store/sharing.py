"""Sharing one assessment between the agency and the district, and merging the copy that comes
back (the three-way rule itself is domain/merge.py).

The exchange file is the export format's assessment document with what the other side needs to
merge it back:

    {"format": "nasro-desktop-exchange", "format_version": 1, "app_version": "...",
     "exchange": {"id": "<hex>", "round": 1, "kind": "share" or "return",
                  "from": {"party": "agency", "name": "...", "organisation": "..."},
                  "shared_at": "<ISO datetime>",
                  "row_keys": {"officers": ["b0", "n1", ...], "schools": [...],
                               "action_items": [...]},
                  "base": <the assessment as shared (export payload)>},
     "assessment": <the sender's assessment now (export payload)>,
     "sha256": "<hex of the canonical {"exchange", "assessment"}>"}

Both payloads are validated exactly as an import validates an export (every field, size and
limit). Rows are matched by where they came from: "b<i>" is row i of the copy as shared, "n<i>"
a row the sender added. Each side keeps, in its settings, a link record: the exchange's id and
round, the copy as shared and which of its own rows (database ids) stand for each shared row.

Merging never decides silently: `preview` says what differs; `merge` applies the choices in one
transaction after saving the assessment as it was, so `undo_merge` restores it in one step.
Evidence files are not exchanged (each side keeps its own).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nasro_desktop import __version__
from nasro_desktop.domain import merge
from nasro_desktop.domain.model import Assessment, Owner
from nasro_desktop.store import exchange, files, rows
from nasro_desktop.store.errors import ImportRefused, StoreError

if TYPE_CHECKING:
    import sqlite3

    from nasro_desktop.domain.model import Form
    from nasro_desktop.store.db import Store

FORMAT = "nasro-desktop-exchange"
FORMAT_VERSION = 1
ROW_KINDS = ("officers", "schools", "action_items")
DETAILS = ("title", "agency", "district", "prepared_by", "as_of", "rapid_deployment_reading")
_ANSWER_FIELDS = ("value", "note", "na_reason", "flagged", "reconfirm")
_TOP_KEYS = {"format", "format_version", "app_version", "exchange", "assessment", "sha256"}
_EXCHANGE_KEYS = {"id", "round", "kind", "from", "shared_at", "row_keys", "base"}


def link_key(assessment_id: int) -> str:
    return f"exchange:{assessment_id}"


def undo_key(assessment_id: int) -> str:
    return f"exchange-undo:{assessment_id}"


@dataclass(frozen=True)
class Sender:
    party: Owner
    name: str
    organisation: str

    def words(self) -> str:
        who = self.organisation or self.party.label
        return f"{who} ({self.name})" if self.name else who


@dataclass
class ExchangeFile:
    id: str
    round: int
    sender: Sender
    shared_at: datetime
    base: dict[str, Any]  # the assessment as shared (export payload)
    payload: dict[str, Any]  # the sender's assessment now (export payload)
    row_keys: dict[str, list[str]]
    assessment: Assessment  # `payload`, validated
    returned: bool = False  # a copy sent back (merged, never opened as a new copy)


@dataclass
class Preview:
    file: ExchangeFile
    plan: merge.MergePlan
    ours: merge.Snapshot
    theirs: merge.Snapshot
    our_ids: dict[str, dict[str, int]]  # kind -> row key -> our database id


# --- writing ---------------------------------------------------------------------------------


def _refuse(name: str, why: str) -> ImportRefused:
    return ImportRefused(f"The file {name} can't be opened as a shared assessment: {why}. "
                         "Nothing was changed.")


def link_of(store: Store, assessment_id: int) -> dict[str, Any] | None:
    value = store.get_setting(link_key(assessment_id))
    return value if isinstance(value, dict) else None


def _row_ids(assessment: Assessment) -> dict[str, list[int]]:
    return {kind: [int(r.id or 0) for r in getattr(assessment, kind)] for kind in ROW_KINDS}


def write_exchange(store: Store, assessment_id: int, dest: Path, *, party: Owner, name: str
                   ) -> Path:
    """Share (or, on a linked copy, send back) the assessment as an exchange file. Sharing
    starts a new round whose copy as shared is the assessment as it is now; sending back keeps
    the round and its copy as shared, so that the other side can merge it."""
    assessment = store.load_assessment(assessment_id)
    payload = exchange.assessment_payload(assessment)
    link = link_of(store, assessment_id)
    ids = _row_ids(assessment)
    sending_back = link is not None and link.get("role") == "linked"
    if sending_back:
        assert link is not None
        row_keys = {kind: [_key_for(link["ids"][kind], row_id, "n") for row_id in ids[kind]]
                    for kind in ROW_KINDS}
        record = dict(link)
        base = link["base"]
    else:
        row_keys = {kind: [f"b{i}" for i in range(len(ids[kind]))] for kind in ROW_KINDS}
        record = {
            "id": (link or {}).get("id") or uuid.uuid4().hex,
            "round": int((link or {}).get("round", 0)) + 1,
            "role": "sharer",
            "party": Owner(party).value,
            "base": payload,
            "round_sha256": exchange.checksum(payload),
            "base_keys": row_keys,
            "ids": _ids_by_key(row_keys, ids),
            "answered_by": (link or {}).get("answered_by", {}),
        }
        base = payload
    record["shared_at"] = datetime.now(UTC).isoformat()
    block = {
        "id": record["id"],
        "round": int(record["round"]),
        "kind": "return" if sending_back else "share",
        "from": {"party": Owner(party).value, "name": name,
                 "organisation": assessment.agency if Owner(party) is Owner.AGENCY
                 else assessment.district},
        "shared_at": record["shared_at"],
        "row_keys": row_keys,
        "base": base,
    }
    body = {"exchange": block, "assessment": payload}
    document = {"format": FORMAT, "format_version": FORMAT_VERSION, "app_version": __version__,
                **body, "sha256": exchange.checksum(body)}
    data = json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")
    read_exchange_bytes(data, dest.name)  # never write a file the other side would refuse
    if dest.is_dir():
        raise StoreError(f"{dest} is a folder. Choose a file name for the shared file.")
    if not dest.parent.is_dir():
        raise StoreError(f"The folder {dest.parent} does not exist. Choose another place.")
    try:
        files.publish(dest, data)
    except OSError as error:
        raise StoreError(f"Could not write {dest}: {files.why_not(error)}. Nothing was "
                         "written.") from error
    store.set_setting(link_key(assessment_id), record)
    return dest


def _ids_by_key(keys: dict[str, list[str]], ids: dict[str, list[int]]
                ) -> dict[str, dict[str, int]]:
    return {kind: dict(zip(keys[kind], ids[kind], strict=True)) for kind in ROW_KINDS}


def _key_for(ids: dict[str, int], row_id: int, new: str) -> str:
    """A row's key: the shared row it stands for, or `new` and its own id (a row added here)."""
    for key, known in ids.items():
        if known == row_id:
            return key
    return f"{new}{row_id}"


# --- reading ---------------------------------------------------------------------------------


def read_exchange(src: Path) -> ExchangeFile:
    try:
        size = src.stat().st_size
        if not src.is_file():
            raise _refuse(src.name, "it is not an ordinary file")
        if size > exchange.MAX_FILE_BYTES:
            raise _refuse(src.name, "it is too large")
        data = src.read_bytes()
    except FileNotFoundError:
        raise ImportRefused(f"The file {src} was not found. Nothing was changed.") from None
    except OSError as error:
        raise ImportRefused(f"The file {src} could not be read ({files.why_not(error)}). "
                            "Nothing was changed.") from error
    return read_exchange_bytes(data, src.name)


def _validated(payload: Any, name: str) -> Assessment:
    """The payload checked exactly as an import checks an export file."""
    inner = {"format": exchange.FORMAT, "format_version": 1, "app_version": __version__,
             "sha256": exchange.checksum(payload), "assessment": payload}
    try:
        return exchange.parse_full(exchange.canonical(inner), name)[0]
    except (TypeError, ValueError) as error:
        raise _refuse(name, "it has been changed or damaged") from error
    except ImportRefused as refused:
        why = str(refused).split(": ", 1)[-1].removesuffix(" Nothing was changed.").rstrip(".")
        raise _refuse(name, why) from None


def read_exchange_bytes(data: bytes, name: str) -> ExchangeFile:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refuse(name, "it is not a shared assessment from this app") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        if isinstance(document, dict) and document.get("format") == exchange.FORMAT:
            raise _refuse(name, "it is an ordinary export; use File > Import instead")
        raise _refuse(name, "it is not a shared assessment from this app")
    version = document.get("format_version")
    if type(version) is not int or version < 1:
        raise _refuse(name, "it is damaged (its format version is missing)")
    if version > FORMAT_VERSION:
        raise _refuse(name, "it was written by a newer version of this app; update the app "
                            "and open it again")
    if set(document) != _TOP_KEYS:
        raise _refuse(name, "it has been changed or damaged (unexpected content)")
    body = {"exchange": document["exchange"], "assessment": document["assessment"]}
    try:
        expected = exchange.checksum(body)
    except (TypeError, ValueError):
        raise _refuse(name, "it has been changed or damaged") from None
    if document["sha256"] != expected:
        raise _refuse(name, "it has been changed since it was written (checksum mismatch)")
    block = document["exchange"]
    if not isinstance(block, dict) or set(block) != _EXCHANGE_KEYS:
        raise _refuse(name, "it has been changed or damaged (unexpected content)")
    sender = block["from"]
    ok = (isinstance(block["id"], str) and len(block["id"]) == 32
          and all(c in "0123456789abcdef" for c in block["id"])
          and type(block["round"]) is int and 1 <= block["round"] <= 1_000_000
          and block["kind"] in ("share", "return")
          and isinstance(sender, dict) and set(sender) == {"party", "name", "organisation"}
          and sender["party"] in {o.value for o in Owner}
          and all(isinstance(sender[k], str) and len(sender[k]) <= exchange.MAX_SHORT
                  for k in ("name", "organisation"))
          and isinstance(block["shared_at"], str) and isinstance(block["row_keys"], dict)
          and set(block["row_keys"]) == set(ROW_KINDS))
    if not ok:
        raise _refuse(name, "it has been changed or damaged (its sharing details)")
    try:
        shared_at = datetime.fromisoformat(block["shared_at"])
    except ValueError:
        raise _refuse(name, "it has been changed or damaged (its date)") from None
    assessment = _validated(document["assessment"], name)
    _validated(block["base"], name)
    payload = document["assessment"]
    row_keys: dict[str, list[str]] = {}
    for kind in ROW_KINDS:
        keys = block["row_keys"][kind]
        base_count = len(block["base"][kind])
        if (not isinstance(keys, list) or len(keys) != len(payload[kind])
                or len(set(map(str, keys))) != len(keys)
                or not all(isinstance(k, str) and _good_key(k, base_count) for k in keys)):
            raise _refuse(name, "it has been changed or damaged (its rows)")
        row_keys[kind] = keys
    return ExchangeFile(
        id=block["id"], round=block["round"],
        sender=Sender(Owner(sender["party"]), sender["name"], sender["organisation"]),
        shared_at=shared_at, base=block["base"], payload=payload, row_keys=row_keys,
        assessment=assessment, returned=block["kind"] == "return")


def _good_key(key: str, base_count: int) -> bool:
    if key[:1] == "b" and key[1:].isdigit():
        return int(key[1:]) < base_count
    return key[:1] == "n" and key[1:].isdigit() and len(key) <= 20


# --- the receiving side -----------------------------------------------------------------------


def open_shared(store: Store, src: Path, *, party: Owner) -> int:
    """Open a shared file as a new, linked assessment on this computer; its id."""
    shared = read_exchange(src)
    exchange._check_form(shared.assessment, src.name)
    if shared.returned:
        raise _refuse(src.name, "it is a copy sent back; open it with Merge a returned "
                                "copy… in the assessment it was shared from")
    earlier: list[tuple[int, str]] = []
    for summary in store.list_assessments():
        link = link_of(store, summary.id)
        if link and link.get("id") == shared.id and link.get("role") == "linked":
            if int(link.get("round", 0)) >= shared.round:
                raise ImportRefused(
                    f"This shared assessment is already open here as \"{summary.title}\". Open "
                    "that one to go on answering. Nothing was changed.")
            earlier.append((summary.id, summary.title))
    created = store.create_assessment(shared.assessment)
    assert created.id is not None
    store.set_setting(link_key(created.id), {
        "id": shared.id, "round": shared.round, "role": "linked", "party": Owner(party).value,
        "peer": {"party": shared.sender.party.value, "name": shared.sender.name,
                 "organisation": shared.sender.organisation},
        "shared_at": shared.shared_at.isoformat(), "base": shared.base,
        "round_sha256": exchange.checksum(shared.base),
        "base_keys": shared.row_keys,
        "ids": _ids_by_key(shared.row_keys, _row_ids(created)),
        "answered_by": {qid: {"party": shared.sender.party.value, "name": shared.sender.name}
                        for qid, a in shared.assessment.answers.items() if a.has_value},
    })
    for old_id, title in earlier:  # a new round: the copy of the earlier one says so
        store.rename(old_id, f"{title} (earlier round)"[:200])
        store.set_setting(link_key(old_id), dict(link_of(store, old_id) or {}, role="superseded"))
    return created.id


# --- merging ----------------------------------------------------------------------------------


def snapshot(payload: dict[str, Any], keys: dict[str, list[str]]) -> merge.Snapshot:
    """An export payload as the merge's items, rows under the given keys."""
    out = merge.empty_snapshot()
    out["details"] = {k: {"value": payload[k]} for k in DETAILS}
    out["answers"] = {a["question_id"]: {f: a[f] for f in _ANSWER_FIELDS}
                      for a in payload["answers"]}
    for kind in ROW_KINDS:
        out[kind] = dict(zip(keys[kind], payload[kind], strict=True))
    return out


def preview(store: Store, assessment_id: int, src: Path, form: Form | None = None) -> Preview:
    """What merging the returned file would change; nothing is written."""
    returned = read_exchange(src)
    link = link_of(store, assessment_id)
    if not returned.returned:
        raise _refuse(src.name, "it is the file that was shared, not a copy sent back; open it "
                                "with Open a shared assessment…")
    if link is None or link.get("role") != "sharer":
        raise _refuse(src.name, "this assessment has not been shared, so there is nothing to "
                                "merge it with (open the assessment you shared)")
    if returned.id != link["id"]:
        raise _refuse(src.name, "it belongs to another assessment")
    if returned.round < int(link["round"]) or exchange.checksum(returned.base) != \
            link["round_sha256"]:
        raise _refuse(src.name, "it answers an earlier round of sharing; ask for the copy "
                                "answering the file you shared last")
    if returned.round > int(link["round"]):
        raise _refuse(src.name, "it belongs to a later round than this assessment knows")
    if returned.assessment.form_version != int(link["base"]["form_version"]):
        raise _refuse(src.name, "it was upgraded to another version of the question set; "
                                "upgrade this assessment the same way first")
    ours_a = store.load_assessment(assessment_id)
    our_payload = exchange.assessment_payload(ours_a)
    our_keys = {kind: [_key_for(link["ids"][kind], int(r.id or 0), "o")
                       for r in getattr(ours_a, kind)] for kind in ROW_KINDS}
    our_ids = {kind: dict(zip(our_keys[kind], (int(r.id or 0) for r in getattr(ours_a, kind)),
                              strict=True)) for kind in ROW_KINDS}
    their_keys = _their_keys(returned)
    base = snapshot(link["base"], link["base_keys"])
    ours = snapshot(our_payload, our_keys)
    theirs = snapshot(returned.payload, their_keys)
    return Preview(returned, merge.plan_merge(base, ours, theirs, form), ours, theirs, our_ids)


def _their_keys(returned: ExchangeFile) -> dict[str, list[str]]:
    """The returned rows' keys as this side knows them: a row the other side added is "t<id>"."""
    return {kind: [k if k[0] == "b" else "t" + k[1:] for k in returned.row_keys[kind]]
            for kind in ROW_KINDS}


def _payload_from(merged: merge.Snapshot, order: dict[str, list[str]], like: dict[str, Any]
                  ) -> dict[str, Any]:
    payload = dict(like)
    payload.update({k: item["value"] for k, item in merged["details"].items()})
    payload["answers"] = [
        {"question_id": qid, **item, "updated": None}
        for qid, item in sorted(merged["answers"].items())]
    for kind in ROW_KINDS:
        payload[kind] = [merged[kind][k] for k in order[kind]]
    return payload


def merge_file(store: Store, assessment_id: int, src: Path, *,
               choices: dict[str, merge.Side] | None = None,
               default: merge.Side | None = None, form: Form | None = None
               ) -> tuple[Preview, merge.MergeOutcome]:
    """Merge a returned copy: in one transaction after the assessment as it was is saved for
    `undo_merge`. A conflict without a choice and no `default` refuses the merge."""
    seen = preview(store, assessment_id, src, form)
    outcome = merge.apply_merge(seen.ours, seen.plan, choices, default=default)
    before = store.load_assessment(assessment_id)
    link = link_of(store, assessment_id)
    assert link is not None
    order = {kind: [k for k in seen.ours[kind] if k in outcome.merged[kind]]
             + [k for k in seen.theirs[kind] if k in outcome.merged[kind]
                and k not in seen.ours[kind]] for kind in ROW_KINDS}
    payload = _payload_from(outcome.merged, order, exchange.assessment_payload(before))
    merged_a = _validated(payload, src.name)
    for kind in ROW_KINDS:
        for row, key in zip(getattr(merged_a, kind), order[kind], strict=True):
            row.id = seen.our_ids[kind].get(key)
    now = rows.now_utc()
    for qid, answer in merged_a.answers.items():
        old = before.answers.get(qid)
        same = old is not None and all(getattr(old, f) == getattr(answer, f)
                                       for f in _ANSWER_FIELDS)
        answer.updated = old.updated if same and old is not None else now
    answered_by = dict(link.get("answered_by", {}))
    sender = seen.file.sender
    for diff, _side in outcome.replaced:
        if diff.kind == "answers" and outcome.merged["answers"].get(diff.key) == diff.theirs:
            answered_by[diff.key] = {"party": sender.party.value, "name": sender.name}
    for diff in seen.plan.taken:
        if diff.kind == "answers":
            answered_by[diff.key] = {"party": sender.party.value, "name": sender.name}
    # where the two sides disagreed, and how it was settled (for the full edition)
    settled = list(link.get("settled", [])) + [
        {"kind": d.kind, "key": d.key, "label": d.label, "ours": d.ours, "theirs": d.theirs,
         "kept": "theirs" if outcome.merged[d.kind].get(d.key) == d.theirs else "ours",
         "from": sender.words(), "at": now.isoformat()}
        for d in seen.plan.conflicts]
    undo = {"payload": exchange.assessment_payload(before), "ids": _row_ids(before),
            "link": link, "merged_at": now.isoformat(), "from": sender.words(),
            "merged": content_digest(exchange.assessment_payload(merged_a))}

    def work(conn: sqlite3.Connection) -> None:
        _put_setting(conn, undo_key(assessment_id), undo)
        replace_content(conn, assessment_id, merged_a)
        # the copy that came back is now what both sides agree on, as far as it was taken: the
        # reference for the next copy of this round (merging the same file again changes
        # nothing); written in the same transaction as the merge itself
        ids = {kind: dict(zip(order[kind], (row_id for (row_id,) in conn.execute(
            f"SELECT id FROM {kind} WHERE assessment_id = ? ORDER BY position, id",
            (assessment_id,))), strict=True)) for kind in ROW_KINDS}
        _put_setting(conn, link_key(assessment_id), dict(
            link, base=seen.file.payload, base_keys=_their_keys(seen.file), ids=ids,
            answered_by=answered_by, merged_at=now.isoformat(), settled=settled))

    store._write(work)  # noqa: SLF001 (the store's one write path)
    return seen, outcome


def content_digest(payload: dict[str, Any]) -> str:
    """What an assessment says, whatever the times its answers were saved."""
    answers = [{k: v for k, v in a.items() if k != "updated"} for a in payload["answers"]]
    return exchange.checksum(dict(payload, answers=answers))


class ChangedSinceMerge(StoreError):
    """Undoing the merge would also undo what was changed after it."""


def undo_merge(store: Store, assessment_id: int, *, force: bool = False) -> bool:
    """Put the assessment back as it was before the last merge; False when there is none.
    When something was changed after the merge, refuses (ChangedSinceMerge) unless `force`:
    undoing would lose that work too."""
    undo = store.get_setting(undo_key(assessment_id))
    if not isinstance(undo, dict):
        return False
    now = exchange.assessment_payload(store.load_assessment(assessment_id))
    if not force and content_digest(now) != undo.get("merged"):
        raise ChangedSinceMerge(
            "This assessment was changed after the merge. Undoing the merge now would also undo "
            "those changes. Nothing was changed.")
    before = _validated(undo["payload"], "the copy kept before the merge")
    for kind in ROW_KINDS:
        for row, row_id in zip(getattr(before, kind), undo["ids"][kind], strict=True):
            row.id = row_id

    def work(conn: sqlite3.Connection) -> None:
        replace_content(conn, assessment_id, before)
        _put_setting(conn, link_key(assessment_id), undo["link"])
        conn.execute("DELETE FROM settings WHERE key = ?", (undo_key(assessment_id),))

    store._write(work)  # noqa: SLF001
    return True


def _put_setting(conn: sqlite3.Connection, key: str, value: Any) -> None:
    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
                 " SET value = excluded.value", (key, json.dumps(value, ensure_ascii=False)))


def replace_content(conn: sqlite3.Connection, assessment_id: int, a: Assessment) -> list[int]:
    """Make the stored assessment say what `a` says, inside the caller's transaction: its
    details, every answer, and its rows (a row with an id keeps it, so evidence attached to an
    officer or a school stays attached; a row without one is added; a stored row `a` does not
    hold is removed)."""
    now = rows.now_utc().isoformat()
    cursor = conn.execute(
        "UPDATE assessments SET title = ?, agency = ?, district = ?, prepared_by = ?, as_of = ?,"
        " rapid_deployment_reading = ?, updated = ? WHERE id = ? AND deleted_at IS NULL",
        (a.title, a.agency, a.district, a.prepared_by, a.as_of.isoformat(),
         str(a.rapid_deployment_reading.value), now, assessment_id))
    if cursor.rowcount == 0:
        raise StoreError("That assessment is no longer in the list. Nothing was changed.")
    conn.execute("DELETE FROM answers WHERE assessment_id = ?", (assessment_id,))
    for answer in a.answers.values():
        conn.execute(
            "INSERT INTO answers (assessment_id, question_id, value, note, na_reason, flagged,"
            " reconfirm, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (assessment_id, answer.question_id, rows.dump_value(answer.value), answer.note,
             answer.na_reason, int(answer.flagged), int(answer.reconfirm),
             (answer.updated or rows.now_utc()).isoformat()))
    values = {"officers": rows.officer_values, "schools": rows.school_values,
              "action_items": rows.action_values}
    kept: list[int] = []
    for kind in ROW_KINDS:
        columns = rows.columns(kind)
        wanted = {int(r.id) for r in getattr(a, kind) if r.id is not None}
        for (stored,) in conn.execute(f"SELECT id FROM {kind} WHERE assessment_id = ?",
                                      (assessment_id,)).fetchall():
            if stored not in wanted:
                conn.execute(f"DELETE FROM {kind} WHERE id = ?", (stored,))
        for position, row in enumerate(getattr(a, kind)):
            data = values[kind](row)  # type: ignore[operator]
            if row.id is not None and conn.execute(
                    f"SELECT 1 FROM {kind} WHERE id = ? AND assessment_id = ?",
                    (row.id, assessment_id)).fetchone():
                sets = ", ".join(f"{c} = ?" for c in columns)
                conn.execute(f"UPDATE {kind} SET position = ?, {sets} WHERE id = ?",
                             (position, *data, row.id))
            else:
                names = ", ".join(("id", "assessment_id", "position", *columns))
                marks = ", ".join("?" * (len(columns) + 3))
                cursor = conn.execute(f"INSERT INTO {kind} ({names}) VALUES ({marks})",
                                      (row.id, assessment_id, position, *data))
                kept.append(int(cursor.lastrowid or 0))
    return kept


def provenance_of(store: Store, assessment_id: int) -> merge.Provenance | None:
    """Who gave each answer of a shared assessment (None when it is not shared): an answer
    that is as it was in the agreed copy keeps the party recorded for it; any other answer
    is this side's own."""
    link = link_of(store, assessment_id)
    if not link or link.get("role") not in ("sharer", "linked"):
        return None
    mine = Owner(link.get("party", Owner.AGENCY.value))
    agreed = {a["question_id"]: {f: a[f] for f in _ANSWER_FIELDS}
              for a in link["base"]["answers"]}
    recorded = link.get("answered_by", {})
    answered_by: dict[str, Owner] = {}
    for answer in exchange.assessment_payload(store.load_assessment(assessment_id))["answers"]:
        if answer["value"] in (None, ""):
            continue
        qid = answer["question_id"]
        same = agreed.get(qid) == {f: answer[f] for f in _ANSWER_FIELDS}
        answered_by[qid] = (Owner(recorded[qid]["party"]) if same and qid in recorded
                            else mine)
    settled = tuple(
        merge.Settled(question_id=s["key"], label=s["label"],
                      ours=(s["ours"] or {}).get("value"), theirs=(s["theirs"] or {}).get("value"),
                      kept=merge.Side(s["kept"]), other=s["from"])
        for s in link.get("settled", []) if s.get("kind") == "answers")
    return merge.Provenance(party=mine, answered_by=answered_by, settled=settled)
