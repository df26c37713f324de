"""An attached certificate's "valid until" date falls due in the engine's list, for the window
(through the session) and the report, with the officer named."""

from datetime import date

from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.session import Session


def test_an_expired_certificate_falls_due_and_names_the_officer(store, tmp_path):
    saved = store.create_assessment(sample_assessment())
    session = Session.open(store, saved.id)
    officer = session.assessment.officers[0]
    certificate = tmp_path / "basic-course.pdf"
    certificate.write_bytes(b"%PDF-1.4 certificate")
    before = [d.what for d in session.readiness.due_next]
    store.evidence.attach(saved.id, certificate, "officer", str(officer.id),
                          valid_until=date(2026, 8, 1))
    session.evidence_changed()
    due = session.readiness.due_next
    expired = [d for d in due if d.what.startswith("Expired")]
    assert len(due) == len(before) + 1
    assert expired and expired[0].overdue and expired[0].who == officer.name
    assert expired[0].when == date(2026, 8, 1)
    assert due[0].overdue  # overdue first, as ever


def test_a_certificate_attached_in_the_officer_dialog_falls_due_at_once(qtbot, store, tmp_path):
    from nasro_desktop.ui.profile_dialogs import OfficerDialog

    saved = store.create_assessment(sample_assessment())
    session = Session.open(store, saved.id)
    officer = session.assessment.officers[0]
    before = len(session.readiness.due_next)
    dialog = OfficerDialog(session, officer)
    qtbot.addWidget(dialog)
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(b"%PDF-1.4 certificate")
    dialog.evidence_files.attach_paths([certificate], wait=True)
    dialog.evidence_files.valid_until.line.setText("8/1/2026")
    dialog.evidence_files.valid_until.interpretText()
    due = session.readiness.due_next
    assert len(due) == before + 1 and any(d.who == officer.name for d in due if d.overdue)
