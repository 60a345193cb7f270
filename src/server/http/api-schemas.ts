import { z } from 'zod';
import { errorSchema } from '../../contract/api.schema.ts';

export { errorSchema, maxInteger, pageQuerySchema, pagedSchema, unitCodeParams, versionSchema } from '../../contract/api.schema.ts';

/** Error answers every authenticated route may give, for the OpenAPI document. */
export const errorResponses = {
  400: errorSchema.describe('请求无效 / Invalid request'),
  401: errorSchema.describe('未登录或会话已过期 / Not signed in or session expired'),
  403: errorSchema.describe('无权操作 / Not allowed'),
  404: errorSchema.describe('不存在或不在管辖范围内 / Not found or out of scope'),
} as const;

export const accountIdParams = z.object({ accountId: z.coerce.number().int().positive() });
