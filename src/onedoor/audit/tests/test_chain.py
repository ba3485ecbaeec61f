"""AUD-1: the audit log is append-only and tamper-evident."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from onedoor.audit.models import AuditRecord, ChainHead
from onedoor.audit.selectors import audit_chain_verify
from onedoor.audit.services import AuditedObject, audit_record
from onedoor.core.actors import Actor, ActorKind

pytestmark = pytest.mark.django_db

ACTOR = Actor(
    kind=ActorKind.USER,
    id="user-1",
    label="ilze",
    institution_id="inst-1",
    acting_for="VSAA",
    source_ip="10.1.2.3",
    request_id="req-12345678",
)


def _write(count: int) -> list[AuditRecord]:
    return [
        audit_record(
            actor=ACTOR,
            action="catalog.service.update",
            obj=AuditedObject(
                type="catalog.service", id=str(2000 + n), label="Bērna piedzimšanas pabalsts", holder_id="h"
            ),
            details={"changed_fields": ["name_lv"], "n": n},
        )
        for n in range(count)
    ]


def test_records_hold_who_for_whom_what_when_where_and_link_to_the_previous() -> None:
    first, second = _write(2)
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash
    stored = AuditRecord.objects.get(sequence=2)
    assert stored.actor_label == "ilze"
    assert stored.acting_for == "VSAA"
    assert stored.source_ip == "10.1.2.3"
    assert stored.object_id == "2001"
    assert stored.outcome == "success"
    assert stored.occurred_at is not None
    assert ChainHead.objects.get().last_hash == second.hash


def test_intact_chain_verifies_and_the_command_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    _write(5)
    report = audit_chain_verify()
    assert report.intact
    assert report.checked == 5
    call_command("audit", "verify")
    assert "5 records verified" in capsys.readouterr().out


def test_rolled_back_change_leaves_no_record() -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            _write(1)
            raise RuntimeError("the audited change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert AuditRecord.objects.count() == 0
    assert audit_chain_verify().intact


def test_database_refuses_update_and_delete() -> None:
    (record,) = _write(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(actor_label="someone else")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).delete()
    assert AuditRecord.objects.get(pk=record.pk).actor_label == "ilze"


def _tamper(sql: str, params: list[object]) -> None:
    """What an attacker with table-owner rights could do: switch the trigger off and edit rows."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_record_append_only")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_auditrecord ENABLE TRIGGER audit_record_append_only")


def test_edited_record_is_caught_and_named() -> None:
    _write(4)
    _tamper("UPDATE audit_auditrecord SET actor_label = %s WHERE sequence = %s", ["mallory", 3])
    report = audit_chain_verify()
    assert not report.intact
    assert report.broken is not None
    assert report.broken.sequence == 3
    assert report.checked == 2
    with pytest.raises(CommandError, match="broken at record #3"):
        call_command("audit", "verify")


def test_deleted_record_is_caught() -> None:
    _write(4)
    _tamper("DELETE FROM audit_auditrecord WHERE sequence = %s", [2])
    report = audit_chain_verify()
    assert report.broken is not None
    assert report.broken.sequence == 2
    assert "missing" in report.broken.reason


def test_removed_tail_is_caught() -> None:
    _write(3)
    _tamper("DELETE FROM audit_auditrecord WHERE sequence = %s", [3])
    report = audit_chain_verify()
    assert report.broken is not None
    assert "end of the chain" in report.broken.reason


def test_rehashed_record_still_breaks_the_link_to_the_next() -> None:
    from onedoor.audit.chain import record_hash

    records = _write(3)
    forged = AuditRecord.objects.values().get(sequence=2)
    forged["actor_label"] = "mallory"
    new_hash = record_hash(sequence=2, prev_hash=records[0].hash, fields=forged)
    _tamper("UPDATE audit_auditrecord SET actor_label = %s, hash = %s WHERE sequence = %s", ["mallory", new_hash, 2])
    report = audit_chain_verify()
    assert report.broken is not None
    assert report.broken.sequence == 3
