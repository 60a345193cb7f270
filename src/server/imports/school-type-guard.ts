import { fieldByKey, presenceOf } from '../../standard/index.ts';
import { schoolTypeLabels, schoolTypes, type SchoolType } from '../../standard/school-types.ts';
import { fieldKeys, type FieldKey } from '../../standard/types.ts';
import { DomainError } from '../errors.ts';
import type { CheckResult } from '../check/check.types.ts';

function missingRequired(schoolType: SchoolType, present: Set<FieldKey>) {
  return fieldKeys.filter((key) => presenceOf(key, schoolType) === 'required' && !present.has(key));
}

/**
 * Refuses a file made from another school type's template: its columns lack some of this type's required
 * fields while they hold every required field of another type (such as a 高等学校 file at a 中小学).
 */
export function assertTemplateType(result: CheckResult, schoolType: SchoolType) {
  const present = new Set(result.columns.flatMap((column) => (column.field ? [column.field] : [])));
  if (missingRequired(schoolType, present).length === 0) return;
  const match = schoolTypes.find(
    (other) =>
      other !== schoolType &&
      missingRequired(other, present).length === 0 &&
      [...present].some((key) => presenceOf(key, schoolType) === 'absent'),
  );
  if (!match) return;
  throw new DomainError('unprocessable', {
    zh: `“${result.fileName}”是${schoolTypeLabels[match].zh}的模板，与本校类型（${schoolTypeLabels[schoolType].zh}）不符，未导入任何数据。请下载本校的模板填写后上传。`,
    en: `"${result.fileName}" is a ${schoolTypeLabels[match].en} template, not this school's type (${schoolTypeLabels[schoolType].en}); nothing was imported. Download this school's template, fill it in and upload it.`,
  });
}

/** Refuses a file whose header lacks required columns: every row would fail, so nothing is staged. */
export function assertRequiredColumns(result: CheckResult) {
  const missing = result.issues.filter((issue) => issue.code === 'missing_column' && issue.severity === 'error');
  if (missing.length === 0) return;
  const labels = missing.map((issue) => (issue.field ? fieldByKey[issue.field].label : '')).filter(Boolean);
  const labelsEn = missing.map((issue) => (issue.field ? fieldByKey[issue.field].labelEn : '')).filter(Boolean);
  throw new DomainError('unprocessable', {
    zh: `“${result.fileName}”缺少必填列：${labels.join('、')}，未导入任何数据。请使用本校模板，或补上这些列后重新上传。`,
    en: `"${result.fileName}" lacks required columns: ${labelsEn.join(', ')}; nothing was imported. Use this school's template or add these columns and upload again.`,
  }, { missingColumns: missing.map((issue) => issue.field) });
}
