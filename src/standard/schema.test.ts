import { describe, expect, it } from 'vitest';
import { staffInputSchema } from './schema.ts';

describe('staffInputSchema', () => {
  it('takes any subset of fields as text, numbers or null', () => {
    const parsed = staffInputSchema.parse({ name: '张三', idNumber: 430102800101123, remark: null });
    expect(parsed).toEqual({ name: '张三', idNumber: 430102800101123, remark: null });
    expect(staffInputSchema.parse({})).toEqual({});
  });

  it('refuses other kinds of values and drops unknown keys', () => {
    expect(staffInputSchema.safeParse({ name: { first: '张' } }).success).toBe(false);
    expect(staffInputSchema.safeParse({ sex: true }).success).toBe(false);
    expect(staffInputSchema.parse({ name: '张三', nickname: '小张' })).toEqual({ name: '张三' });
  });
});
