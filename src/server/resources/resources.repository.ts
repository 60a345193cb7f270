import { desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { announcements, libraryFiles, storedFiles, units } from '../db/schema.ts';
import type { Actor } from '../policy/actor.ts';

export type AnnouncementRow = typeof announcements.$inferSelect;
export type LibraryFileRow = typeof libraryFiles.$inferSelect;

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

export async function findAnnouncement(db: Executor, id: number): Promise<AnnouncementRow | undefined> {
  return (await db.select().from(announcements).where(eq(announcements.id, id)).limit(1))[0];
}

export async function findLibraryFile(db: Executor, id: number): Promise<LibraryFileRow | undefined> {
  return (await db.select().from(libraryFiles).where(eq(libraryFiles.id, id)).limit(1))[0];
}

export async function insertAnnouncement(tx: Executor, values: typeof announcements.$inferInsert): Promise<AnnouncementRow> {
  const [row] = await tx.insert(announcements).values(values).returning();
  return row;
}

export async function deleteAnnouncement(tx: Executor, id: number): Promise<AnnouncementRow | undefined> {
  const [removed] = await tx.delete(announcements).where(eq(announcements.id, id)).returning();
  return removed;
}

export async function insertLibraryFile(tx: Executor, values: typeof libraryFiles.$inferInsert): Promise<LibraryFileRow> {
  const [row] = await tx.insert(libraryFiles).values(values).returning();
  return row;
}

/** Counts one download of the file and answers its row. */
export async function countDownload(db: Executor, id: number): Promise<LibraryFileRow> {
  const [row] = await db.update(libraryFiles).set({ downloads: sql`${libraryFiles.downloads} + 1` }).where(eq(libraryFiles.id, id)).returning();
  return row;
}

export async function deleteLibraryFile(tx: Executor, id: number): Promise<LibraryFileRow | undefined> {
  const [removed] = await tx.delete(libraryFiles).where(eq(libraryFiles.id, id)).returning();
  return removed;
}
