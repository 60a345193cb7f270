import type { SchoolType } from '../standard/school-types.ts';

/** 单位类型: the levels of the unit tree. */
export const unitKinds = ['province', 'prefecture', 'county', 'school'] as const;
export type UnitKind = (typeof unitKinds)[number];

export const unitKindLabels: Record<UnitKind, { zh: string; en: string }> = {
  province: { zh: '省', en: 'Province' },
  prefecture: { zh: '市州', en: 'Prefecture' },
  county: { zh: '县市区', en: 'County' },
  school: { zh: '学校', en: 'School' },
};

/** The school type that skips the county: higher education reports straight to the province. */
export const provinceReportingType: SchoolType = 'higher_ed';

/** True for the schools that report to the province, not to their county (universities). */
export function reportsToProvince(schoolType: string | null | undefined): boolean {
  return schoolType === provinceReportingType;
}

/**
 * 报送单位: the unit a school reports to. Higher education reports straight to the province;
 * every other school to the county it stands in.
 */
export function reportingUnitCode(schoolType: SchoolType, countyCode: string, provinceCode: string): string {
  return reportsToProvince(schoolType) ? provinceCode : countyCode;
}
