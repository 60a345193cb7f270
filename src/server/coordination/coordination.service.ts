import type { Executor } from '../db/client.ts';
import type { CampaignPlan, PlanLevel } from '../../standard/campaign.ts';
import campaignData from '../../standard/data/campaign-2013.json' with { type: 'json' };
import { planLevelOf, type CampaignRow } from '../campaign/campaign.service.ts';
import { chinaDate } from '../campaign/tasks.ts';
import { deadlineState } from '../campaign/deadlines.ts';
import type { DeadlineState } from '../../contract/packages.schema.ts';
import type { UnitRow } from '../org/units.repository.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import { notify } from '../notifications/notifications.service.ts';
import { DomainError, staleVersion } from '../errors.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import type { UnitKind } from '../../contract/unit-tree.ts';
import { groupRoles, type ContactsForm, type CoordinationUnit, type WorkingGroupForm } from '../../contract/coordination.schema.ts';
import { checkContacts, checkWorkingGroup, type ContactsInput, type Finding, type GroupMemberInput } from './contact-rules.ts';
import {  reportsToProvince } from '../../contract/units.ts';
import {
  contactReportingChildren,
  contactsOfUnits,
  findContacts,
  insertContacts,
  listWorkingGroup,
  lockWorkingGroup,
  replaceWorkingGroup,
  updateContacts,
  type ContactPerson,
  type UnitContactsRow,
  type WorkingGroupRow,
} from './coordination.repository.ts';

export { findContacts, listWorkingGroup, type UnitContactsRow, type WorkingGroupRow } from './coordination.repository.ts';

/** The plan's wording of attachment 2 and of the 联合工作组. */
export const contactsForm: ContactsForm = campaignData.contactsForm;
export const workingGroupForm: WorkingGroupForm = campaignData.workingGroup;

/** The plan levels that report their responsible persons (the task the plan marks `observable: 'contacts'`). */
export function contactsTask(plan: CampaignPlan, kind: UnitKind, schoolType: SchoolType | null) {
  const level: PlanLevel = planLevelOf(kind, schoolType);
  return plan.levels[level]?.tasks.find((task) => task.observable === 'contacts') ?? null;
}

/** Units that report their responsible persons: prefectures, counties and universities. */
export const reportsContacts = (unit: Pick<UnitRow, 'kind' | 'schoolType'>) =>
  unit.kind === 'prefecture' || unit.kind === 'county' || (unit.kind === 'school' && reportsToProvince(unit.schoolType));

function refuse(findings: Finding[]): never {
  throw new DomainError(
    'validation_failed',
    { zh: findings.map((finding) => finding.messages.zh).join('；'), en: findings.map((finding) => finding.messages.en).join('; ') },
    findings.map((finding) => ({ field: finding.field, message: finding.messages.zh, messages: finding.messages })),
  );
}

/**
 * Saves (and so reports) a unit's responsible persons: checked and normalised, guarded by `version` once a
 * report exists, audited, and the level above is told.
 */
export async function reportContacts(
  executor: Executor,
  context: AuditContext,
  campaign: CampaignRow,
  unit: UnitRow,
  input: ContactsInput,
  version: number | undefined,
): Promise<UnitContactsRow> {
  if (!reportsContacts(unit)) {
    throw new DomainError('unprocessable', {
      zh: '本单位不报送责任人和联络员信息（由市州、县市区教育局和高等学校报送）',
      en: 'This unit does not report responsible persons (prefectures, counties and universities do)',
    });
  }
  const { value, findings } = checkContacts(input);
  if (findings.length) refuse(findings);
  const people: Record<'leader' | 'head' | 'liaison', ContactPerson> = { leader: value.leader, head: value.head, liaison: value.liaison };
  return executor.transaction(async (tx) => {
    const existing = await findContacts(tx, campaign.id, unit.code);
    const now = new Date();
    let saved: UnitContactsRow | undefined;
    if (existing) {
      if (version === undefined || version !== existing.version) throw staleVersion();
      saved = await updateContacts(tx, existing, { department: value.department, ...people, reportedAt: now, reportedBy: context.actor?.id ?? null, updatedAt: now });
    } else {
      if (version !== undefined && version !== 0) throw staleVersion();
      saved = await insertContacts(tx, campaign.id, unit.code, { department: value.department, ...people, reportedAt: now, reportedBy: context.actor?.id ?? null });
    }
    if (!saved) throw staleVersion();
    await recordAudit(tx, context, {
      action: existing ? 'contacts.update' : 'contacts.report',
      targetType: 'unit_contacts',
      targetId: saved.id,
      unitCode: unit.code,
      before: existing ? { department: existing.department, leader: existing.leader, head: existing.head, liaison: existing.liaison } : null,
      after: { department: saved.department, leader: saved.leader, head: saved.head, liaison: saved.liaison },
    });
    if (unit.parentCode) {
      await notify(tx, [{
        unitCode: unit.parentCode,
        kind: 'contacts_reported',
        title: existing ? `${unit.name} 更新了责任人和联络员信息` : `${unit.name} 报送了责任人和联络员信息`,
        body: `责任部门：${saved.department}；联络员：${saved.liaison.name}`,
        link: `/units/${unit.parentCode}/contacts/children`,
      }]);
    }
    return saved;
  });
}

export type ChildContactsStatus = {
  unit: CoordinationUnit;
  due: string | null;
  deadline: DeadlineState | null;
  reported: boolean;
  reportedAt: Date | null;
  late: boolean;
  contacts: UnitContactsRow | null;
};

/**
 * The units reporting their responsible persons to `parent` (prefectures and universities to the province,
 * counties to their prefecture): reported or missing, with the plan's deadline; missing first (late ones
 * before the rest), then reported, each by code.
 */
export async function childrenStatus(executor: Executor, campaign: CampaignRow, parent: UnitRow, now = new Date()): Promise<ChildContactsStatus[]> {
  const children = await contactReportingChildren(executor, parent.code);
  if (children.length === 0) return [];
  const rows = await contactsOfUnits(executor, campaign.id, children.map((child) => child.code));
  const byUnit = new Map(rows.map((row) => [row.unitCode, row]));
  const plan = campaign.plan;
  const statuses = children.map((child): ChildContactsStatus => {
    const due = contactsTask(plan, child.kind, child.schoolType)?.due ?? null;
    const contacts = byUnit.get(child.code) ?? null;
    const reportedOn = contacts ? chinaDate(contacts.reportedAt) : null;
    return {
      unit: { code: child.code, name: child.name, kind: child.kind, schoolType: child.schoolType },
      due,
      deadline: contacts ? null : deadlineState(due, now),
      reported: contacts !== null,
      reportedAt: contacts?.reportedAt ?? null,
      late: Boolean(due && (reportedOn ? reportedOn > due : deadlineState(due, now) === 'late')),
      contacts,
    };
  });
  const rank = (status: ChildContactsStatus) => (status.reported ? 2 : status.late ? 0 : 1);
  return statuses.sort((a, b) => rank(a) - rank(b) || a.unit.code.localeCompare(b.unit.code));
}

/** A version of a unit's working group for optimistic locking: its member count and last change. */
export function groupVersion(rows: WorkingGroupRow[]): string {
  const last = rows.reduce((latest, row) => Math.max(latest, row.updatedAt.getTime()), 0);
  return `${rows.length}-${last}`;
}

/** Replaces a unit's working group (组长 first, then 副组长, then 成员, each in the order given), audited. */
export async function saveWorkingGroup(
  executor: Executor,
  context: AuditContext,
  campaign: CampaignRow,
  unit: UnitRow,
  members: GroupMemberInput[],
  version: string | undefined,
): Promise<WorkingGroupRow[]> {
  const { value, findings } = checkWorkingGroup(members);
  if (findings.length) refuse(findings);
  const ordered = [...value].sort((a, b) => groupRoles.indexOf(a.role) - groupRoles.indexOf(b.role));
  return executor.transaction(async (tx) => {
    await lockWorkingGroup(tx, campaign.id, unit.code);
    const before = await listWorkingGroup(tx, campaign.id, unit.code);
    if (version !== undefined && version !== groupVersion(before)) throw staleVersion();
    await replaceWorkingGroup(tx, campaign.id, unit.code, ordered.map((member, index) => ({ ...member, sortOrder: index + 1 })));
    const after = await listWorkingGroup(tx, campaign.id, unit.code);
    await recordAudit(tx, context, {
      action: 'working_group.update',
      targetType: 'working_group',
      targetId: unit.code,
      unitCode: unit.code,
      before: before.map(({ role, name, post, phone }) => ({ role, name, post, phone })),
      after: after.map(({ role, name, post, phone }) => ({ role, name, post, phone })),
    });
    return after;
  });
}
