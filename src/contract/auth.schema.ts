import { z } from 'zod';
import { roles } from './roles.ts';
import { unitKinds } from './units.ts';

export const unitKindSchema = z.enum(unitKinds);
export const roleSchema = z.enum(roles);

/** A unit as a reference: its code, name and level. */
export const unitRefSchema = z.object({ code: z.string(), name: z.string(), kind: unitKindSchema });

/**
 * What the signed-in account may do and which pages its unit has, for the menu and the controls that belong to
 * no single resource. The server computes every flag; the web only reads them.
 */
export const sessionAbilitiesSchema = z.object({
  manageAccounts: z.boolean(),
  manageSchools: z.boolean(),
  /** 提问: the unit's admin or operator, below the province. */
  askQuestions: z.boolean(),
  /** 报送收件: the levels that receive packages (county and above). */
  receivePackages: z.boolean(),
  /** 周报表: the levels that report weekly (county and above). */
  weeklyReports: z.boolean(),
  /** 通报: the province, prefectures and universities. */
  readBulletins: z.boolean(),
  /** 责任人、工作组: the units that report them (prefectures, counties, universities). */
  reportContacts: z.boolean(),
  /** 下级责任人报送: the units that receive them (the province and prefectures). */
  receiveContacts: z.boolean(),
});

export const sessionUserSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  unit: unitRefSchema,
  abilities: sessionAbilitiesSchema,
});

/**
 * The signed-in session. `mustChangePassword`: the password was given by someone else (an import, a reset); until
 * the account changes it every route but sign-out, this one and changing the password answers 403
 * `password_change_required`.
 */
export const meSchema = z.object({ user: sessionUserSchema, csrfToken: z.string(), mustChangePassword: z.boolean() });

export const loginBodySchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(128) });

export type UnitRef = z.infer<typeof unitRefSchema>;
export type SessionUser = z.infer<typeof sessionUserSchema>;
export type Session = z.infer<typeof meSchema>;
