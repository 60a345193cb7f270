import type { SchoolType } from '../../standard/school-types.ts';

/** 单位类型: the levels of the unit tree. */
export type UnitKind = 'province' | 'prefecture' | 'county' | 'school';

export const unitKindLabels: Record<UnitKind, { zh: string; en: string }> = {
  province: { zh: '省', en: 'Province' },
  prefecture: { zh: '市州', en: 'Prefecture' },
  county: { zh: '县市区', en: 'County' },
  school: { zh: '学校', en: 'School' },
};

/** The part of a unit that scope checks need. */
export type UnitRef = { code: string; kind: UnitKind; path: string };

/** The path of a child under `parentPath` (paths are dot-terminated code lists from the province). */
export function childPath(parentPath: string, code: string): string {
  return `${parentPath}${code}.`;
}

/** True when `unit` is `ancestor` itself or lies below it. */
export function isWithin(unit: { path: string }, ancestor: { path: string }): boolean {
  return unit.path.startsWith(ancestor.path);
}

/** True when one unit holds the other: what a level publishes is read below it and by the levels above it. */
export function onOneChain(a: { path: string }, b: { path: string }): boolean {
  return isWithin(a, b) || isWithin(b, a);
}

/**
 * 报送单位: the unit a school reports to. Higher education reports straight to the province;
 * every other school to the county it stands in.
 */
export function reportingUnitCode(schoolType: SchoolType, countyCode: string, provinceCode: string): string {
  return schoolType === 'higher_ed' ? provinceCode : countyCode;
}

/** A 学校标识码 is ten digits. */
export const schoolCodePattern = /^\d{10}$/;
