import { and, asc, eq, isNull } from 'drizzle-orm';
import { counties } from '../../standard/divisions.ts';
import type { Database } from '../db/client.ts';
import { accounts, staff, units } from '../db/schema.ts';
import type { Actor } from '../policy/actor.ts';
import { findUnit } from '../org/units.repository.ts';
import { createSchool } from '../school-life/schools.service.ts';
import { approvePackage, returnPackage, signOff, submitPackage, type PackageRow } from '../packages/package.service.ts';
import { bulkTransition } from '../workflow/record-workflow.service.ts';
import { insertEvents } from '../staff/record-steps.repository.ts';
import { updateStaffRecords } from '../staff/staff.repository.ts';
import { currentCampaign } from '../campaign/campaign.service.ts';
import { schoolAdminAccount } from './demo-accounts.ts';

/** The prefecture the demo shows approved up to the province, then made stale by a school found late. */
export const demoApprovedPrefecture = '430800';
/** The county whose schools show a package approved, one awaiting review and one returned. */
export const demoReviewCounty = '430202';
/** The school found late in the approved prefecture. */
export const demoLateSchool = { code: '2430802901', name: '永定区天门山小学', countyCode: '430802', expectedStaff: 24 };

/**
 * 进行中的普查: the demo shows a campaign under way, so every dashboard has something true to show. Every
 * step goes through the same services a user's request does, as the demo accounts, so the records' history,
 * the packages, the audit log and the progress counters agree:
 * - 张家界市: every school's people confirmed (most on the phone, some signed on paper in one batch), each
 *   level reviewed, signed and submitted up to the province, which approved it; then a school found late in
 *   永定区 makes the chain need review again (需重新审核, with its cause).
 * - 株洲市荷塘区: one school approved by its county, one awaiting review, one returned with a reason.
 * 长沙市 is left as the demo's starting point for the walkthroughs.
 */
export async function putCampaignInMotion(db: Database, passwordHash: string) {
  const campaign = await currentCampaign(db);
  if (!campaign) return;
  const actors = new Map<string, Actor>();
  const as = async (username: string) => {
    let actor = actors.get(username);
    if (!actor) {
      const [row] = await db
        .select({ id: accounts.id, username: accounts.username, displayName: accounts.displayName, role: accounts.role, code: units.code, name: units.name, kind: units.kind, path: units.path })
        .from(accounts)
        .innerJoin(units, eq(units.code, accounts.unitCode))
        .where(eq(accounts.username, username));
      actor = { id: row.id, username: row.username, displayName: row.displayName, role: row.role, unit: { code: row.code, name: row.name, kind: row.kind, path: row.path } };
      actors.set(username, actor);
    }
    return { actor, ip: null };
  };
  const adminOf = (code: string) => as(code === '430000' ? 'admin' : code);
  const unit = async (code: string) => (await findUnit(db, code))!;

  /** The school's people confirm (every fifth on a paper slip, registered as one batch) and the school approves them. */
  async function review(school: string) {
    const ids = (await db.select({ id: staff.id }).from(staff).where(and(eq(staff.schoolCode, school), isNull(staff.deletedAt))).orderBy(asc(staff.id))).map((row) => row.id);
    if (ids.length === 0) return;
    const operator = await as(school);
    await bulkTransition(db, operator, school, { event: 'send_for_confirmation', ids });
    const paper = ids.filter((_, index) => index % 5 === 4);
    const phone = ids.filter((_, index) => index % 5 !== 4);
    await db.transaction(async (tx) => {
      await updateStaffRecords(tx, phone, {}, { status: 'confirmed', confirmedVia: 'phone', updatedAt: new Date() });
      await insertEvents(tx, phone.map((staffId) => ({ staffId, event: 'confirm', fromState: 'awaiting_confirmation', toState: 'confirmed', actorKind: 'staff_member' })));
    });
    if (paper.length > 0) await bulkTransition(db, operator, school, { event: 'confirm_on_paper', ids: paper, reason: '确认单已本人签字，存学校人事档案室' });
    await bulkTransition(db, operator, school, { event: 'approve', ids });
  }

  /** The unit's leader signs (explaining a difference from the expected count) and its clerk submits. */
  async function submit(code: string): Promise<PackageRow> {
    const row = await unit(code);
    await signOff(db, await as(`${code}-leader`), row, { explanation: '部分人员借调或调离，差异已核实' });
    return submitPackage(db, await adminOf(code), row);
  }

  const approve = async (reviewer: string, pkg: PackageRow) => approvePackage(db, await adminOf(reviewer), pkg, { acceptShortfall: true, shortfallNote: '差异原因已核实' });

  // 张家界市, level by level up to the province.
  const prefectureCounties = counties.filter((county) => county.prefectureCode === demoApprovedPrefecture).map((county) => county.code);
  for (const county of prefectureCounties) {
    const schools = await db.select({ code: units.code }).from(units).where(and(eq(units.parentCode, county), isNull(units.closedOn))).orderBy(units.code);
    for (const school of schools) {
      await review(school.code);
      await approve(county, await submit(school.code));
    }
    await approve(demoApprovedPrefecture, await submit(county));
  }
  await approve('430000', await submit(demoApprovedPrefecture));
  await createSchool(db, await adminOf(demoLateSchool.countyCode), { ...demoLateSchool, schoolType: 'k12' });
  // Its county gives it accounts by the demo's rule (its code is its operator, `<code>-admin` its admin,
  // `<code>-leader` its leader).
  await db.insert(accounts).values([
    { username: demoLateSchool.code, displayName: `${demoLateSchool.name}人事专干`, role: 'operator', unitCode: demoLateSchool.code, passwordHash },
    ...schoolAdminAccount(demoLateSchool).map((account) => ({ ...account, passwordHash })),
    { username: `${demoLateSchool.code}-leader`, displayName: `${demoLateSchool.name}负责人`, role: 'leader', unitCode: demoLateSchool.code, passwordHash },
  ]);

  // 株洲市荷塘区: approved, awaiting review, returned.
  const [approvedSchool, waitingSchool, returnedSchool] = (await db.select({ code: units.code }).from(units).where(eq(units.parentCode, demoReviewCounty)).orderBy(units.code)).map((row) => row.code);
  for (const school of [approvedSchool, waitingSchool, returnedSchool]) if (school) await review(school);
  if (approvedSchool) await approve(demoReviewCounty, await submit(approvedSchool));
  if (waitingSchool) await submit(waitingSchool);
  if (returnedSchool) {
    const pkg = await submit(returnedSchool);
    const [first] = await db.select({ id: staff.id }).from(staff).where(eq(staff.schoolCode, returnedSchool)).orderBy(asc(staff.id)).limit(1);
    await returnPackage(db, await adminOf(demoReviewCounty), pkg, { category: 'data_error', reason: '一人参加工作年月早于出生后十六年，请核实', items: first ? [{ staffId: first.id, reason: '参加工作年月有误，请核对档案' }] : [] });
  }
}

/** Units the demo's motion touches (their schools enter most of their people). */
export const demoMotionCounty = (countyCode: string) => countyCode === demoReviewCounty || counties.find((c) => c.code === countyCode)?.prefectureCode === demoApprovedPrefecture;


