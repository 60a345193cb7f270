import { z } from 'zod';
import { recordOf } from './record-of.ts';
import { fieldKeys } from './types.ts';

/** One raw cell as the API takes it: text, a number (as a spreadsheet gives it) or null for empty. */
const rawInput = z.union([z.string().max(1000), z.number(), z.null()]).optional();

const shape = recordOf(fieldKeys, () => rawInput);

/**
 * A staff record as the API receives it: every field optional, each a string, number or null. It is raw
 * input for checkRecord, which does all checking; unknown keys are dropped.
 */
export const staffInputSchema = z.object(shape);
export type StaffInput = z.infer<typeof staffInputSchema>;
