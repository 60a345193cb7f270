import type { SchoolType } from '../standard/school-types.ts';
import type { UnitKind } from './units.ts';

export { unitKindLabels, reportingUnitCode, reportsToProvince, type UnitKind } from './units.ts';

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


/** A 学校标识码 is ten digits. */
export const schoolCodePattern = /^\d{10}$/;

/**
 * The type of a school. Every school has one (the `units_school_check` constraint), so a unit without one is
 * not a school: asking for its type is a fault of the caller.
 */
export function schoolTypeOf(unit: { code: string; schoolType: SchoolType | null }): SchoolType {
  if (unit.schoolType === null) throw new Error(`Unit ${unit.code} has no school type: it is not a school`);
  return unit.schoolType;
}

/** A unit row as the policies see it (its place in the tree). */
export function unitRefOf(row: { code: string; kind: UnitKind; path: string; depth: number }): UnitRef & { depth: number } {
  return { code: row.code, kind: row.kind, path: row.path, depth: row.depth };
}
