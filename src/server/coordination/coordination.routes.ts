import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, errorSchema, unitCodeParams } from '../http/api-schemas.ts';
import { authorize, can } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import type { UnitRow } from '../org/units.repository.ts';
import { unitRefOf } from '../../contract/unit-tree.ts';
import { recordAudit } from '../audit/audit.ts';
import { notFound } from '../errors.ts';
import { findProvince, type ContactPerson } from './coordination.repository.ts';
import { requireCampaign } from '../packages/package.service.ts';
import { deadlineState } from '../campaign/deadlines.ts';
import { groupRoleLabels } from './contact-rules.ts';
import {
  childrenContactsSchema,
  contactRoles,
  contactsBodySchema,
  contactsSchema,
  unitContactsSchema,
  workingGroupBodySchema,
  workingGroupSchema,
} from '../../contract/coordination.schema.ts';
import { maskPhone } from '../../standard/masking.ts';
import {
  childrenStatus,
  contactsForm,
  contactsTask,
  findContacts,
  groupVersion,
  listWorkingGroup,
  reportContacts,
  reportsContacts,
  saveWorkingGroup,
  workingGroupForm,
  type UnitContactsRow,
  type WorkingGroupRow,
} from './coordination.service.ts';
import { contactsDirectoryWorkbook } from './contacts.xlsx.ts';

const presentUnit = (unit: Pick<UnitRow, 'code' | 'name' | 'kind' | 'schoolType'>) => ({ code: unit.code, name: unit.name, kind: unit.kind, schoolType: unit.schoolType });

function presentPerson(person: ContactPerson, masked: boolean) {
  return masked ? { ...person, officePhone: maskPhone(person.officePhone), mobile: maskPhone(person.mobile) } : person;
}

function presentContacts(row: UnitContactsRow, masked: boolean) {
  return {
    department: row.department,
    leader: presentPerson(row.leader, masked),
    head: presentPerson(row.head, masked),
    liaison: presentPerson(row.liaison, masked),
    reportedAt: row.reportedAt.toISOString(),
    version: row.version,
  };
}

function presentGroup(actor: Actor, unit: UnitRow, rows: WorkingGroupRow[], masked: boolean) {
  return {
    unit: presentUnit(unit),
    members: rows.map((row) => ({
      role: row.role,
      roleLabel: groupRoleLabels[row.role],
      name: row.name,
      post: row.post,
      phone: masked ? maskPhone(row.phone) : row.phone,
    })),
    version: groupVersion(rows),
    phonesMasked: masked,
    canEdit: can(actor, 'workingGroup.edit', unitRefOf(unit)),
    form: workingGroupForm,
  };
}

export async function coordinationRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

  api.get('/api/units/:code/contacts', {
    schema: {
      tags: ['coordination'],
      summary: '本单位责任人和联络员信息（报送情况、截止时间）/ The unit\'s responsible persons, whether reported, and the deadline',
      params: unitCodeParams,
      response: {
        200: unitContactsSchema,
        ...errorResponses,
      },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    const ref = unitRefOf(unit);
    authorize(actor, 'unit.read', ref);
    const campaign = await requireCampaign(db);
    const row = await findContacts(db, campaign.id, unit.code);
    const due = contactsTask(campaign.plan, unit.kind, unit.schoolType)?.due ?? null;
    const masked = !can(actor, 'contacts.seePhones', ref);
    return {
      unit: presentUnit(unit),
      reports: reportsContacts(unit),
      due,
      deadline: row ? null : deadlineState(due, new Date()),
      contacts: row ? presentContacts(row, masked) : null,
      phonesMasked: masked,
      canEdit: reportsContacts(unit) && can(actor, 'contacts.report', ref),
      form: contactsForm,
    };
  });

  api.put('/api/units/:code/contacts', {
    schema: {
      tags: ['coordination'],
      summary: '填写并报送责任人和联络员信息（保存即报送上级）/ Fill in and report the responsible persons (saving reports them)',
      params: unitCodeParams,
      body: contactsBodySchema,
      response: { 200: contactsSchema, ...errorResponses, 409: errorSchema, 422: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'contacts.report', unitRefOf(unit));
    const campaign = await requireCampaign(db);
    const { version, ...input } = request.body;
    const saved = await reportContacts(db, { ...auditContext(request), actor }, campaign, unit, input, version);
    return presentContacts(saved, false);
  });

  api.get('/api/units/:code/contacts/children', {
    schema: {
      tags: ['coordination'],
      summary: '下级责任人报送情况（未报送、逾期在前）/ Which units below have reported their responsible persons, missing and late first',
      params: unitCodeParams,
      response: {
        200: childrenContactsSchema,
        ...errorResponses,
      },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    const ref = unitRefOf(unit);
    authorize(actor, 'unit.read', ref);
    const campaign = await requireCampaign(db);
    const statuses = await childrenStatus(db, campaign, unit);
    const masked = !can(actor, 'contacts.seePhones', ref);
    const reported = statuses.filter((status) => status.reported).length;
    return {
      unit: presentUnit(unit),
      reported,
      missing: statuses.length - reported,
      phonesMasked: masked,
      items: statuses.map((status) => ({
        unit: status.unit,
        due: status.due,
        deadline: status.deadline,
        reported: status.reported,
        reportedAt: status.reportedAt?.toISOString() ?? null,
        late: status.late,
        contacts: status.contacts ? presentContacts(status.contacts, masked) : null,
      })),
    };
  });

  api.get('/api/units/:code/contacts/export', {
    schema: {
      tags: ['coordination'],
      summary: '导出下级责任人和联络员通讯录（附件 2 格式 .xlsx）/ Export the directory of the units below (attachment 2 layout)',
      params: unitCodeParams,
      response: { 200: z.any(), ...errorResponses },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    const ref = unitRefOf(unit);
    authorize(actor, 'unit.read', ref);
    const campaign = await requireCampaign(db);
    const statuses = await childrenStatus(db, campaign, unit);
    const masked = !can(actor, 'contacts.seePhones', ref);
    const lines = [...statuses]
      .sort((a, b) => a.unit.code.localeCompare(b.unit.code))
      .map((status) => ({
        unitName: status.unit.name,
        department: status.contacts?.department ?? '',
        people: status.contacts ? contactRoles.map((role) => presentPerson(status.contacts![role], masked)) : null,
      }));
    const buffer = await contactsDirectoryWorkbook({ unitName: unit.name, lines });
    await recordAudit(db, { ...auditContext(request), actor }, {
      action: 'contacts.export',
      targetType: 'unit_contacts',
      targetId: unit.code,
      unitCode: unit.code,
      after: { units: statuses.length, reported: statuses.filter((status) => status.reported).length, phonesMasked: masked },
    });
    const name = `${contactsForm.title}-${unit.name}.xlsx`;
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(buffer);
  });

  api.get('/api/units/:code/working-group', {
    schema: {
      tags: ['coordination'],
      summary: '本单位联合工作组（领导小组）/ The unit\'s working group',
      params: unitCodeParams,
      response: { 200: workingGroupSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    const ref = unitRefOf(unit);
    authorize(actor, 'unit.read', ref);
    const campaign = await requireCampaign(db);
    return presentGroup(actor, unit, await listWorkingGroup(db, campaign.id, unit.code), !can(actor, 'contacts.seePhones', ref));
  });

  api.put('/api/units/:code/working-group', {
    schema: {
      tags: ['coordination'],
      summary: '保存本单位联合工作组（整组替换）/ Save the unit\'s working group (replaces the whole group)',
      params: unitCodeParams,
      body: workingGroupBodySchema,
      response: { 200: workingGroupSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'workingGroup.edit', unitRefOf(unit));
    const campaign = await requireCampaign(db);
    const rows = await saveWorkingGroup(db, { ...auditContext(request), actor }, campaign, unit, request.body.members, request.body.version);
    return presentGroup(actor, unit, rows, false);
  });

  api.get('/api/working-group/province', {
    schema: {
      tags: ['coordination'],
      summary: '省联合工作组（所有登录用户可见）/ The province\'s working group, shown to everyone signed in',
      response: { 200: workingGroupSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const campaign = await requireCampaign(db);
    const province = await findProvince(db);
    if (!province) throw notFound();
    // Units below see the province's phones masked; the province's own accounts (but its viewers) in full.
    const masked = actor.unit.code !== province.code || !can(actor, 'contacts.seePhones', unitRefOf(province));
    return presentGroup(actor, province, await listWorkingGroup(db, campaign.id, province.code), masked);
  });
}
