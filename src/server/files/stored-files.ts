import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { storedFiles } from '../db/schema.ts';
import { databaseErrorOf } from '../db/sql-state.ts';

export type StoredFile = typeof storedFiles.$inferSelect;

/**
 * Keeps a file's bytes in the database (the original of an import, an attachment, a library file, a task's
 * document) with its name, type, size and SHA-256; returns what the audit log records of it.
 */
export async function storeFile(executor: Executor, file: { name: string; contentType: string; content: Buffer; sha256?: string }) {
  const sha256 = file.sha256 ?? createHash('sha256').update(file.content).digest('hex');
  const [row] = await executor
    .insert(storedFiles)
    .values({ name: file.name, contentType: file.contentType, size: file.content.length, sha256, content: file.content })
    .returning({ id: storedFiles.id });
  return { id: row.id, name: file.name, size: file.content.length, sha256 };
}

export async function readStoredFile(executor: Executor, id: number): Promise<StoredFile | undefined> {
  const [row] = await executor.select().from(storedFiles).where(eq(storedFiles.id, id)).limit(1);
  return row;
}

/** What the audit log keeps of a stored file: its name, size and SHA-256. */
export async function storedFileFacts(executor: Executor, id: number) {
  const [file] = await executor.select({ name: storedFiles.name, size: storedFiles.size, sha256: storedFiles.sha256 }).from(storedFiles).where(eq(storedFiles.id, id));
  return file;
}

/**
 * Removes a file's bytes unless something else still holds them: a foreign key refuses, and the savepoint keeps
 * the rest of the caller's transaction.
 */
export async function removeStoredFileIfUnused(tx: Executor, id: number): Promise<void> {
  await tx.transaction((inner) => inner.delete(storedFiles).where(eq(storedFiles.id, id))).catch((error: unknown) => {
    if (databaseErrorOf(error)?.code !== '23503') throw error;
  });
}
