import { desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { announcements, libraryFiles, storedFiles, units } from '../db/schema.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import type { UnitRow } from '../org/units.repository.ts';
import { storeUpload } from '../files/uploads.ts';
import { readStoredFile } from '../files/stored-files.ts';

type AnnouncementRow = typeof announcements.$inferSelect;
type LibraryFileRow = typeof libraryFiles.$inferSelect;

/** What a level publishes reaches its whole subtree: the actor sees its own unit's and its ancestors'. */
const publishedAbove = (actor: Actor) => sql`${actor.unit.path} like ${units.path} || '%'`;

/** 专栏: announcements (pinned first, then newest) and library files from the actor's unit and the levels above it. */
export async function listResources(db: Executor, actor: Actor) {
  const [notices, files] = await Promise.all([
    db
      .select({ announcement: announcements, unitName: units.name })
      .from(announcements)
      .innerJoin(units, eq(units.code, announcements.unitCode))
      .where(publishedAbove(actor))
      .orderBy(desc(announcements.pinned), desc(announcements.publishedAt), desc(announcements.id))
      .limit(200),
    db
      .select({ id: libraryFiles.id, unitCode: libraryFiles.unitCode, unitName: units.name, title: libraryFiles.title, name: storedFiles.name, size: storedFiles.size, contentType: storedFiles.contentType, downloads: libraryFiles.downloads, uploadedAt: libraryFiles.uploadedAt })
      .from(libraryFiles)
      .innerJoin(units, eq(units.code, libraryFiles.unitCode))
      .innerJoin(storedFiles, eq(storedFiles.id, libraryFiles.fileId))
      .where(publishedAbove(actor))
      .orderBy(desc(libraryFiles.uploadedAt), desc(libraryFiles.id))
      .limit(500),
  ]);
  return { notices, files };
}

/** Publishes an announcement; every unit of the publisher's subtree is told (a province's reaches each school). */
export async function publishAnnouncement(db: Executor, context: AuditContext & { actor: Actor }, unit: UnitRow, input: { title: string; body: string; pinned: boolean }) {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(announcements).values({ unitCode: unit.code, title: input.title, body: input.body, pinned: input.pinned, createdBy: context.actor.id }).returning();
    await recordAudit(tx, context, { action: 'announcement.publish', targetType: 'announcement', targetId: row.id, unitCode: unit.code, after: { title: input.title, pinned: input.pinned } });
    await tx.execute(sql`
      insert into notifications (unit_code, kind, title, link)
      select code, 'announcement', ${`${unit.name} 发布公告：${input.title}`}, '/resources' from units where path like ${`${unit.path}%`} and code <> ${unit.code}`);
    return row;
  });
}

/** Adds a file to a level's library after checking its type, bytes and size. */
export async function addLibraryFile(db: Executor, context: AuditContext & { actor: Actor }, unit: UnitRow, input: { title: string; name: string; content: Buffer }) {
  return db.transaction(async (tx) => {
    const fileId = await storeUpload(tx, input.name, input.content);
    const [row] = await tx.insert(libraryFiles).values({ unitCode: unit.code, title: input.title, fileId, uploadedBy: context.actor.id }).returning();
    await recordAudit(tx, context, { action: 'library.add', targetType: 'library_file', targetId: row.id, unitCode: unit.code, after: { title: input.title, name: input.name, size: input.content.length } });
    return row;
  });
}

/** Counts a download and returns the file's bytes. */
export async function downloadLibraryFile(db: Executor, id: number) {
  const [row] = await db.update(libraryFiles).set({ downloads: sql`${libraryFiles.downloads} + 1` }).where(eq(libraryFiles.id, id)).returning();
  return (await readStoredFile(db, row.fileId))!;
}

/** Takes an announcement down; the audit log keeps what it said. */
export async function removeAnnouncement(db: Executor, context: AuditContext & { actor: Actor }, row: AnnouncementRow) {
  return db.transaction(async (tx) => {
    const [removed] = await tx.delete(announcements).where(eq(announcements.id, row.id)).returning();
    if (!removed) return;
    await recordAudit(tx, context, { action: 'announcement.remove', targetType: 'announcement', targetId: row.id, unitCode: row.unitCode, before: { title: row.title, body: row.body, pinned: row.pinned } });
  });
}

/** Removes a file from a level's library with its stored bytes; the audit log keeps its name, size and SHA-256. */
export async function removeLibraryFile(db: Executor, context: AuditContext & { actor: Actor }, row: LibraryFileRow) {
  return db.transaction(async (tx) => {
    const [removed] = await tx.delete(libraryFiles).where(eq(libraryFiles.id, row.id)).returning();
    if (!removed) return;
    const [file] = await tx.select({ name: storedFiles.name, size: storedFiles.size, sha256: storedFiles.sha256 }).from(storedFiles).where(eq(storedFiles.id, row.fileId));
    // The bytes go too, unless something else still holds them (a foreign key refuses; the savepoint keeps the rest).
    await tx.transaction((inner) => inner.delete(storedFiles).where(eq(storedFiles.id, row.fileId))).catch((error: unknown) => {
      const cause = (error as { cause?: { code?: string } }).cause ?? (error as { code?: string });
      if (cause?.code !== '23503') throw error;
    });
    await recordAudit(tx, context, { action: 'library.remove', targetType: 'library_file', targetId: row.id, unitCode: row.unitCode, before: { title: row.title, downloads: row.downloads, ...file } });
  });
}
