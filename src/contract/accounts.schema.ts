import { z } from 'zod';
import { pageQuerySchema, versionSchema } from './api.schema.ts';
import { roleSchema, unitRefSchema } from './auth.schema.ts';

/**
 * The shape of a password: 10–128 characters with a letter and a digit. The server adds what only it knows
 * (common passwords, the username, unit codes) and names the rule it refuses by.
 */
export const passwordShapeSchema = z
  .string()
  .min(10, '密码至少 10 位 / at least 10 characters')
  .max(128, '密码最多 128 位 / at most 128 characters')
  .regex(/[A-Za-z]/, '密码须包含字母 / must contain a letter')
  .regex(/\d/, '密码须包含数字 / must contain a digit');

export const usernameSchema = z
  .string()
  .trim()
  .min(3, '用户名至少 3 位 / at least 3 characters')
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/, '用户名只能包含字母、数字和 _ . @ - / letters, digits and _ . @ - only');

/** An account as the accounts API presents it (never its password hash); `abilities.update`: the caller may change it. */
export const accountSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  unit: unitRefSchema,
  disabled: z.boolean(),
  locked: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  abilities: z.object({ update: z.boolean() }),
});

/** GET /api/accounts: the accounts of a unit's subtree (or of the unit itself), searched and paged. */
export const accountListQuerySchema = pageQuerySchema.extend({
  unitCode: z.string().max(10).optional().describe('只列出该单位辖区 / only this unit\'s subtree'),
  onlyUnit: z.enum(['true', 'false']).optional().describe('只列出该单位本身的账号 / only accounts of this very unit'),
  role: roleSchema.optional(),
  q: z.string().max(100).optional(),
});

/** 新建账号 (the server checks the password further). */
export const accountCreateBodySchema = z.object({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(50),
  role: roleSchema,
  unitCode: z.string().max(10),
  password: passwordShapeSchema,
});

/** 修改账号, with the version the editor read. */
export const accountUpdateBodySchema = z.object({
  version: versionSchema,
  displayName: z.string().trim().min(1).max(50).optional(),
  role: roleSchema.optional(),
  unitCode: z.string().max(10).optional(),
  disabled: z.boolean().optional(),
});

/** 重置密码 (the server checks the password further). */
export const resetPasswordBodySchema = z.object({ password: passwordShapeSchema });

/** 修改本人密码 (the server checks the new password further). */
export const changePasswordBodySchema = z.object({ currentPassword: z.string().min(1).max(128), newPassword: passwordShapeSchema });

export type Account = z.infer<typeof accountSchema>;
export type AccountListQuery = z.infer<typeof accountListQuerySchema>;
export type NewAccount = z.input<typeof accountCreateBodySchema>;
export type AccountPatch = z.input<typeof accountUpdateBodySchema>;

/** 批量重置密码 / 批量解锁: the units whose own accounts are acted on (each in the caller's subtree). */
export const bulkUnitsBodySchema = z.object({
  unitCodes: z.array(z.string().max(10)).min(1, '请选择单位 / choose at least one unit').max(50_000),
});

/**
 * The answer of a bulk action: units and accounts acted on; `skipped` counts accounts left to the level above
 * (the caller itself and its own unit's admins); `unlocked` (unlock only) those that were locked.
 */
export const bulkResultSchema = z.object({ units: z.number(), accounts: z.number(), skipped: z.number(), unlocked: z.number().optional() });

/** GET /api/units/{code}/credentials: a workbook (default) or a printable page, one card per school. */
export const credentialsQuerySchema = z.object({ format: z.enum(['xlsx', 'print']).default('xlsx') });

/** GET /api/accounts/export: the accounts of the caller's subtree, or of a unit within it. */
export const accountsExportQuerySchema = z.object({ unitCode: z.string().max(10).optional() });

export type BulkUnits = z.infer<typeof bulkUnitsBodySchema>;
export type BulkResult = z.infer<typeof bulkResultSchema>;
