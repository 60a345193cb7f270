import { province } from '../../standard/divisions.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import type { Database, Executor } from '../db/client.ts';
import { DomainError, notFound, staleVersion } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import { authorize, can } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import { findUnit, findUnits, insertUnitIfNew, updateUnit, type UnitInsert, type UnitRow } from '../org/units.repository.ts';
import { childPath, isWithin, reportingUnitCode, schoolTypeOf, unitRefOf } from '../../contract/unit-tree.ts';
import type { CreateSchoolInput, UpdateSchoolInput } from '../../contract/schools.schema.ts';
import { schoolChanged, schoolMoved, schoolsChanged } from './school-life.service.ts';
import { insertSchoolUnits } from './schools.repository.ts';

type ActorContext = AuditContext & { actor: Actor };


const schoolAudit = (row: Pick<UnitRow, 'name' | 'schoolType' | 'countyCode' | 'expectedStaff' | 'parentCode'>) => ({
  name: row.name,
  schoolType: row.schoolType,
  countyCode: row.countyCode,
  expectedStaff: row.expectedStaff,
  reportingUnitCode: row.parentCode,
});

const countyNotFound = (code: string) =>
  notFound({ zh: `县市区 ${code} 不存在或不在您的管辖范围内`, en: `County ${code} not found or outside your scope` });

/** Where a school of this type in this county sits in the tree: its reporting unit and path. */
export async function placeSchool(executor: Executor, actor: Actor, schoolType: SchoolType, countyCode: string) {
  const county = await findUnit(executor, countyCode);
  if (!county || county.kind !== 'county') throw countyNotFound(countyCode);
  const parentCode = reportingUnitCode(schoolType, county.code, province.code);
  const parent = parentCode === county.code ? county : await findUnit(executor, parentCode);
  if (!parent) throw countyNotFound(countyCode);
  if (!isWithin(county, actor.unit) && !isWithin(parent, actor.unit)) throw countyNotFound(countyCode);
  if (!isWithin(parent, actor.unit)) {
    throw new DomainError('forbidden', {
      zh: '高等学校直接报送至省级，只有省级管理员可以添加或移入',
      en: 'Higher education reports straight to the province; only a province admin may add or move one there',
    });
  }
  return { county, parent };
}

/** 新增学校: an admin adds a school reporting to a unit of its subtree. */
export async function createSchool(db: Database, context: ActorContext, input: CreateSchoolInput) {
  const { parent } = await placeSchool(db, context.actor, input.schoolType, input.countyCode);
  authorize(context.actor, 'school.create', unitRefOf(parent));
  return db.transaction(async (tx) => {
    const row = await insertUnitIfNew(tx, {
      code: input.code,
      name: input.name,
      kind: 'school',
      parentCode: parent.code,
      path: childPath(parent.path, input.code),
      depth: parent.depth + 1,
      schoolType: input.schoolType,
      countyCode: input.countyCode,
      expectedStaff: input.expectedStaff,
      createdBy: context.actor.id,
      updatedBy: context.actor.id,
    });
    if (!row) {
      throw new DomainError('conflict', {
        zh: `学校标识码 ${input.code} 已被使用`,
        en: `The school code ${input.code} is already in use`,
      }, [{ field: 'code', code: 'taken' }]);
    }
    await recordAudit(tx, context, {
      action: 'school.created',
      targetType: 'unit',
      targetId: row.code,
      unitCode: row.code,
      after: schoolAudit(row),
    });
    // 不漏一校: a school found late is one more the levels above must have approved.
    await schoolChanged(tx, row.code, `新增学校「${row.name}」（${row.code}）`);
    return row;
  });
}

/** 修改学校: name, type, county or expected staff; a new type or county may move its reporting unit. */
export async function updateSchool(db: Database, context: ActorContext, school: UnitRow, input: UpdateSchoolInput) {
  authorize(context.actor, 'school.update', unitRefOf(school));
  const schoolType = input.schoolType ?? schoolTypeOf(school);
  const countyCode = input.countyCode ?? school.countyCode!;
  // Only a move (a new type or county) is placed again and weighed against its reporting unit: a school's own
  // admin, who sees no county, still edits its name and expected staff.
  const moves = schoolType !== school.schoolType || countyCode !== school.countyCode;
  const parent = moves ? (await placeSchool(db, context.actor, schoolType, countyCode)).parent : undefined;
  if (parent && parent.code !== school.parentCode) authorize(context.actor, 'school.create', unitRefOf(parent));
  return db.transaction(async (tx) => {
    const row = await updateUnit(tx, school.code, { version: input.version }, {
      name: input.name ?? school.name,
      schoolType,
      countyCode,
      expectedStaff: input.expectedStaff ?? school.expectedStaff,
      parentCode: parent ? parent.code : school.parentCode,
      path: parent ? childPath(parent.path, school.code) : school.path,
      depth: parent ? parent.depth + 1 : school.depth,
      updatedBy: context.actor.id,
      updatedAt: new Date(),
    });
    if (!row) throw staleVersion();
    await recordAudit(tx, context, {
      action: 'school.updated',
      targetType: 'unit',
      targetId: row.code,
      unitCode: row.code,
      before: schoolAudit(school),
      after: schoolAudit(row),
    });
    await chainAfterUpdate(tx, school, row);
    return row;
  });
}

/**
 * What an edited school changes above it: a move makes both chains need review again; a new expected count
 * makes the school's own package and everything above it need review again (the school.updated audit entry
 * holds the old value).
 */
async function chainAfterUpdate(executor: Executor, before: UnitRow, after: UnitRow) {
  if (before.parentCode !== after.parentCode && before.parentCode && after.parentCode) {
    const [from, to] = await Promise.all([findUnit(executor, before.parentCode), findUnit(executor, after.parentCode)]);
    if (from && to) await schoolMoved(executor, after, from, to);
  }
  if (before.expectedStaff !== after.expectedStaff) {
    await schoolChanged(executor, after.code, `学校「${after.name}」（${after.code}）应有人数由 ${before.expectedStaff ?? 0} 改为 ${after.expectedStaff ?? 0}`, { includeSelf: true });
  }
}

export type SchoolListRow = CreateSchoolInput & { rowNumber: number };

/**
 * Writes a checked school list in one transaction: new codes are added, known ones (in the actor's
 * subtree) updated. Returns the counts. Callers check the rows first (see schools.import.ts).
 */
export async function upsertSchools(
  db: Database,
  context: ActorContext,
  rows: SchoolListRow[],
  /** More writes in the same transaction, given the codes of the schools added (their accounts). */
  alsoWrite?: (tx: Executor, createdCodes: Set<string>) => Promise<void>,
) {
  const countyCodes = [...new Set(rows.map((row) => row.countyCode))];
  const placements = new Map<string, UnitRow>();
  for (const unit of await findUnits(db, [...countyCodes, province.code])) placements.set(unit.code, unit);
  const existing = new Map((await findUnits(db, rows.map((row) => row.code))).map((row) => [row.code, row]));
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  await db.transaction(async (tx) => {
    const events = [];
    const createdCodes = new Set<string>();
    const added: UnitInsert[] = [];
    for (const row of rows) {
      const parent = placements.get(reportingUnitCode(row.schoolType, row.countyCode, province.code))!;
      const values = {
        name: row.name,
        kind: 'school' as const,
        parentCode: parent.code,
        path: childPath(parent.path, row.code),
        depth: parent.depth + 1,
        schoolType: row.schoolType,
        countyCode: row.countyCode,
        expectedStaff: row.expectedStaff,
        updatedBy: context.actor.id,
      };
      const before = existing.get(row.code);
      if (!before) {
        added.push({ code: row.code, ...values, createdBy: context.actor.id });
        createdCodes.add(row.code);
        events.push({ action: 'school.created', targetType: 'unit', targetId: row.code, unitCode: row.code, after: schoolAudit(values) });
        continue;
      }
      const same =
        before.name === row.name &&
        before.schoolType === row.schoolType &&
        before.countyCode === row.countyCode &&
        before.expectedStaff === row.expectedStaff;
      if (same) {
        unchanged += 1;
        continue;
      }
      const after = (await updateUnit(tx, row.code, {}, { ...values, updatedAt: new Date() }))!;
      await chainAfterUpdate(tx, before, after);
      updated += 1;
      events.push({
        action: 'school.updated',
        targetType: 'unit',
        targetId: row.code,
        unitCode: row.code,
        before: schoolAudit(before),
        after: schoolAudit(values),
      });
    }
    // New schools go in hundreds to a statement: a list of 20,000 is written in seconds.
    await insertSchoolUnits(tx, added);
    await schoolsChanged(tx, added.map((row) => ({ unitCode: row.code, parentCode: row.parentCode ?? null, cause: `新增学校「${row.name}」（${row.code}）` })));
    created = added.length;
    await recordAudit(tx, context, events);
    await alsoWrite?.(tx, createdCodes);
  });
  return { created, updated, unchanged };
}

/** Whether the actor may place a school of this type in this county (used by the list checker). */
export function mayPlace(actor: Actor, parent: UnitRow | undefined): boolean {
  return parent !== undefined && can(actor, 'school.create', unitRefOf(parent));
}
