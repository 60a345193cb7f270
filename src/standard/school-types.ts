import { z } from 'zod';

/** The four school types of the record standard; each fixes a template's columns. */
export const schoolTypes = ['k12', 'vocational', 'special', 'higher_ed'] as const;
export const schoolTypeSchema = z.enum(schoolTypes);
export type SchoolType = z.infer<typeof schoolTypeSchema>;

export const schoolTypeLabels: Record<SchoolType, { zh: string; en: string }> = {
  k12: { zh: '中小学', en: 'Primary/secondary' },
  vocational: { zh: '中等职业学校', en: 'Secondary vocational' },
  special: { zh: '特殊教育学校', en: 'Special education' },
  higher_ed: { zh: '高等学校', en: 'Higher education' },
};

/** Accepts a school type written as its key or its Chinese or English label (for Excel lists). */
export function parseSchoolType(value: string): SchoolType | undefined {
  const text = value.normalize('NFKC').trim();
  for (const type of schoolTypes) {
    const label = schoolTypeLabels[type];
    if (text === type || text === label.zh || text.toLowerCase() === label.en.toLowerCase()) return type;
  }
  const aliases: Record<string, SchoolType> = {
    中小学校: 'k12',
    普通中小学: 'k12',
    中职: 'vocational',
    中职学校: 'vocational',
    特教: 'special',
    特教学校: 'special',
    高校: 'higher_ed',
    高等院校: 'higher_ed',
  };
  return aliases[text];
}
