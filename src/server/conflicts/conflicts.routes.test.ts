import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldsFor, formatCell } from '../../standard/index.ts';
import { createTestApp, multipart, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';

let t: TestApp;
let holder: TestClient;
let claimant: TestClient;
let claimantLeader: TestClient;
let prefecture: TestClient;
let otherCounty: TestClient;
const holderSchool = '2430102001';
const claimantSchool = '2430103001';

async function importPeople(client: TestClient, school: string, serials: number[]) {
  const columns = fieldsFor('k12');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('x');
  sheet.addRow(columns.map((f) => f.label));
  for (const serial of serials) {
    const values = validStaffValues(serial) as Record<string, string>;
    sheet.addRow(columns.map((f) => formatCell(f.key, values[f.key] ?? null, 'k12')));
  }
  const body = multipart({ name: 'p.xlsx', content: Buffer.from(await book.xlsx.writeBuffer()) });
  const preview = (await client.request('POST', `/api/schools/${school}/imports`, body.payload, { headers: body.headers })).json();
  const commit = await client.post(`/api/imports/${preview.id}/commit`);
  return { preview, committed: commit.json() };
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await makeCampaign(db);
  await makeSchool(db, { countyCode: '430102', serial: 1 });
  await makeSchool(db, { countyCode: '430103', serial: 1 });
  await makeSchool(db, { countyCode: '430202', serial: 1 });
  holder = await t.login((await makeAccount(db, { unitCode: holderSchool, role: 'operator' })).username);
  claimant = await t.login((await makeAccount(db, { unitCode: claimantSchool, role: 'operator' })).username);
  claimantLeader = await t.login((await makeAccount(db, { unitCode: claimantSchool, role: 'leader' })).username);
  prefecture = await t.login((await makeAccount(db, { unitCode: '430100' })).username);
  otherCounty = await t.login((await makeAccount(db, { unitCode: '430202' })).username);
});
afterAll(() => t.close());

describe('ID number conflicts', () => {
  it('turns a person claimed by a second school into a conflict both schools and their common unit see', async () => {
    await importPeople(holder, holderSchool, [1, 2]);
    const { preview } = await importPeople(claimant, claimantSchool, [1, 3]);
    expect(preview.counts).toMatchObject({ new: 1, conflicts: 1 });
    for (const [client, code] of [[holder, holderSchool], [claimant, claimantSchool], [prefecture, '430100']] as const) {
      const items = (await client.get(`/api/units/${code}/conflicts?status=open`)).json().items;
      expect(items, code).toHaveLength(1);
      expect(items[0]).toMatchObject({ holder: { code: holderSchool }, claimant: { code: claimantSchool } });
    }
    expect((await otherCounty.get('/api/units/430202/conflicts')).json().items).toHaveLength(0);
    for (const client of [holder, claimant]) {
      expect((await client.get('/api/notifications')).json().items.map((n: { kind: string }) => n.kind)).toContain('conflict_raised');
    }
    const [conflict] = (await prefecture.get('/api/units/430100/conflicts')).json().items;
    expect(conflict.idNumber).toMatch(/\*{8}/);
    expect((await otherCounty.post(`/api/conflicts/${conflict.id}/release`, { note: 'x' })).statusCode).toBe(404);
  });

  it('blocks the sign-off while a conflict is open', async () => {
    const response = await claimantLeader.post(`/api/units/${claimantSchool}/signoff`, { explanation: 'x' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toContain('冲突');
  });

  it('resolves as a transfer: the holder releases the person, keeping history, and the claimant enters them', async () => {
    const [conflict] = (await holder.get(`/api/units/${holderSchool}/conflicts?status=open`)).json().items;
    expect(conflict.abilities).toEqual({ release: true, withdraw: false });
    // The claimant cannot see the holder school, so releasing for it is out of its scope.
    expect((await claimant.post(`/api/conflicts/${conflict.id}/release`, { note: 'x' })).statusCode).toBe(404);
    expect((await holder.post(`/api/conflicts/${conflict.id}/release`, { note: '已调往天心区' })).json()).toEqual({ status: 'resolved' });
    expect((await holder.post(`/api/conflicts/${conflict.id}/release`, { note: 'again' })).statusCode).toBe(409);
    const { preview } = await importPeople(claimant, claimantSchool, [1, 3]);
    expect(preview.counts).toMatchObject({ new: 1, unchanged: 1, conflicts: 0 });
  });

  it('resolves as a correction: the claimant withdraws a wrong claim', async () => {
    await importPeople(claimant, claimantSchool, [2]);
    const [conflict] = (await claimant.get(`/api/units/${claimantSchool}/conflicts?status=open`)).json().items;
    expect((await claimant.post(`/api/conflicts/${conflict.id}/withdraw`, { note: '证件号录错' })).json()).toEqual({ status: 'resolved' });
    expect((await claimant.get(`/api/units/${claimantSchool}/conflicts?status=open`)).json().items).toHaveLength(0);
  });
});
