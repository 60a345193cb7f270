import { fieldByKey, fieldKeys, maskFieldValue, type FieldKey } from '../../standard/index.ts';
import type { Executor } from '../db/client.ts';
import { childPackagesOf, frozenItemsOf, previousPackage, type PackageRow } from './packages.repository.ts';

export type PackageChange =
  | { kind: 'added' | 'removed'; staffId: number; name: string | null; idNumber: string | null }
  | { kind: 'changed'; staffId: number; name: string | null; idNumber: string | null; fields: { key: string; label: string; before: string | null; after: string | null }[] }
  | { kind: 'child'; unitCode: string; before: { packageId: number; versionNo: number; recordCount: number } | null; after: { packageId: number; versionNo: number; recordCount: number } | null };

type Item = { staffId: number; contentHash: string; content: (string | null)[] | null };

const nameAt = fieldKeys.indexOf('name');
const idAt = fieldKeys.indexOf('idNumber');

/**
 * 与上一版相比: what a package changed since the unit's previous version (the one returned, reopened or
 * marked stale) — records added, removed or changed field by field for a school, child packages replaced
 * for an area. Unless `fullIds`, values are masked as on every page (the ID number, the birth date to the month). At most `limit` changes are listed;
 * `total` counts them all.
 */
export async function changesSincePrevious(executor: Executor, pkg: PackageRow, options: { fullIds: boolean; limit: number }) {
  const changes: PackageChange[] = [];
  const previous = await previousPackage(executor, pkg);
  if (!previous) return { previous: null, total: 0, changes };
  const show = (key: FieldKey, value: string | null) => (options.fullIds ? value : maskFieldValue(key, value));
  const itemsOf = (id: number) => frozenItemsOf(executor, [id]) as Promise<Item[]>;
  const [before, after] = await Promise.all([itemsOf(previous.id), itemsOf(pkg.id)]);
  const old = new Map(before.map((item) => [item.staffId, item]));
  const person = (item: Item) => ({ staffId: item.staffId, name: item.content?.[nameAt] ?? null, idNumber: show('idNumber', item.content?.[idAt] ?? null) });
  for (const item of after) {
    const was = old.get(item.staffId);
    old.delete(item.staffId);
    if (!was) changes.push({ kind: 'added', ...person(item) });
    else if (was.contentHash !== item.contentHash) {
      const fields = fieldKeys.flatMap((key, index) =>
        (was.content?.[index] ?? null) === (item.content?.[index] ?? null) ? [] : [{ key, label: fieldByKey[key].label, before: show(key, was.content?.[index] ?? null), after: show(key, item.content?.[index] ?? null) }],
      );
      changes.push({ kind: 'changed', ...person(item), fields });
    }
  }
  for (const was of old.values()) changes.push({ kind: 'removed', ...person(was) });
  const [beforeChildren, afterChildren] = await Promise.all([childPackagesOf(executor, previous.id), childPackagesOf(executor, pkg.id)]);
  const oldChildren = new Map(beforeChildren.map((child) => [child.unitCode, child]));
  for (const child of afterChildren.sort((a, b) => a.unitCode.localeCompare(b.unitCode))) {
    const was = oldChildren.get(child.unitCode);
    oldChildren.delete(child.unitCode);
    if (!was || was.packageId !== child.packageId) changes.push({ kind: 'child', unitCode: child.unitCode, before: was ? { packageId: was.packageId, versionNo: was.versionNo, recordCount: was.recordCount } : null, after: { packageId: child.packageId, versionNo: child.versionNo, recordCount: child.recordCount } });
  }
  for (const was of oldChildren.values()) changes.push({ kind: 'child', unitCode: was.unitCode, before: { packageId: was.packageId, versionNo: was.versionNo, recordCount: was.recordCount }, after: null });
  return { previous: { id: previous.id, versionNo: previous.versionNo, status: previous.status, recordCount: previous.recordCount }, total: changes.length, changes: changes.slice(0, options.limit) };
}
