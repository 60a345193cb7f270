import type { Executor } from '../db/client.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import type { UnitRow } from '../org/units.repository.ts';
import { storeUpload } from '../files/uploads.ts';
import { readStoredFile, removeStoredFileIfUnused, storedFileFacts } from '../files/stored-files.ts';
import { notifySubtreeOfAnnouncement } from '../notifications/notifications.service.ts';
import {
  countDownload,
  deleteAnnouncement,
  deleteLibraryFile,
  insertAnnouncement,
  insertLibraryFile,
  type AnnouncementRow,
  type LibraryFileRow,
} from './resources.repository.ts';

export { listResources } from './resources.repository.ts';

/** Publishes an announcement; every unit of the publisher's subtree is told (a province's reaches each school). */
export async function publishAnnouncement(db: Executor, context: AuditContext & { actor: Actor }, unit: UnitRow, input: { title: string; body: string; pinned: boolean }) {
  return db.transaction(async (tx) => {
    const row = await insertAnnouncement(tx, { unitCode: unit.code, title: input.title, body: input.body, pinned: input.pinned, createdBy: context.actor.id });
    await recordAudit(tx, context, { action: 'announcement.publish', targetType: 'announcement', targetId: row.id, unitCode: unit.code, after: { title: input.title, pinned: input.pinned } });
    await notifySubtreeOfAnnouncement(tx, unit, input.title);
    return row;
  });
}

/** Adds a file to a level's library after checking its type, bytes and size. */
export async function addLibraryFile(db: Executor, context: AuditContext & { actor: Actor }, unit: UnitRow, input: { title: string; name: string; content: Buffer }) {
  return db.transaction(async (tx) => {
    const fileId = await storeUpload(tx, input.name, input.content);
    const row = await insertLibraryFile(tx, { unitCode: unit.code, title: input.title, fileId, uploadedBy: context.actor.id });
    await recordAudit(tx, context, { action: 'library.add', targetType: 'library_file', targetId: row.id, unitCode: unit.code, after: { title: input.title, name: input.name, size: input.content.length } });
    return row;
  });
}

/** Counts a download and returns the file's bytes. */
export async function downloadLibraryFile(db: Executor, id: number) {
  const row = await countDownload(db, id);
  return (await readStoredFile(db, row.fileId))!;
}

/** Takes an announcement down; the audit log keeps what it said. */
export async function removeAnnouncement(db: Executor, context: AuditContext & { actor: Actor }, row: AnnouncementRow) {
  return db.transaction(async (tx) => {
    const removed = await deleteAnnouncement(tx, row.id);
    if (!removed) return;
    await recordAudit(tx, context, { action: 'announcement.remove', targetType: 'announcement', targetId: row.id, unitCode: row.unitCode, before: { title: row.title, body: row.body, pinned: row.pinned } });
  });
}

/** Removes a file from a level's library with its stored bytes; the audit log keeps its name, size and SHA-256. */
export async function removeLibraryFile(db: Executor, context: AuditContext & { actor: Actor }, row: LibraryFileRow) {
  return db.transaction(async (tx) => {
    const removed = await deleteLibraryFile(tx, row.id);
    if (!removed) return;
    const file = await storedFileFacts(tx, row.fileId);
    // The bytes go too, unless something else still holds them.
    await removeStoredFileIfUnused(tx, row.fileId);
    await recordAudit(tx, context, { action: 'library.remove', targetType: 'library_file', targetId: row.id, unitCode: row.unitCode, before: { title: row.title, downloads: row.downloads, ...file } });
  });
}
