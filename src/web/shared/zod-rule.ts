import type { FormRule } from 'antd';
import type { ZodType } from 'zod';

/**
 * A form rule that runs one of the shared zod schemas (the same the API validates with) and shows a
 * message in the UI language. Empty values are left to the `required` rule.
 */
export function zodRule(schema: ZodType, message: string): FormRule {
  return {
    validator: (_rule, value: unknown) =>
      value === undefined || value === null || value === '' || schema.safeParse(value).success ? Promise.resolve() : Promise.reject(new Error(message)),
  };
}
