"""Entry attachments: upload into a file field, delete, and decide who may download.

Upload: the entry must be editable (its business is the user's, intake open, not withdrawn);
the field must be a file field with room left (``max_count``). The stream goes through
:func:`awards.intake.uploads.store_upload_async` with the field's kinds and size limit, so the
kind is sniffed from the content, an oversized stream is cut off, images are re-encoded without
metadata and thumbnailed. Only then is the ``Attachment`` row written, together with the entry's
answer for that field, in one transaction; if that fails the stored files are removed again.

Download (:meth:`AttachmentService.for_download`): members of the entry's business, organizers of
its edition and admins; anyone else gets ``NotFoundError`` (404), so a URL does not reveal
whether an entry or attachment exists.
"""

from __future__ import annotations

from collections.abc import AsyncIterable
from pathlib import Path
from typing import Any

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.common import (
    NotFoundError,
    attachment_row,
    can_see_edition_entries,
    edition_in_transaction,
    is_member,
    lock_for_update,
    stored_of,
    to_validation_error,
    uploads_root,
)
from awards.intake.editions.deadlines import ensure_intake_open
from awards.intake.entries.service import EntryService, file_answers
from awards.intake.form.fields import FileField
from awards.intake.tables import Attachment, Entry, EntryStatus
from awards.intake.uploads import (
    UploadPolicy,
    UploadRejected,
    delete_stored,
    resolve,
    store_upload_async,
)
from awards.intake.validators import ValidationErrors
from awards.settings import Settings

__all__ = ["AttachmentService"]


class AttachmentService:
    """Attachment operations, sharing the entry service's access rules."""

    def __init__(self, settings: Settings, entries: EntryService) -> None:
        self.settings = settings
        self.entries = entries

    @property
    def root(self) -> Path:
        return uploads_root(self.settings)

    async def _editable_field(self, user: CurrentUser, entry_id: int, field_key: str):
        ctx = await self.entries.context(user, entry_id)
        ensure_intake_open(ctx.edition)
        if ctx.entry["status"] == EntryStatus.withdrawn.value:
            raise ValidationError({field_key or "file": _("This entry was withdrawn.")})
        spec = ctx.form.field(field_key)
        if not isinstance(spec, FileField):
            raise ValidationError({field_key or "field_key": _("This field does not take files.")})
        return ctx, spec

    async def upload(
        self,
        user: CurrentUser,
        entry_id: int,
        field_key: str,
        chunks: AsyncIterable[bytes],
        filename: str,
    ) -> dict[str, Any]:
        """Store one file in ``field_key`` of the entry; return the new attachment row."""
        ctx, spec = await self._editable_field(user, entry_id, field_key)
        full = ValidationError(
            {field_key: _("This field takes at most %(count)d files.") % {"count": spec.max_count}}
        )
        if len(ctx.attachments.get(field_key, [])) >= spec.max_count:
            raise full
        policy = UploadPolicy(kinds=spec.kinds, max_bytes=spec.max_size_bytes)
        try:
            stored = await store_upload_async(
                chunks, filename=filename, storage_root=self.root, policy=policy
            )
        except UploadRejected as exc:
            raise to_validation_error(ValidationErrors([exc.at(field_key)])) from None
        try:
            async with db.write_transaction():
                ensure_intake_open(await edition_in_transaction(ctx.edition["id"]))
                await lock_for_update("intake_entry", entry_id)  # the count limit holds
                count = await Attachment.count().where(
                    (Attachment.entry == entry_id) & (Attachment.field_key == field_key)
                )
                if count >= spec.max_count:
                    raise full
                rows = await Attachment.insert(
                    attachment_row(stored, ctx.business["id"], entry_id, field_key, user)
                )
                await _sync_answer(ctx.form, entry_id, field_key)
        except BaseException:
            delete_stored(self.root, stored)
            raise
        return await Attachment.select().where(Attachment.id == rows[0]["id"]).first()

    async def delete(self, user: CurrentUser, entry_id: int, attachment_id: int) -> None:
        """Remove an attachment of an editable entry (files included)."""
        row = (
            await Attachment.select()
            .where((Attachment.id == attachment_id) & (Attachment.entry == entry_id))
            .first()
        )
        if row is None:
            raise NotFoundError(attachment_id)
        ctx, spec = await self._editable_field(user, entry_id, row["field_key"])
        others = len(ctx.attachments.get(row["field_key"], [])) - 1
        if ctx.entry["status"] == EntryStatus.submitted.value and spec.required and others < 1:
            raise ValidationError(
                {row["field_key"]: _("This file is required: upload a replacement first.")}
            )
        async with db.write_transaction():
            ensure_intake_open(await edition_in_transaction(ctx.edition["id"]))
            await Attachment.delete().where(Attachment.id == attachment_id)
            await _sync_answer(ctx.form, entry_id, row["field_key"])
        delete_stored(self.root, stored_of(row))

    async def list(self, user: CurrentUser, entry_id: int) -> list[dict[str, Any]]:
        """Attachments of an entry the user manages."""
        ctx = await self.entries.context(user, entry_id)
        return [row for rows in ctx.attachments.values() for row in rows]

    async def for_download(
        self, user: CurrentUser, entry_id: int, attachment_id: int
    ) -> dict[str, Any]:
        """The attachment row if ``user`` may see it (see the module docstring)."""
        row = (
            await Attachment.select(Attachment.all_columns(), Attachment.entry.edition)
            .where((Attachment.id == attachment_id) & (Attachment.entry == entry_id))
            .first()
        )
        if row is None:
            raise NotFoundError(attachment_id)
        allowed = await is_member(user.id, row["business"]) or can_see_edition_entries(
            user, row["entry.edition"]
        )
        if not allowed:
            raise NotFoundError(attachment_id)
        return row

    def path_of(self, row: dict[str, Any], *, thumbnail: bool = False) -> Path:
        """The stored file (or its thumbnail) on disk; ``NotFoundError`` if missing."""
        key = row["thumbnail_key"] if thumbnail else row["storage_key"]
        if not key:
            raise NotFoundError(row["id"])
        try:
            path = resolve(self.root, key)
        except ValueError:
            raise NotFoundError(row["id"]) from None
        if not path.is_file():
            raise NotFoundError(row["id"])
        return path


async def _sync_answer(form: Any, entry_id: int, field_key: str) -> None:
    """Rewrite the entry's answer of ``field_key`` from its attachment rows (in a transaction)."""
    rows = (
        await Attachment.select()
        .where((Attachment.entry == entry_id) & (Attachment.field_key == field_key))
        .order_by(Attachment.id)
    )
    entry = (
        await Entry.select(Entry.answers).where(Entry.id == entry_id).output(load_json=True).first()
    )
    answers = dict(entry["answers"] or {}) if entry else {}
    answers.pop(field_key, None)
    answers |= file_answers(form, {field_key: rows})
    await Entry.update({Entry.answers: answers}).where(Entry.id == entry_id)
