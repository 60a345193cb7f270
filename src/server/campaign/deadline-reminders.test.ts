import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../db/schema.ts';
import { createTestApp, type TestApp } from '../test/app.ts';
import { makeCampaign, makeSchool } from '../test/factories.ts';
import { remindDeadlines } from './deadline-reminders.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await makeCampaign(t.database.db);
  await makeSchool(t.database.db, { countyCode: '430102', serial: 1 });
  await makeSchool(t.database.db, { countyCode: '430104', schoolType: 'higher_ed', serial: 1 });
});
afterAll(() => t.close());

describe('deadline reminders', () => {
  it('tells each school two days before its deadline, once', async () => {
    const [campaign] = await t.database.db.query.campaigns.findMany();
    const due = (campaign.plan).levels.school.tasks.find((task) => task.observable === 'submit')!.due!;
    const twoDaysBefore = new Date(Date.parse(`${due}T12:00:00+08:00`) - 2 * 86_400_000);
    const forSchool = () => t.database.db.select().from(notifications).where(eq(notifications.unitCode, '2430102001'));
    // Five days before the schools' deadline only the university (due four days earlier) is reminded.
    await remindDeadlines(t.database.db, new Date(Date.parse(`${due}T12:00:00+08:00`) - 5 * 86_400_000));
    expect(await forSchool()).toHaveLength(0);
    expect((await t.database.db.select().from(notifications).where(eq(notifications.unitCode, '4430104001'))).map((n) => n.kind)).toEqual(['deadline_soon']);
    // The same pass also tells parents of late tasks below them (task-reminders.ts), so count the school's own.
    await remindDeadlines(t.database.db, twoDaysBefore);
    expect(await forSchool()).toHaveLength(1);
    expect(await remindDeadlines(t.database.db, twoDaysBefore)).toBe(0);
    const [reminder] = await forSchool();
    expect(reminder).toMatchObject({ kind: 'deadline_soon', link: '/units/2430102001/submission' });
    expect(reminder.title).toContain(due);
  });
});
