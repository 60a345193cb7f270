import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, varchar, bigint } from 'drizzle-orm/pg-core';
import { groupRoles, type GroupRole } from '../../../contract/coordination.schema.ts';
import { sqlList, timestamps } from './common.ts';
import { campaigns, units } from './org.ts';

/** One person of the 责任人和联络员信息表: 主管领导, 责任部门负责人 or 联络员 (checked by contact-rules.ts). */
export type ContactPerson = { name: string; title: string; officePhone: string; mobile: string; email: string };

/**
 * 责任人和联络员信息表 (attachment 2 of the plan): one row per unit and campaign, the responsible department
 * and its three people. Saving it is reporting it to the level above (`reportedAt`); `version` guards edits.
 */
export const unitContacts = pgTable(
  'unit_contacts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    department: text('department').notNull(),
    /** 主管领导 */
    leader: jsonb('leader').$type<ContactPerson>().notNull(),
    /** 责任部门负责人 */
    head: jsonb('head').$type<ContactPerson>().notNull(),
    /** 联络员 */
    liaison: jsonb('liaison').$type<ContactPerson>().notNull(),
    reportedAt: timestamp('reported_at', { withTimezone: true, mode: 'date' }).notNull(),
    reportedBy: integer('reported_by'),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (table) => [uniqueIndex('unit_contacts_unit_idx').on(table.campaignId, table.unitCode)],
);

/**
 * 联合工作组 (领导小组): a unit's leader, deputies and members with their post and phone, in `sortOrder`.
 * Role: leader (组长) | deputy (副组长) | member (成员). The whole group is replaced on each save.
 */
export const workingGroupMembers = pgTable(
  'working_group_members',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    role: varchar('role', { length: 8 }).$type<GroupRole>().notNull(),
    name: text('name').notNull(),
    post: text('post').notNull(),
    phone: text('phone').notNull(),
    sortOrder: smallint('sort_order').notNull(),
    ...timestamps,
  },
  (table) => [
    index('working_group_members_unit_idx').on(table.campaignId, table.unitCode, table.sortOrder),
    check('working_group_members_role_check', sql`${table.role} in (${sqlList(groupRoles)})`),
  ],
);
