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

Evidence files go with the file only when the sender asks (`with_evidence`): the exchange is
then a zip, as an export with evidence is (store/exchange.py, read with the same limits:
size caps, no path but `exchange.json` and `evidence/<sha256>`, no zip bombs), holding the
document above with format_version 2 and an "evidence" list (the export's records, inside the
checksum) and each file once, checked by its SHA-256 when it is stored. Evidence merges by
identity (what it supports and the file's SHA-256): a file either side already has, or had and
removed, is not added again; nothing of either side's is removed by a merge.
"""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nasro_desktop import __version__
from nasro_desktop.domain import carry, merge
from nasro_desktop.domain.dates import short_date
from nasro_desktop.domain.evidence import Evidence, EvidenceKind
from nasro_desktop.domain.forms import FormError, form_registry
from nasro_desktop.domain.model import Assessment, Owner
from nasro_desktop.store import evidence, exchange, files, rows
from nasro_desktop.store.errors import ImportRefused, StoreError

if TYPE_CHECKING:
    import sqlite3

    from nasro_desktop.domain.model import Form
    from nasro_desktop.store.db import Store

FORMAT = "nasro-desktop-exchange"
FORMAT_VERSION = 2  # the newest this app reads; 1 (no evidence) is still written without it
DOCUMENT = "exchange.json"  # the document's name inside a zip with evidence
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
    # the evidence records that came with it (an officer's or school's `key`: its place in
    # `payload`'s list), and the zip holding their files (None: no evidence with it)
    evidence: list[Evidence] = field(default_factory=list)
    source: Path | None = None
    # a new round: each row's key in the round before, as the other side knew it (None: new)
    previous: dict[str, list[str | None]] | None = None


@dataclass(frozen=True)
class EvidenceEdit:
    """A file both sides have (same identity) whose description or valid-until date differs:
    `taken` when only their side changed it (theirs is taken), else this side's is kept (both
    changed it, or the copy as shared does not say what it was)."""

    ours: Evidence
    theirs: Evidence
    taken: bool


@dataclass
class Preview:
    file: ExchangeFile
    plan: merge.MergePlan
    ours: merge.Snapshot
    theirs: merge.Snapshot
    our_ids: dict[str, dict[str, int]]  # kind -> row key -> our database id
    new_evidence: list[Evidence] = field(default_factory=list)  # files this side lacks
    form: Form | None = None  # the question set the merge is on
    upgrade_to: int | None = None  # merging moves ours to this version of the questions
    their_keys: dict[str, list[str]] = field(default_factory=dict)  # their rows, our keys
    evidence_edits: list[EvidenceEdit] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        """Something to show and merge (a file kept as yours is listed, so it counts)."""
        return bool(self.plan.changes_anything or self.new_evidence or self.upgrade_to
                    or self.evidence_edits)

    @property
    def next_round(self) -> bool:
        """The other side's next round, merged into this side's copy of the round before."""
        return not self.file.returned


# --- writing ---------------------------------------------------------------------------------


def _refuse(name: str, why: str) -> ImportRefused:
    return ImportRefused(f"The file {name} can't be opened as a shared assessment: {why}. "
                         "Nothing was changed.")


def link_of(store: Store, assessment_id: int) -> dict[str, Any] | None:
    value = store.get_setting(link_key(assessment_id))
    return value if isinstance(value, dict) else None


def _row_ids(assessment: Assessment) -> dict[str, list[int]]:
    return {kind: [int(r.id or 0) for r in getattr(assessment, kind)] for kind in ROW_KINDS}


def write_exchange(store: Store, assessment_id: int, dest: Path, *, party: Owner, name: str,
                   with_evidence: bool = False) -> Path:
    """Share (or, on a linked copy, send back) the assessment as an exchange file. Sharing
    starts a new round whose copy as shared is the assessment as it is now; sending back keeps
    the round and its copy as shared, so that the other side can merge it. With
    `with_evidence`, the evidence files go with it (a zip); a file missing or damaged here is
    left out and named in `store.last_left_out`."""
    assessment = store.load_assessment(assessment_id)
    payload = exchange.assessment_payload(assessment)
    link = link_of(store, assessment_id)
    ids = _row_ids(assessment)
    sending_back = link is not None and link.get("role") == "linked"
    if sending_back:
        assert link is not None
        if payload["title"] == link.get("title_here"):  # the title this side's copy was given
            payload["title"] = link["base"]["title"]
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
            "settled": (link or {}).get("settled", []),
            "evidence_base": _evidence_state(store.evidence.records(assessment_id)),
        }
        base = payload
    record["shared_at"] = datetime.now(UTC).isoformat()
    record["name"] = name  # this side's person, for "Answered by" (provenance_of)
    previous = _previous_keys(link, ids) if not sending_back else None
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
    if previous is not None:
        block["previous"] = previous
    body: dict[str, Any] = {"exchange": block, "assessment": payload}
    files.check_dest(dest, "Choose a file name for the shared file.")
    store.last_left_out = []
    try:
        if with_evidence:
            exchange.write_package(
                store, assessment, store.evidence.records(assessment_id), dest, DOCUMENT,
                lambda records: _document_bytes(body | {"evidence": records}),
                lambda tmp, _records: read_exchange(tmp, check_files=True, name=dest.name),
                "shared")
        else:
            data = _document_bytes(body)
            read_exchange_bytes(data, dest.name)  # never write a file the other side refuses
            files.publish(dest, data)
    except OSError as error:
        raise StoreError(f"Could not write {dest}: {files.why_not(error)}. Nothing was "
                         "written.") from error
    store.set_setting(link_key(assessment_id), record)
    return dest


def _document_bytes(body: dict[str, Any]) -> bytes:
    version = 2 if "evidence" in body else 1
    return exchange.document_bytes({"format": FORMAT, "format_version": version,
                                    "app_version": __version__, **body,
                                    "sha256": exchange.checksum(body)})


def _previous_keys(link: dict[str, Any] | None, ids: dict[str, list[int]]
                   ) -> dict[str, list[str | None]] | None:
    """A new round's rows as the other side knew them in the round before (so that it can
    merge this round into its copy of that one): a row of the copy shared then is "b<i>", a
    row the other side added and this side merged is "n<its id there>", a row new here is
    None. None for a first round."""
    if link is None or link.get("role") != "sharer":
        return None
    known = {kind: {row_id: key for key, row_id in link["ids"][kind].items()}
             for kind in ROW_KINDS}

    def theirs(key: str | None) -> str | None:
        if key is None:
            return None
        if key[0] == "b":
            return key
        return "n" + key[1:] if key[0] == "t" else None

    return {kind: [theirs(known[kind].get(row_id)) for row_id in ids[kind]]
            for kind in ROW_KINDS}


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


def read_exchange(src: Path, *, check_files: bool = False, name: str | None = None
                  ) -> ExchangeFile:
    """The exchange file at `src`, checked (a zip with evidence: its structure, limits and
    records; with `check_files`, every file's SHA-256 too)."""
    if exchange.is_package(src):
        return _read_zip(src, name or src.name, check_files)
    return read_exchange_bytes(exchange.read_capped(src, "a shared assessment", "changed"),
                               src.name)


def _read_zip(src: Path, name: str, check_files: bool) -> ExchangeFile:
    """A zip with evidence, read with the same suspicion as an export with evidence
    (store/exchange.py): only `exchange.json` and `evidence/<sha256>`, the size and
    count caps, no zip bomb (ratio, overlap), each member read no further than it declares."""
    with _in_shared_words(name), exchange.open_zip(src) as handle:
        with exchange.zip_file(handle, name) as zf:
            data, members = exchange.zip_document(zf, name, DOCUMENT, "a shared file",
                                                  "a shared assessment", _refuse)
            shared = read_exchange_bytes(data, name, in_zip=True)
            exchange.check_members(zf, name, shared.evidence, members, check_files)
    shared.source = src
    return shared


@contextlib.contextmanager
def _in_shared_words(name: str) -> Iterator[None]:
    """An export's refusal (exchange.py's checks, reused) said as a shared file's."""
    try:
        yield
    except ImportRefused as refused:
        if str(refused).startswith("The file " + name + " can't be opened as a shared"):
            raise
        raise _refuse(name, exchange.why_refused(refused).removesuffix(". Nothing was imported")
                      ) from None


@contextlib.contextmanager
def _files_stored(store: Store, shared: ExchangeFile) -> Iterator[None]:
    """The evidence files that came with `shared` in the evidence folder for the block that
    records them (exchange.files_stored: removed again if it fails)."""
    if not shared.evidence or shared.source is None:
        yield
        return
    name = shared.source.name
    failed = f"Could not store the evidence files of {name}: {{}}. Nothing was changed."
    with _in_shared_words(name), exchange.files_stored(store, shared.source, shared.evidence,
                                                       failed):
        yield


def _validated(payload: Any, name: str) -> Assessment:
    """The payload checked exactly as an import checks an export file's."""
    if not isinstance(payload, dict):
        raise _refuse(name, "it has been changed or damaged (unexpected content)")
    return exchange.assessment_of(payload, 1, name, _refuse)[0]


def read_exchange_bytes(data: bytes, name: str, *, in_zip: bool = False) -> ExchangeFile:
    document = exchange.load_json(data, name, "a shared assessment", _refuse)
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
    with_files = version >= 2  # evidence with it: only ever inside a zip
    if with_files and not in_zip:
        raise _refuse(name, "it lists evidence files that are not with it (send the whole "
                            "shared file, as it was written)")
    if set(document) != _TOP_KEYS | ({"evidence"} if with_files else set()):
        raise _refuse(name, "it has been changed or damaged (unexpected content)")
    body = {"exchange": document["exchange"], "assessment": document["assessment"]}
    if with_files:
        body["evidence"] = document["evidence"]
    try:
        expected = exchange.checksum(body)
    except (TypeError, ValueError):
        raise _refuse(name, "it has been changed or damaged") from None
    if document["sha256"] != expected:
        raise _refuse(name, "it has been changed since it was written (checksum mismatch)")
    block = document["exchange"]
    if not isinstance(block, dict) or set(block) - {"previous"} != _EXCHANGE_KEYS:
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
    previous = _previous_of(block, payload, name)
    records: list[Evidence] = []
    if with_files:
        try:
            records = exchange.evidence_records(document["evidence"], assessment)
        except exchange._Bad as bad:  # noqa: SLF001 (the import's own check)
            raise _refuse(name, str(bad)) from None
    return ExchangeFile(
        id=block["id"], round=block["round"],
        sender=Sender(Owner(sender["party"]), sender["name"], sender["organisation"]),
        shared_at=shared_at, base=block["base"], payload=payload, row_keys=row_keys,
        assessment=assessment, returned=block["kind"] == "return", evidence=records,
        previous=previous)


def _previous_of(block: dict[str, Any], payload: dict[str, Any], name: str
                 ) -> dict[str, list[str | None]] | None:
    """A new round's "previous" keys (see _previous_keys), checked: one per row, each a
    plain key at most once."""
    if "previous" not in block:
        return None
    value = block["previous"]
    if block["kind"] != "share" or not isinstance(value, dict) or set(value) != set(ROW_KINDS):
        raise _refuse(name, "it has been changed or damaged (its earlier rows)")
    out: dict[str, list[str | None]] = {}
    for kind in ROW_KINDS:
        keys = value[kind]
        named = [k for k in keys if k is not None] if isinstance(keys, list) else []
        if (not isinstance(keys, list) or len(keys) != len(payload[kind])
                or len(set(map(str, named))) != len(named)
                or not all(isinstance(k, str) and k[:1] in ("b", "n") and k[1:].isdigit()
                           and k[1:].isascii() and len(k) <= 20 for k in named)):
            raise _refuse(name, "it has been changed or damaged (its earlier rows)")
        out[kind] = keys
    return out


def _good_key(key: str, base_count: int) -> bool:
    if key[:1] == "b" and key[1:].isdigit():
        return int(key[1:]) < base_count
    return key[:1] == "n" and key[1:].isdigit() and len(key) <= 20


# --- the receiving side -----------------------------------------------------------------------


class EarlierRoundHere(ImportRefused):
    """The next round of a file shared with this side, whose copy of the round before is
    here: merge it into that copy (preview/merge_file), or open it as a separate copy."""

    def __init__(self, assessment_id: int, title: str) -> None:
        self.assessment_id, self.title = assessment_id, title
        super().__init__(
            f"You already have the earlier round of this shared assessment here, as "
            f"\"{title}\". Merge this round into it, so that your answers stay in one copy, or "
            "open it as a separate copy. Nothing was changed.")


def open_shared(store: Store, src: Path, *, party: Owner, separate: bool = False) -> int:
    """Open a shared file as a new, linked assessment on this computer; its id. When this
    side's copy of the round before is here, refuses (EarlierRoundHere: merge into it instead)
    unless `separate`, or the file cannot say how its rows match that copy."""
    shared = read_exchange(src)
    _check_questions(shared.assessment, src.name)
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
    if earlier and not separate and shared.previous is not None:
        raise EarlierRoundHere(*earlier[-1])
    titles = {summary.title for summary in store.list_assessments()}
    assessment = shared.assessment
    if assessment.title in titles:  # e.g. opened in the folder it was shared from
        who = shared.sender.name.strip() or shared.sender.party.label
        mark = f" (shared by {who} on {short_date(shared.shared_at.date())})"
        assessment = dataclasses.replace(assessment, title=assessment.title[:200 - len(mark)]
                                         + mark)
    with _files_stored(store, shared):
        created = store.create_assessment(assessment, evidence=shared.evidence)
    assert created.id is not None
    store.set_setting(link_key(created.id), {
        "id": shared.id, "round": shared.round, "role": "linked", "party": Owner(party).value,
        "peer": {"party": shared.sender.party.value, "name": shared.sender.name,
                 "organisation": shared.sender.organisation},
        "shared_at": shared.shared_at.isoformat(), "base": shared.base,
        "title_here": assessment.title,
        "evidence_base": _evidence_state(store.evidence.records(created.id)),
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
    """What merging the file would change; nothing is written. The file is the copy the
    other side sent back (into the assessment shared from here), or the next round the other
    side shared (into this side's copy of the round before: see `next_round_keys`)."""
    returned = read_exchange(src)
    link = link_of(store, assessment_id)
    if link is not None and link.get("role") == "linked" and not returned.returned:
        _check_next_round(returned, link, src.name)
        their_keys = next_round_keys(returned)
    else:
        if not returned.returned:
            raise _refuse(src.name, "it is the file that was shared, not a copy sent back; open "
                                    "it with Open a shared assessment…")
        if link is None or link.get("role") != "sharer":
            raise _refuse(src.name, "this assessment has not been shared, so there is nothing "
                                    "to merge it with (open the assessment you shared)")
        if returned.id != link["id"]:
            raise _refuse(src.name, "it belongs to another assessment")
        if returned.round < int(link["round"]) or exchange.checksum(returned.base) != \
                link["round_sha256"]:
            raise _refuse(src.name, "it answers an earlier round of sharing; ask for the copy "
                                    "answering the file you shared last")
        if returned.round > int(link["round"]):
            raise _refuse(src.name, "it belongs to a later round than this assessment knows")
        their_keys = _their_keys(returned)
    # a row added here: "n<id>" as the next round names it (see next_round_keys), else "o<id>"
    mine = "n" if not returned.returned else "o"
    ours_a = store.load_assessment(assessment_id)
    our_payload = exchange.assessment_payload(ours_a)
    # one side moved its copy to a newer version of the questions: the other copies (as shared
    # and ours) are moved the same way, in memory, as Upgrade the questions moves a saved one;
    # the merge then saves ours on that version (undo_merge puts the older one back)
    version = max(int(link["base"]["form_version"]), ours_a.form_version,
                  returned.assessment.form_version)
    _check_questions(returned.assessment, src.name, "merge it again")
    new_form = _question_set(returned.assessment.form_id, version, ours_a.form_id, src.name)
    if form is None or form.version != version:
        form = new_form
    base_payload = _on_version(link["base"], new_form)
    our_payload = _on_version(our_payload, new_form)
    their_payload = _on_version(returned.payload, new_form)
    our_keys = {kind: [_key_for(link["ids"][kind], int(r.id or 0), mine)
                       for r in getattr(ours_a, kind)] for kind in ROW_KINDS}
    our_ids = {kind: dict(zip(our_keys[kind], (int(r.id or 0) for r in getattr(ours_a, kind)),
                              strict=True)) for kind in ROW_KINDS}
    base = snapshot(base_payload, link["base_keys"])
    ours = snapshot(our_payload, our_keys)
    theirs = snapshot(their_payload, their_keys)
    plan = merge.plan_merge(base, ours, theirs, form)
    held = {(r.kind, r.key, r.sha256) for r in store.evidence.records(assessment_id)
            + store.evidence.records(assessment_id, removed=True)}  # evidence by identity
    new = [r for r, key in _their_evidence(returned, their_keys, our_ids)
           if key is None or (r.kind, key, r.sha256) not in held]
    return Preview(returned, plan, ours, theirs, our_ids, new, form,
                   version if version > ours_a.form_version else None, their_keys,
                   _evidence_edits(store, assessment_id, link, returned, their_keys, our_ids))


def _ident(kind: EvidenceKind, key: str, sha256: str) -> str:
    return f"{kind.value}|{key}|{sha256}"


def _look(record: Evidence) -> list[str | None]:
    """What a side may edit on a file both have: its description and valid-until date."""
    return [record.description,
            record.valid_until.isoformat() if record.valid_until is not None else None]


def _evidence_state(records: list[Evidence]) -> dict[str, list[str | None]]:
    """The evidence as agreed (kept with the link): each file's identity -> `_look`."""
    return {_ident(r.kind, r.key, r.sha256): _look(r) for r in records}


def _evidence_edits(store: Store, assessment_id: int, link: dict[str, Any],
                    returned: ExchangeFile, their_keys: dict[str, list[str]],
                    our_ids: dict[str, dict[str, int]]) -> list[EvidenceEdit]:
    """Three-way, as answers are: against the evidence as agreed (the link's), a file whose
    description or date only they changed is taken; changed on both sides (or no record
    of it as agreed), this side's is kept and listed."""
    base = link.get("evidence_base", {})
    here = {(r.kind, r.key, r.sha256): r for r in store.evidence.records(assessment_id)}
    out: list[EvidenceEdit] = []
    for record, key in _their_evidence(returned, their_keys, our_ids):
        mine = here.get((record.kind, key, record.sha256)) if key is not None else None
        if mine is None or _look(mine) == _look(record):
            continue
        agreed = base.get(_ident(record.kind, mine.key, record.sha256))
        if agreed == _look(record):
            continue  # only this side changed it: ours stays, nothing to say
        out.append(EvidenceEdit(mine, record, taken=agreed == _look(mine)))
    return out


def _check_questions(assessment: Assessment, name: str, then: str = "open it again") -> None:
    """The file's question set is one this app has (else: update the app), and every answer
    is one its question allows (a file edited by hand never buys a status), as import checks."""
    registry = form_registry()
    if registry.knows(assessment.form_id) and not registry.knows(assessment.form_id,
                                                                 assessment.form_version):
        raise _refuse(name, f"it uses version {assessment.form_version} of the questions, which "
                            f"this copy of the app does not have yet; update the app, then {then}")
    try:
        exchange._check_form(assessment, name)  # noqa: SLF001 (the import's own check)
    except ImportRefused as refused:
        raise _refuse(name, exchange.why_refused(refused)) from None


def _question_set(form_id: str, version: int, ours: str, name: str) -> Form:
    """The question set both copies are merged on; refused when it is another set, or a
    version this app does not have yet (the other side's app is newer)."""
    if form_id != ours:
        raise _refuse(name, f"it uses another question set ({form_id}) than this assessment")
    registry = form_registry()
    if not registry.knows(form_id, version):
        raise _refuse(name, f"it uses version {version} of the questions, which this copy of "
                            "the app does not have yet; update the app, then merge it again")
    try:
        return registry.get(form_id, version)
    except FormError:
        raise _refuse(name, f"version {version} of the questions can't be read here; update "
                            "the app, then merge it again") from None


def _on_version(payload: dict[str, Any], form: Form) -> dict[str, Any]:
    """An export payload moved to `form` (a newer version of its question set) as Upgrade the
    questions moves a saved assessment: each answer follows `replaces` (domain/carry.py)."""
    if int(payload["form_version"]) >= form.version:
        return payload

    old = _validated(payload, "the copy as shared")
    return exchange.assessment_payload(dataclasses.replace(
        old, answers=carry.upgraded_answers(old, form), form_version=form.version))


def _their_evidence(returned: ExchangeFile, their_keys: dict[str, list[str]],
                    ids: dict[str, dict[str, int]]) -> list[tuple[Evidence, str | None]]:
    """Each record that came back, with what it supports as this side names it: a question or
    standard id as it is; an officer or school as our row's id (None: a row not here)."""
    out: list[tuple[Evidence, str | None]] = []
    for record in returned.evidence:
        if record.kind in (EvidenceKind.OFFICER, EvidenceKind.SCHOOL):
            kind = "officers" if record.kind is EvidenceKind.OFFICER else "schools"
            row_id = ids[kind].get(their_keys[kind][int(record.key)])
            out.append((record, None if row_id is None else str(row_id)))
        else:
            out.append((record, record.key))
    return out


def _check_next_round(shared: ExchangeFile, link: dict[str, Any], name: str) -> None:
    """Can this side's copy take the next round of the file shared with it?"""
    if shared.id != link["id"]:
        raise _refuse(name, "it belongs to another assessment")
    if shared.round <= int(link["round"]):
        raise _refuse(name, "this round is already in this assessment (or a later one is)")
    if shared.previous is None:
        raise _refuse(name, "it was written by an older version of the app, which does not "
                            "say how its rows match your copy's; open it as a separate copy")


def next_round_keys(shared: ExchangeFile) -> dict[str, list[str]]:
    """The rows of the next round as this side's copy knows them: the key each had in the
    round before ("b<i>": a row shared then; "n<id>": a row this side added), or "t<place>"
    for a row new since."""
    assert shared.previous is not None
    return {kind: [key if key is not None else f"t{place}"
                   for place, key in enumerate(shared.previous[kind])] for kind in ROW_KINDS}


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
    like = dict(exchange.assessment_payload(before), form_version=seen.form.version
                if seen.form is not None else before.form_version)
    payload = _payload_from(outcome.merged, order, like)
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
    undo: dict[str, Any] = {"payload": exchange.assessment_payload(before), "ids": _row_ids(before),
            "link": link, "merged_at": now.isoformat(), "from": sender.words(),
            "merged": content_digest(exchange.assessment_payload(merged_a))}
    their_keys = seen.their_keys

    def work(conn: sqlite3.Connection) -> None:
        replace_content(conn, assessment_id, merged_a)
        # the copy that came back is now what both sides agree on, as far as it was taken: the
        # reference for the next copy of this round (merging the same file again changes
        # nothing); written in the same transaction as the merge itself
        ids = {kind: dict(zip(order[kind], (row_id for (row_id,) in conn.execute(
            f"SELECT id FROM {kind} WHERE assessment_id = ? ORDER BY position, id",
            (assessment_id,))), strict=True)) for kind in ROW_KINDS}
        undo["evidence_ids"] = _add_evidence(conn, assessment_id, seen.file, their_keys, ids)
        undo["evidence_edits"] = []
        for edit in seen.evidence_edits:
            if edit.taken:
                undo["evidence_edits"].append([edit.ours.id, *_look(edit.ours)])
                conn.execute("UPDATE evidence SET description = ?, valid_until = ? WHERE id = ?"
                             " AND assessment_id = ?", (*_look(edit.theirs), edit.ours.id,
                                                        assessment_id))
        # the evidence as agreed from now on: this side's, with theirs where they have it
        agreed_evidence = {
            _ident(EvidenceKind(kind), key, sha): [description, valid_until]
            for kind, key, sha, description, valid_until in conn.execute(
                "SELECT kind, key, sha256, description, valid_until FROM evidence WHERE "
                "assessment_id = ? AND deleted_at IS NULL", (assessment_id,))}
        for record, key in _their_evidence(seen.file, their_keys, ids):
            if key is not None:
                agreed_evidence[_ident(record.kind, key, record.sha256)] = _look(record)
        rows.put_setting(conn, undo_key(assessment_id), undo)
        if seen.next_round:  # this copy now answers the new round, as shared
            shared = seen.file
            agreed = dict(
                link, round=shared.round, base=shared.base, base_keys=shared.row_keys,
                round_sha256=exchange.checksum(shared.base), shared_at=shared.shared_at.isoformat(),
                ids={kind: {new: ids[kind][key] for new, key in zip(
                    shared.row_keys[kind], their_keys[kind], strict=True) if key in ids[kind]}
                    for kind in ROW_KINDS})
        else:
            agreed = dict(link, base=seen.file.payload, base_keys=their_keys, ids=ids)
        rows.put_setting(conn, link_key(assessment_id), dict(
            agreed, answered_by=answered_by, merged_at=now.isoformat(), settled=settled,
            evidence_base=agreed_evidence))

    with _files_stored(store, seen.file):
        store.db.write(work)
    return seen, outcome


def _add_evidence(conn: sqlite3.Connection, assessment_id: int, returned: ExchangeFile,
                  their_keys: dict[str, list[str]], ids: dict[str, dict[str, int]]
                  ) -> list[int]:
    """The records that came back and are not here yet (by identity; a file removed here is
    not brought back), inside the merge's transaction; their new ids (for undo_merge). A
    record for an officer or school the merge did not keep is left out."""
    held = {(EvidenceKind(kind), key, sha) for kind, key, sha in conn.execute(
        "SELECT kind, key, sha256 FROM evidence WHERE assessment_id = ?", (assessment_id,))}
    new_ids: list[int] = []
    for record, key in _their_evidence(returned, their_keys, ids):
        if key is None or (record.kind, key, record.sha256) in held:
            continue
        held.add((record.kind, key, record.sha256))
        new_ids.append(evidence.insert_record(conn, assessment_id,
                                              dataclasses.replace(record, key=key)))
    return new_ids


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
        for evidence_id in undo.get("evidence_ids", []):  # the files the merge brought
            conn.execute("DELETE FROM evidence WHERE id = ? AND assessment_id = ?",
                         (evidence_id, assessment_id))
        for evidence_id, description, valid_until in undo.get("evidence_edits", []):
            conn.execute("UPDATE evidence SET description = ?, valid_until = ? WHERE id = ? AND"
                         " assessment_id = ?", (description, valid_until, evidence_id,
                                                assessment_id))
        rows.put_setting(conn, link_key(assessment_id), undo["link"])
        conn.execute("DELETE FROM settings WHERE key = ?", (undo_key(assessment_id),))

    store.db.write(work)  # noqa: SLF001
    return True


def replace_content(conn: sqlite3.Connection, assessment_id: int, a: Assessment) -> None:
    """Make the stored assessment say what `a` says, inside the caller's transaction: its
    details, every answer, and its rows (a row with an id keeps it, so evidence attached to an
    officer or a school stays attached; a row without one is added; a stored row `a` does not
    hold is removed)."""
    now = rows.now_utc().isoformat()
    cursor = conn.execute(
        "UPDATE assessments SET title = ?, agency = ?, district = ?, prepared_by = ?, as_of = ?,"
        " rapid_deployment_reading = ?, form_version = ?, updated = ?"
        " WHERE id = ? AND deleted_at IS NULL",
        (a.title, a.agency, a.district, a.prepared_by, a.as_of.isoformat(),
         str(a.rapid_deployment_reading.value), a.form_version, now, assessment_id))
    if cursor.rowcount == 0:
        raise StoreError("That assessment is no longer in the list. Nothing was changed.")
    conn.execute("DELETE FROM answers WHERE assessment_id = ?", (assessment_id,))
    for answer in a.answers.values():
        rows.put_answer(conn, assessment_id, answer, answer.updated or rows.now_utc())
    values = {"officers": rows.officer_values, "schools": rows.school_values,
              "action_items": rows.action_values}
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
                rows.insert_row(conn, kind, assessment_id, position, data, row.id)


def provenance_of(store: Store, assessment_id: int) -> merge.Provenance | None:
    """Who gave each answer of a shared assessment (None when it is not shared): an answer
    that is as it was in the agreed copy keeps the party (and person) recorded for it; any
    other answer is this side's own (its person: the name this side last shared under)."""
    link = link_of(store, assessment_id)
    if not link or link.get("role") not in ("sharer", "linked"):
        return None
    mine = Owner(link.get("party", Owner.AGENCY.value))
    agreed = {a["question_id"]: {f: a[f] for f in _ANSWER_FIELDS}
              for a in link["base"]["answers"]}
    recorded = link.get("answered_by", {})
    answered_by: dict[str, Owner] = {}
    names: dict[str, str] = {}
    for answer in exchange.assessment_payload(store.load_assessment(assessment_id))["answers"]:
        if answer["value"] in (None, ""):
            continue
        qid = answer["question_id"]
        same = agreed.get(qid) == {f: answer[f] for f in _ANSWER_FIELDS}
        theirs = same and qid in recorded
        answered_by[qid] = Owner(recorded[qid]["party"]) if theirs else mine
        name = str(recorded[qid].get("name", "") if theirs else link.get("name", "")).strip()
        if name:
            names[qid] = name
    settled = tuple(
        merge.Settled(question_id=s["key"], label=s["label"],
                      ours=(s["ours"] or {}).get("value"), theirs=(s["theirs"] or {}).get("value"),
                      kept=merge.Side(s["kept"]), other=s["from"])
        for s in link.get("settled", []) if s.get("kind") == "answers")
    return merge.Provenance(party=mine, answered_by=answered_by, settled=settled, names=names)
