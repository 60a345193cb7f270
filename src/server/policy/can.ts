import { forbidden, notFound } from '../errors.ts';
import { isWithin, type UnitRef } from '../../contract/unit-tree.ts';
import type { Actor } from './actor.ts';
import type { Role } from '../../contract/roles.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import { reportsToProvince } from '../../contract/units.ts';

/** What an actor may do, each checked against a resource that carries its place in the unit tree. */
export type Action =
  | 'unit.read'
  | 'school.create'
  | 'school.update'
  | 'school.lifecycle'
  | 'account.list'
  | 'account.read'
  | 'account.create'
  | 'account.update'
  | 'audit.read'
  | 'staff.read'
  | 'staff.write'
  | 'staff.seeFullId'
  | 'staff.reveal'
  | 'package.signoff'
  | 'package.submit'
  | 'package.review'
  | 'package.reopen'
  | 'weeklyReport.prepare'
  | 'weeklyReport.headSign'
  | 'weeklyReport.leaderSign'
  | 'task.complete'
  | 'campaign.plan'
  | 'bulletin.manage'
  | 'question.ask'
  | 'question.answer'
  | 'resource.manage'
  | 'contacts.report'
  | 'contacts.seePhones'
  | 'workingGroup.edit';

/** An account as policies see it. */
export type AccountRef = { id: number; unit: UnitRef; role: Role };

/** A unit as the marking of its plan tasks sees it. */
export type TaskUnitRef = { unit: UnitRef; reportsTo: string | null; hasAdmin: boolean };

type Resources = {
  'unit.read': UnitRef;
  /** The unit the new school will report to. */
  'school.create': UnitRef;
  'school.update': UnitRef;
  'school.lifecycle': UnitRef;
  /** The unit whose subtree's accounts are listed. */
  'account.list': UnitRef;
  'account.read': AccountRef;
  'account.create': { unit: UnitRef; role: Role };
  'account.update': AccountRef;
  'audit.read': UnitRef;
  /** Staff actions take the record's school. */
  'staff.read': UnitRef;
  'staff.write': UnitRef;
  'staff.seeFullId': UnitRef;
  'staff.reveal': UnitRef;
  /** Package actions take the submitting unit (sign-off, submit) or the receiving unit (review, reopen). */
  'package.signoff': UnitRef;
  'package.submit': UnitRef;
  'package.review': UnitRef;
  'package.reopen': UnitRef;
  /** Weekly report (周报表) actions take the reporting unit itself. */
  'weeklyReport.prepare': UnitRef;
  'weeklyReport.headSign': UnitRef;
  'weeklyReport.leaderSign': UnitRef;
  /**
   * The unit whose plan task is marked done (or undone, or given its document): the unit it reports to
   * (`reportsTo`, its parent) and whether it has an admin account of its own that is not disabled.
   */
  'task.complete': TaskUnitRef;
  /** The campaign plan and bulletins take the province. */
  'campaign.plan': UnitRef;
  'bulletin.manage': UnitRef;
  /** 答疑: the asking unit (ask, close), the unit whose queue holds the question (answer, escalate, publish). */
  'question.ask': UnitRef;
  'question.answer': UnitRef;
  /** 专栏: the unit whose announcements and library are managed. */
  'resource.manage': UnitRef;
  /** 责任人和联络员 and 联合工作组 take the unit they describe. */
  'contacts.report': UnitRef;
  'contacts.seePhones': UnitRef;
  'workingGroup.edit': UnitRef;
};

const isAdmin = (actor: Actor) => actor.role === 'admin';
/** An admin of a level above the school (province, prefecture, county): the school's own admin is not one. */
const isAreaAdmin = (actor: Actor) => isAdmin(actor) && actor.unit.kind !== 'school';
const sees = (actor: Actor, unit: UnitRef) => isWithin(unit, actor.unit);

/** The unit a resource sits at: the resource itself, or the unit it carries. */
function placeOf(resource: Resources[Action]): UnitRef {
  return 'unit' in resource ? resource.unit : resource;
}

/** True when `resource` lies in the actor's subtree: the only things an actor may even know exist. */
export function canSee<A extends Action>(actor: Actor, action: A, resource: Resources[A]): boolean {
  return sees(actor, placeOf(resource));
}

const ownUnit = (actor: Actor, unit: UnitRef) => actor.unit.code === unit.code;
/** 填表人 of a unit's own forms and questions: its admin or operator. */
const fills = (actor: Actor) => actor.role === 'operator' || actor.role === 'admin';
/**
 * Who keeps the unit's records and packages: a school's operator (人事专干; the school's admin runs its tasks,
 * accounts and attachment 2, not its records), and above the school its admin or operator.
 */
const keepsRecords = (actor: Actor) => actor.role === 'operator' || isAreaAdmin(actor);

/** Each action's rule, given a resource the actor can see. */
const rules: { [K in Action]: (actor: Actor, resource: Resources[K]) => boolean } = {
  'unit.read': () => true,
  // Schools are registered, edited (name, type, county, expected staff) and closed by the levels above: a school's
  // own admin changes none of it, so the count its people are measured against is not its own to lower.
  'school.create': (actor) => isAreaAdmin(actor),
  'school.update': (actor) => isAreaAdmin(actor),
  // 撤销、合并: an admin of a level above the school, never the school itself.
  'school.lifecycle': (actor, unit) => isAreaAdmin(actor) && actor.unit.code !== unit.code,
  'account.list': (actor) => isAdmin(actor),
  'account.read': (actor) => isAdmin(actor),
  'audit.read': (actor) => isAdmin(actor),
  // An admin account is made by the level above, never by a peer of its own unit.
  'account.create': (actor, { unit, role }) => isAdmin(actor) && (role !== 'admin' || unit.code !== actor.unit.code),
  'staff.read': () => true,
  // Records are entered and corrected by the school itself, by its 人事专干.
  'staff.write': (actor, unit) => ownUnit(actor, unit) && keepsRecords(actor),
  // Above the school, ID numbers are masked unless revealed (each reveal is audited).
  'staff.seeFullId': (actor) => actor.unit.kind === 'school',
  'staff.reveal': (actor) => actor.unit.kind !== 'school' && actor.role !== 'viewer',
  // 负责人签字: the unit's own leader.
  'package.signoff': (actor, unit) => ownUnit(actor, unit) && actor.role === 'leader',
  'package.submit': (actor, unit) => ownUnit(actor, unit) && keepsRecords(actor),
  // The receiving unit (a county or above: a school receives nothing).
  'package.review': (actor, unit) => ownUnit(actor, unit) && unit.kind !== 'school' && keepsRecords(actor),
  // The receiving level or any level above it, by an admin.
  'package.reopen': (actor) => isAreaAdmin(actor),
  // 填表人: the unit's own admin or operator fills, signs first and submits.
  // A school makes no weekly report (the county reports its schools).
  'weeklyReport.prepare': (actor, unit) => ownUnit(actor, unit) && unit.kind !== 'school' && fills(actor),
  // 责任部门负责人: the unit's own admin.
  'weeklyReport.headSign': (actor, unit) => ownUnit(actor, unit) && unit.kind !== 'school' && isAdmin(actor),
  // 主管局领导: the unit's own leader account.
  'weeklyReport.leaderSign': (actor, unit) => ownUnit(actor, unit) && unit.kind !== 'school' && actor.role === 'leader',
  // A unit's own admin records what the unit has done (培训已开展、方案已印发); a school without an admin
  // account, its operator. The unit a school reports to (its county; the province for a university) may
  // mark a school's task on its behalf (代为标记), by its admin.
  'task.complete': (actor, { unit, reportsTo, hasAdmin }) => {
    if (actor.unit.code === unit.code) return isAdmin(actor) || (unit.kind === 'school' && !hasAdmin && actor.role === 'operator');
    return unit.kind === 'school' && isAdmin(actor) && actor.unit.code === reportsTo;
  },
  'campaign.plan': (actor) => isAdmin(actor) && actor.unit.kind === 'province',
  'bulletin.manage': (actor) => isAdmin(actor) && actor.unit.kind === 'province',
  // The unit's own admin or operator asks, answers, escalates and closes.
  'question.ask': (actor, unit) => ownUnit(actor, unit) && fills(actor),
  'question.answer': (actor, unit) => ownUnit(actor, unit) && fills(actor),
  // 专栏 is published by a level for the units below it: a school has none below.
  'resource.manage': (actor, unit) => ownUnit(actor, unit) && isAreaAdmin(actor),
  // The unit's own admin fills and reports its responsible persons and its working group.
  'contacts.report': (actor, unit) => isAdmin(actor) && ownUnit(actor, unit),
  'workingGroup.edit': (actor, unit) => isAdmin(actor) && ownUnit(actor, unit),
  // The unit itself and the levels above call them; viewers see phones masked.
  'contacts.seePhones': (actor) => actor.role !== 'viewer',
  // An admin manages accounts of its subtree, but not its own role or standing (no self-lockout), and an
  // admin account only from a level above: a peer of the same unit can neither reset nor unlock it.
  'account.update': (actor, account) =>
    isAdmin(actor) && account.id !== actor.id && (account.role !== 'admin' || account.unit.code !== actor.unit.code),
};

/** The permission predicate: may `actor` perform `action` on `resource`? */
export function can<A extends Action>(actor: Actor, action: A, resource: Resources[A]): boolean {
  if (!canSee(actor, action, resource)) return false;
  const rule: (actor: Actor, resource: Resources[A]) => boolean = rules[action];
  return rule(actor, resource);
}

/** Throws 404 when the resource is outside the actor's subtree, 403 when it is visible but not allowed. */
export function authorize<A extends Action>(actor: Actor, action: A, resource: Resources[A]): void {
  if (!canSee(actor, action, resource)) throw notFound();
  if (!can(actor, action, resource)) throw forbidden();
}

/**
 * The pages an actor's own unit has, by its level (the `levels` of `route-matrix.ts`): the receiving inbox and
 * the weekly report from the county up; bulletins for the province, prefectures and universities; responsible
 * persons and the working group for the units that report them, and their children's reports for those that
 * receive them. `schoolType` is the actor's unit's own (null above the school).
 */
export function unitPages(actor: Actor, schoolType: SchoolType | null) {
  const kind = actor.unit.kind;
  const university = kind === 'school' && reportsToProvince(schoolType);
  return {
    receivePackages: kind !== 'school',
    weeklyReports: kind !== 'school',
    readBulletins: kind === 'province' || kind === 'prefecture' || university,
    reportContacts: kind === 'prefecture' || kind === 'county' || university,
    receiveContacts: kind === 'province' || kind === 'prefecture',
  };
}
