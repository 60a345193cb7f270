import { describe, expect, it } from 'vitest';
import { checkRecord } from '../../standard/index.ts';
import { schoolTypes } from '../../standard/school-types.ts';
import { createRandom } from './random.ts';
import { generateStaffValues } from './staff.generator.ts';

describe('generateStaffValues', () => {
  it('makes records that pass every rule of the standard, for every school type', () => {
    const today = new Date('2026-11-29T00:00:00Z');
    const random = createRandom(7);
    for (const schoolType of schoolTypes) {
      for (let i = 0; i < 500; i += 1) {
        const values = generateStaffValues(random, schoolType, today);
        const { findings } = checkRecord(values, { schoolType, today });
        expect(findings.filter((f) => f.severity === 'error'), `${schoolType} ${JSON.stringify(values)}`).toEqual([]);
      }
    }
  });

  it('is deterministic for a seed', () => {
    const today = new Date('2026-11-29T00:00:00Z');
    const a = generateStaffValues(createRandom(3), 'k12', today);
    const b = generateStaffValues(createRandom(3), 'k12', today);
    expect(a).toEqual(b);
    expect(a.idNumber).toMatch(/^43\d{15}[\dX]$/);
  });
});
