import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { storedFiles } from '../db/schema.ts';

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
