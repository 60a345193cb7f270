/**
 * Staff workbooks for the load benchmark's uploads: k12 columns of the standard with ★ on required headers, every
 * cell text, valid generated people whose ID numbers differ across the whole set (and, with a fresh seed per run,
 * from earlier runs), each wrapped as the multipart body the upload route reads.
 */
import { PassThrough } from 'node:stream';
import { createRandom } from '../../src/server/demo/random.ts';
import { generatePeople, writeStaffRows, type Person } from '../../src/server/test/staff-workbook-file.ts';
import { multipart } from '../../src/server/test/app.ts';

export type Upload = { body: Buffer; contentType: string };

async function workbook(people: Person[]): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  await writeStaffRows({ stream: output }, people);
  return Buffer.concat(chunks);
}

/** The upload route's multipart body: the workbook, imported leniently. */
function uploadOf(content: Buffer, fileName: string): Upload {
  const form = multipart({ name: fileName, content }, { mode: 'lenient' });
  return { body: form.payload, contentType: form.headers['content-type'] };
}

/** `count` upload bodies of `rows` new people each (no ID number twice across them). */
export async function buildUploads(count: number, rows: number, seed: number): Promise<Upload[]> {
  const random = createRandom(seed);
  const seen = new Set<string>();
  const uploads: Upload[] = [];
  for (let index = 0; index < count; index += 1) {
    uploads.push(uploadOf(await workbook(generatePeople(random, rows, seen)), `load-${seed}-${index}.xlsx`));
  }
  return uploads;
}
