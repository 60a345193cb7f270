import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { duplicateFinding } from '../../standard/index.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import { fieldKeys, type StaffValues } from '../../standard/types.ts';
import { columnName } from '../db/schema.ts';
import { checkFile } from '../check/check-file.service.ts';
import type { CheckedRecord, CheckIssue } from '../check/check.types.ts';
import type { Database } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import { currentCampaign } from '../campaign/campaign.service.ts';
import { changedFields } from '../staff/staff.service.ts';
import { valuesOf } from '../staff/staff.repository.ts';
import { deleteStagedRows, insertImport, stageIssues, stageRows, staffByIdNumbers, staffByIds, updateImport, type ImportCounts, type StagedIssue, type StagedRow } from './imports.repository.ts';
import { storeFile } from '../files/stored-files.ts';
import { isZip, readZipDirectory } from '../excel/zip-inspect.ts';
import { assertRequiredColumns, assertTemplateType } from './school-type-guard.ts';
import { rowKeyHeader } from './template.service.ts';
import { statusHeader } from './annotated-workbook.ts';

type ActorContext = AuditContext & { actor: Actor };
import type { ImportMode } from '../../contract/imports.schema.ts';

type School = { code: string; name: string; schoolType: SchoolType };

const batchSize = 1000;

/** Staged values are keyed by column name, so the commit can read them with jsonb_populate_record. */
const fieldColumns = fieldKeys.map((key) => [key, columnName(key)] as const);
function columnValues(values: StaffValues) {
  const row: Record<string, string | null> = {};
  for (const [key, column] of fieldColumns) row[column] = values[key];
  return row;
}

/** Rows waiting for their database checks (ID numbers and row keys looked up a thousand at a time). */
class Classifier {
  readonly counts: ImportCounts = { new: 0, changed: 0, unchanged: 0, invalid: 0, conflicts: 0 };
  readonly extraIssues: CheckIssue[] = [];
  private pending: CheckedRecord[] = [];
  /** The batch being checked against the database while the file goes on being read (at most one). */
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly importId: number,
    private readonly campaignId: number,
    private readonly school: School,
    private readonly idColumn: number | null,
  ) {}

  /**
   * Queues a record; every thousand, the batch goes to the database while reading continues. Reading waits
   * only when the previous batch is still in flight (back-pressure of one batch), so the database works on
   * one core while the file is parsed on the other.
   */
  add(record: CheckedRecord): Promise<void> | void {
    this.pending.push(record);
    if (this.pending.length < batchSize) return;
    const records = this.pending;
    this.pending = [];
    const previous = this.inFlight;
    this.inFlight = previous.then(() => this.classify(records));
    return previous;
  }

  /** Classifies what is left and waits for every batch. */
  async flush() {
    const records = this.pending;
    this.pending = [];
    await this.inFlight;
    await this.classify(records);
  }

  private async classify(records: CheckedRecord[]) {
    if (records.length === 0) return;
    const valid = new Set(records.filter((record) => !record.issues.some((issue) => issue.severity === 'error')));
    const keyed = [...valid].flatMap((record) => (record.rowKey ? [Number(record.rowKey)] : [])).filter(Number.isSafeInteger);
    const byKey = new Map((await staffByIds(this.db, keyed)).map((row) => [row.id, row]));
    const holders = await staffByIdNumbers(this.db, this.campaignId, [...valid].map((record) => record.values.idNumber!).filter(Boolean));
    const byIdNumber = new Map(holders.map((holder) => [holder.record.idNumber!, holder]));
    const staged: StagedRow[] = [];
    for (const record of records) {
      const warnings = record.issues.filter((issue) => issue.severity === 'warning');
      if (!valid.has(record)) {
        this.counts.invalid += 1;
        staged.push({ importId: this.importId, row: record.row, action: 'invalid' });
        continue;
      }
      const keyedRow = record.rowKey ? byKey.get(Number(record.rowKey)) : undefined;
      if (record.rowKey && (!keyedRow || keyedRow.schoolCode !== this.school.code)) {
        this.counts.invalid += 1;
        this.extraIssues.push(rowKeyIssue(record.row));
        staged.push({ importId: this.importId, row: record.row, action: 'invalid' });
        continue;
      }
      const holder = byIdNumber.get(record.values.idNumber!);
      const target = keyedRow ?? (holder?.record.schoolCode === this.school.code ? holder.record : undefined);
      if (holder && holder.record.schoolCode !== this.school.code) {
        this.counts.conflicts += 1;
        const place = `${holder.countyName ?? ''}${holder.schoolName}`;
        this.extraIssues.push({ ...duplicateFinding('province', place), row: record.row, column: this.idColumn });
        staged.push({ importId: this.importId, row: record.row, action: 'conflict', values: columnValues(record.values), changes: { holder: { schoolCode: holder.record.schoolCode, schoolName: holder.schoolName, countyName: holder.countyName } } });
        continue;
      }
      if (!target) {
        this.counts.new += 1;
        staged.push({ importId: this.importId, row: record.row, action: 'new', values: columnValues(record.values), warnings });
        continue;
      }
      const changes = changedFields(valuesOf(target), record.values);
      const action = Object.keys(changes).length === 0 ? 'unchanged' : 'changed';
      this.counts[action] += 1;
      staged.push({ importId: this.importId, row: record.row, action, staffId: target.id, staffVersion: target.version, values: columnValues(record.values), changes, warnings });
    }
    await stageRows(this.db, staged);
  }
}

function rowKeyIssue(row: number): CheckIssue {
  return {
    row,
    column: null,
    field: null,
    code: 'invalid_format',
    severity: 'error',
    message: '行标识：不属于本校的记录，该行未导入（请勿在学校之间复制模板行）',
    messageEn: 'Row key: not a record of this school; the row was not imported (do not copy template rows between schools)',
  };
}

/**
 * 上传预览: stores the file, checks it with the same code as `rollcall check`, then against the database
 * (rule 12 across the province, row keys of the template), and stages the outcome. Nothing touches staff.
 */
export async function previewImport(
  db: Database,
  context: ActorContext,
  school: School,
  file: { name: string; content: Buffer; mode: ImportMode; uploadToken?: string },
) {
  const campaign = await currentCampaign(db);
  if (!campaign) throw new DomainError('conflict', { zh: '尚未创建采集工作，暂不能导入', en: 'No campaign is running yet; nothing can be imported' });
  // An archive that lies about its structure or declares too much is refused before it is stored; what its
  // parts really unpack to is counted when the checker reads it (xlsxTables), before ExcelJS sees it.
  if (isZip(file.content)) readZipDirectory(file.content, file.name);
  const sha256 = createHash('sha256').update(file.content).digest('hex');
  const { id: originalFileId } = await storeFile(db, { name: file.name, contentType: 'application/octet-stream', content: file.content, sha256 });
  const created = await insertImport(db, {
    campaignId: campaign.id,
    schoolCode: school.code,
    fileName: file.name,
    fileSize: file.content.length,
    fileSha256: sha256,
    originalFileId,
    mode: file.mode,
    uploadToken: file.uploadToken ?? null,
    status: 'checking',
    counts: { new: 0, changed: 0, unchanged: 0, invalid: 0, conflicts: 0 },
    uploadedBy: context.actor.id,
  });
  let classifier: Classifier | undefined;
  try {
    const result = await checkFile({ stream: Readable.from([file.content]), fileName: file.name }, school.schoolType, {
      // The page follows the check through the import's row count (GET …/imports?uploadToken=).
      onProgress: (rows) => void updateImport(db, created.id, { rows }).catch(() => {}),
      progressEvery: 2000,
      rowKeyHeader,
      onHeader: (header) => {
        classifier = new Classifier(db, created.id, campaign.id, school, header.columnOf.idNumber ?? null);
      },
      onRecord: (record) => classifier!.add(record),
    });
    assertTemplateType(result, school.schoolType);
    assertRequiredColumns(result);
    await classifier!.flush();
    // A re-uploaded annotated workbook carries our 导入结果 column: not the user's unknown column.
    const ownColumn = (issue: CheckIssue) => issue.code === 'unknown_column' && result.columns[issue.column ?? -1]?.header.includes(statusHeader);
    const issues = [...result.issues.filter((issue) => !ownColumn(issue)), ...classifier!.extraIssues].sort((a, b) => a.row - b.row);
    await stageIssues(db, issues.map((issue, seq): StagedIssue => ({ importId: created.id, seq, ...issue })));
    await db.transaction(async (tx) => {
      await updateImport(tx, created.id, {
        status: 'previewed',
        format: result.format,
        sheetName: result.sheetName,
        headerRow: result.headerRow,
        columns: result.columns,
        rows: result.rows,
        counts: classifier!.counts,
      });
      await recordAudit(tx, context, {
        action: 'import.previewed',
        targetType: 'import',
        targetId: created.id,
        unitCode: school.code,
        after: { fileName: file.name, sha256, rows: result.rows, counts: classifier!.counts },
      });
    });
    return { id: created.id, counts: classifier!.counts, rows: result.rows, format: result.format, issues };
  } catch (error) {
    const messages = error instanceof DomainError ? error.messages : { zh: '文件无法读取', en: 'The file could not be read' };
    await db.transaction(async (tx) => {
      await deleteStagedRows(tx, created.id);
      await updateImport(tx, created.id, { status: 'failed', errorMessage: messages });
    });
    throw error;
  }
}
