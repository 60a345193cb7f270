/**
 * Rows of a k12 staff file for the checker's tests: the template's header (labels from the standard, in its
 * order unless told) and valid people written the many ways schools type them (messy but valid).
 */
import { fieldsFor } from '../../standard/index.ts';
import type { FieldKey, RawCell } from '../../standard/types.ts';
import { residentId, residentIdEndingInX } from './test-fixtures.ts';

export const k12Columns: FieldKey[] = fieldsFor('k12').map((field) => field.key);

/** The header cells: required columns marked ★ (every third one `*`, some with stray spaces). */
export function headerCells(columns: FieldKey[] = k12Columns): string[] {
  const labels = new Map(fieldsFor('k12').map((field) => [field.key, field]));
  return columns.map((key, index) => {
    const field = labels.get(key);
    if (!field) return key; // a column the test makes up
    if (field.presence.k12 !== 'required') return field.label;
    return index % 3 === 0 ? `*${field.label}` : index % 3 === 1 ? `★${field.label}` : ` ${field.label} ★`;
  });
}

const birthForms: Array<(y: number, m: number, d: number) => RawCell> = [
  (y, m, d) => new Date(Date.UTC(y, m - 1, d)),
  (y, m, d) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  (y, m, d) => `${y}/${m}/${d}`,
  (y, m, d) => `${y}.${m}.${d}`,
  (y, m, d) => `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`,
  (y, m, d) => `${y}年${m}月${d}日`,
  (y, m, d) => (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000, // Excel serial number
];

const fullWidth = (text: string) => text.replace(/[0-9]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0));

/** A valid person, number `index`, written in one of many accepted forms (CSV-safe when `text`). */
export function validPerson(index: number, options: { text?: boolean } = {}): Partial<Record<FieldKey, RawCell>> {
  const female = index % 2 === 1;
  const year = 1970 + (index % 20);
  const month = 1 + (index % 12);
  const day = 1 + (index % 28);
  const birth = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
  const id = index % 5 === 4 ? residentIdEndingInX('430102', birth, female).toLowerCase() : residentId('430102', birth, 2 * (index % 400) + (female ? 0 : 1));
  const form = birthForms[index % birthForms.length];
  let birthDate = form(year, month, day);
  if (options.text && typeof birthDate !== 'string') birthDate = birthForms[1](year, month, day);
  return {
    name: female ? '李小红' : `张${'伟强军'[index % 3]}`,
    sex: female ? (index % 4 === 1 ? '2-女' : '女') : index % 4 === 0 ? '1-男' : '1',
    nationality: index % 2 ? '156' : '156-中国',
    idType: index % 3 ? '1-居民身份证' : '居民身份证',
    idNumber: index % 7 === 3 ? fullWidth(id) : id,
    birthDate,
    ethnicity: index % 3 ? '01-汉族' : '汉族',
    political: index % 2 ? '13-群众' : '中国共产党党员',
    workStart: index % 3 ? `${year + 22}09` : fullWidth(`${year + 22}年9月`),
    schoolJoin: `${year + 23}-09`,
    staffSource: '11',
    staffCategory: '专任教师',
    onPayroll: index % 2 ? '是' : '1',
    contract: '1-聘用合同',
    normalGrad: '1-是',
    specialEdTrained: '否',
    specialEdCert: '0',
    itAbility: '熟练',
    freeNormal: '0-否',
    grassroots: '否',
    specialGrade: '0',
    countyBackbone: '否',
    psychTeacher: '0',
    remark: index % 6 === 0 ? '备注，含逗号、"引号"\n和换行' : null,
  };
}

/** A person as cells in the order of `columns`. */
export function personCells(person: Partial<Record<FieldKey, RawCell>>, columns: FieldKey[] = k12Columns): RawCell[] {
  return columns.map((key) => person[key] ?? null);
}
