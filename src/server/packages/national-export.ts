import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { fieldKeys } from '../../standard/types.ts';
import { recordOf } from '../../standard/record-of.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import type { Executor } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { writeStaffWorkbook, type StaffExportRow } from '../imports/export.service.ts';
import { areaPackageHash } from './package.service.ts';
import { chainBelow, frozenItemsOf } from './packages.repository.ts';

/** One package of the approved chain under the province's final package. */
type ChainPackage = {
  id: number;
  parentId: number | null;
  unitCode: string;
  unitName: string;
  kind: string;
  schoolType: SchoolType | null;
  contentHash: string;
  recordCount: number;
  stale: boolean;
};

/** The packages the final package froze, level by level down to the schools' packages (package_children). */
export async function approvedChain(executor: Executor, finalPackageId: number): Promise<ChainPackage[]> {
  const rows = await chainBelow(executor, finalPackageId);
  return rows.map((row) => ({
    id: Number(row.id),
    parentId: row.parent_id === null ? null : Number(row.parent_id),
    unitCode: row.unit_code,
    unitName: row.name,
    kind: row.kind,
    schoolType: row.school_type,
    contentHash: row.content_hash,
    recordCount: Number(row.record_count),
    stale: row.stale,
  }));
}

/** Packages per query: a few thousand records at a time. */
const packagesPerQuery = 50;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The top hash of a chain, from the schools' hashes up: each area hashes its children in code order, as
 * `areaPackageHash` did when it was submitted.
 */
function chainHash(chain: ChainPackage[], schoolHashes: Map<number, string>): string {
  const children = new Map<number, ChainPackage[]>();
  for (const pkg of chain) {
    if (pkg.parentId === null) continue;
    const siblings = children.get(pkg.parentId);
    if (siblings) siblings.push(pkg);
    else children.set(pkg.parentId, [pkg]);
  }
  const hashOf = (pkg: ChainPackage): string =>
    pkg.kind === 'school'
      ? (schoolHashes.get(pkg.id) ?? '')
      : areaPackageHash((children.get(pkg.id) ?? []).sort((a, b) => a.unitCode.localeCompare(b.unitCode)).map((child) => ({ code: child.unitCode, contentHash: hashOf(child) })));
  const root = chain.find((pkg) => pkg.parentId === null);
  return root ? hashOf(root) : '';
}

export type NationalExportResult = { rows: number; contentHash: string; expectedHash: string; expectedRows: number };

/**
 * 国家数据集: the records of the approved chain at their approved content — each school's package as it was
 * frozen, never the live rows — one sheet per school type. Every record is checked against the hash it was
 * submitted with and every school against its package's hash; a mismatch stops the file. The top hash the
 * rows give back is reported (it equals the final package's when the file holds exactly what was approved).
 * `beforeFinish` runs with the result before the file ends (the audit entry).
 */
export async function writeNationalExport(executor: Executor, output: Writable, chain: ChainPackage[], beforeFinish: (result: NationalExportResult) => Promise<void>) {
  const root = chain.find((pkg) => pkg.parentId === null);
  if (!root) throw new DomainError('not_found', { zh: '没有终审的报送包', en: 'No final package' });
  const schoolHashes = new Map<number, string>();
  async function* approvedRows(schoolType: SchoolType): AsyncGenerator<StaffExportRow[]> {
    const schools = chain.filter((pkg) => pkg.kind === 'school' && pkg.schoolType === schoolType);
    for (let start = 0; start < schools.length; start += packagesPerQuery) {
      const slice = schools.slice(start, start + packagesPerQuery);
      const byId = new Map(slice.map((pkg) => [pkg.id, pkg]));
      const items = await frozenItemsOf(executor, slice.map((pkg) => pkg.id));
      const page: StaffExportRow[] = [];
      const hashing = new Map<number, string[]>();
      for (const item of items) {
        const content = item.content as (string | null)[] | null;
        const school = byId.get(item.packageId)!;
        if (!content || sha256(JSON.stringify(content)) !== item.contentHash) {
          throw new DomainError('conflict', { zh: `${school.unitName}（${school.unitCode}）报送包中的记录 ${item.staffId} 与报送时的内容不符`, en: `Record ${item.staffId} of ${school.unitCode}'s package differs from what was submitted` });
        }
        let parts = hashing.get(item.packageId);
        if (!parts) hashing.set(item.packageId, (parts = []));
        parts.push(`${item.staffId}:${item.contentHash}`);
        page.push({ schoolCode: school.unitCode, schoolName: school.unitName, values: recordOf(fieldKeys, (_key, index) => content[index] ?? null) });
      }
      for (const school of slice) {
        const hash = sha256((hashing.get(school.id) ?? []).join(','));
        if (hash !== school.contentHash) {
          throw new DomainError('conflict', { zh: `${school.unitName}（${school.unitCode}）报送包的记录与其签字时的内容不符`, en: `${school.unitCode}'s package records differ from what was signed` });
        }
        schoolHashes.set(school.id, hash);
      }
      if (page.length > 0) yield page;
    }
  }
  const expectedRows = root.recordCount;
  return writeStaffWorkbook(output, approvedRows, {
    fullIds: true,
    beforeFinish: (rows) => beforeFinish({ rows, contentHash: chainHash(chain, schoolHashes), expectedHash: root.contentHash, expectedRows }),
  });
}
