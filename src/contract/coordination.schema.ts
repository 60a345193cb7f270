import { z } from 'zod';
import { schoolTypeSchema } from '../standard/school-types.ts';
import { labelSchema, maxInteger } from './api.schema.ts';
import { unitKindSchema } from './auth.schema.ts';
import { deadlineStates } from './packages.schema.ts';

/** The three people of the 责任人和联络员信息表: 主管领导, 责任部门负责人, 联络员 (in the attachment's order). */
export const contactRoles = ['leader', 'head', 'liaison'] as const;
export type ContactRole = (typeof contactRoles)[number];
/** The columns of each person, in the attachment's order. */
export const personFields = ['name', 'title', 'officePhone', 'mobile', 'email'] as const;
export type PersonField = (typeof personFields)[number];
/** 联合工作组: 组长, 副组长, 成员 (the group is saved in this order). */
export const groupRoles = ['leader', 'deputy', 'member'] as const;
export type GroupRole = (typeof groupRoles)[number];

export const groupRoleSchema = z.enum(groupRoles);

const text = z.string().max(500);
const personInputSchema = z.object({ name: text, title: text, officePhone: text, mobile: text, email: text });
export const personSchema = z.object({ name: z.string(), title: z.string(), officePhone: z.string(), mobile: z.string(), email: z.string() });

/** PUT /api/units/{code}/contacts: saving is reporting; `version` once a report exists (0 or absent before). */
export const contactsBodySchema = z.object({
  department: text,
  leader: personInputSchema,
  head: personInputSchema,
  liaison: personInputSchema,
  version: z.number().int().min(0).max(maxInteger).optional(),
});

export const contactsSchema = z.object({ department: z.string(), leader: personSchema, head: personSchema, liaison: personSchema, reportedAt: z.string(), version: z.number() });
export const coordinationUnitSchema = z.object({ code: z.string(), name: z.string(), kind: unitKindSchema, schoolType: schoolTypeSchema.nullable() });
const deadlineStateSchema = z.enum(deadlineStates);

/** GET /api/units/{code}/contacts: `canEdit` for a unit that reports them and an actor who may. */
export const unitContactsSchema = z.object({
  unit: coordinationUnitSchema,
  reports: z.boolean(),
  due: z.string().nullable(),
  deadline: deadlineStateSchema.nullable(),
  contacts: contactsSchema.nullable(),
  phonesMasked: z.boolean(),
  canEdit: z.boolean(),
  form: z.object({ title: z.string(), header: z.array(z.string()), roles: z.array(z.string()), columns: z.array(z.string()) }),
});

export const childContactsSchema = z.object({
  unit: coordinationUnitSchema,
  due: z.string().nullable(),
  deadline: deadlineStateSchema.nullable(),
  reported: z.boolean(),
  reportedAt: z.string().nullable(),
  late: z.boolean(),
  contacts: contactsSchema.nullable(),
});

/** GET /api/units/{code}/contacts/children */
export const childrenContactsSchema = z.object({
  unit: coordinationUnitSchema,
  reported: z.number(),
  missing: z.number(),
  phonesMasked: z.boolean(),
  items: z.array(childContactsSchema),
});

export const groupMemberSchema = z.object({ role: groupRoleSchema, name: z.string(), post: z.string(), phone: z.string() });

/** PUT /api/units/{code}/working-group: the whole group, replacing the one at `version`. */
export const workingGroupBodySchema = z.object({
  members: z.array(z.object({ role: groupRoleSchema, name: text, post: text, phone: text })).max(60),
  version: z.string().max(40).optional(),
});

/** The wording of the plan's 联合工作组 (campaign-2013.json `workingGroup`). */
export const workingGroupFormSchema = z.object({ title: z.string(), roles: z.array(z.string()), columns: z.array(z.string()), provinceMemberPosts: z.array(z.string()), office: z.string(), rule: z.string() });
/** The wording of the plan's attachment 2 (campaign-2013.json `contactsForm`). */
export const contactsFormSchema = z.object({ title: z.string(), attachment: z.number(), header: z.array(z.string()), roles: z.array(z.string()), columns: z.array(z.string()) });

export const workingGroupSchema = z.object({
  unit: coordinationUnitSchema,
  members: z.array(groupMemberSchema.extend({ roleLabel: labelSchema })),
  version: z.string(),
  phonesMasked: z.boolean(),
  canEdit: z.boolean(),
  form: workingGroupFormSchema,
});

export type ContactPerson = z.infer<typeof personSchema>;
export type Contacts = z.infer<typeof contactsSchema>;
export type ContactsBody = z.infer<typeof contactsBodySchema>;
export type CoordinationUnit = z.infer<typeof coordinationUnitSchema>;
export type UnitContacts = z.infer<typeof unitContactsSchema>;
export type ChildContacts = z.infer<typeof childContactsSchema>;
export type ChildrenContacts = z.infer<typeof childrenContactsSchema>;
export type GroupMember = z.infer<typeof groupMemberSchema>;
export type WorkingGroup = z.infer<typeof workingGroupSchema>;
export type ContactsForm = z.infer<typeof contactsFormSchema>;
export type WorkingGroupForm = z.infer<typeof workingGroupFormSchema>;
