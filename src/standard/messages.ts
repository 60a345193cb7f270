import { codeLabel, exampleEntries, type CodeEntry, type CodeResolution, type CodeTable } from './code-tables.ts';
import type { DateProblem } from './dates.ts';
import { fieldByKey } from './fields.ts';
import type { PlaceResult, RegionProblem } from './regions.ts';
import type { FieldKey, Finding, FindingCode, Severity } from './types.ts';

/**
 * The words of every finding, Chinese first and English too. A message names the field by its template
 * label, says what is wrong with the value as typed and what is expected, and never names the row (callers
 * prefix `第12行 ` / `Row 12 `).
 */
export type MessageText = { message: string; messageEn: string };

function text(key: FieldKey, zh: string, en: string): MessageText {
  const field = fieldByKey[key];
  return { message: `${field.label}：${zh}`, messageEn: `${field.labelEn}: ${en}` };
}

/** A finding of one field. */
export function finding(key: FieldKey | null, code: FindingCode, words: MessageText, severity: Severity = 'error'): Finding {
  return { field: key, code, severity, ...words };
}

const idKey: FieldKey = 'idNumber';
const anySpace = /\s/;

export const idMessages = {
  format(value: string): MessageText {
    const length = Array.from(value).length;
    if (anySpace.test(value)) {
      return text(idKey, `居民身份证号不能含空格，实为“${value}”`, `a resident ID number has no spaces; found "${value}"`);
    }
    if (length === 18 || length === 15) {
      return text(
        idKey,
        `居民身份证号只能由数字和末位的X组成，实为“${value}”`,
        `a resident ID number holds digits only, with X allowed as the last character; found "${value}"`,
      );
    }
    return text(
      idKey,
      `居民身份证号应为18位（前17位为数字，末位为数字或X），实为${length}位“${value}”`,
      `a resident ID number has 18 characters (17 digits, then a digit or X); found ${length}: "${value}"`,
    );
  },
  region(region: string, problem: RegionProblem): MessageText {
    if (problem === 'unknown_province') {
      return text(
        idKey,
        `前两位“${region.slice(0, 2)}”不是省级行政区划代码，请核对证件号`,
        `the first two digits "${region.slice(0, 2)}" are not a province code; check the number`,
      );
    }
    return text(
      idKey,
      `前六位“${region}”不是湖南省使用过的行政区划代码，请核对证件号`,
      `the first six digits "${region}" are not a region code Hunan has ever used; check the number`,
    );
  },
  birthDateNotReal(digits: string): MessageText {
    return text(idKey, `第7-14位的出生日期“${digits}”不是真实的日期`, `digits 7-14 ("${digits}") are not a real date of birth`);
  },
  birthDateInFuture(birthDate: string, today: string): MessageText {
    return text(
      idKey,
      `第7-14位的出生日期${birthDate}晚于今天（${today}）`,
      `the date of birth in digits 7-14, ${birthDate}, is after today (${today})`,
    );
  },
  checksum(expected: string, found: string): MessageText {
    return text(idKey, `校验位应为${expected}，实为${found}`, `the check character should be ${expected}, found ${found}`);
  },
  mangled(shown: string): MessageText {
    return text(
      idKey,
      `Excel把证件号当成了数字（“${shown}”），后几位已经丢失；请把该列设为“文本”格式，再重新输入完整号码`,
      `Excel turned the number into a numeric cell ("${shown}") and its last digits are lost; format the column as Text and type the full number again`,
    );
  },
  otherFormat(value: string): MessageText {
    return text(
      idKey,
      `只能包含字母、数字、汉字和括号，不能有空格或其他符号，实为“${value}”`,
      `use letters, digits, Chinese characters and brackets only, without spaces or other symbols; found "${value}"`,
    );
  },
};

export function requiredText(key: FieldKey): MessageText {
  return text(key, '必填，不能为空', 'required; it is empty');
}

export function requiredWhenText(key: FieldKey, conditionZh: string, conditionEn: string): MessageText {
  return text(key, `${conditionZh}时必填`, `required when ${conditionEn}`);
}

export function mustBeEmptyText(key: FieldKey, shown: string, conditionZh: string, conditionEn: string): MessageText {
  return text(key, `${conditionZh}时不填，请清空（现为“${shown}”）`, `must be empty when ${conditionEn} (found "${shown}")`);
}

function examplesOf(table: CodeTable): { zh: string; en: string } {
  const { entries, complete } = exampleEntries(table);
  const list = entries.map(codeLabel);
  if (complete) return { zh: `应填${list.join('、')}之一`, en: `use one of ${list.join(', ')}` };
  return {
    zh: `应填如${list.join('、')}等，请从下拉列表中选择`,
    en: `use a value such as ${list.join(', ')}; pick it from the drop-down list`,
  };
}

export function invalidCodeText(
  key: FieldKey,
  table: CodeTable,
  shown: string,
  resolution: Exclude<CodeResolution, { kind: 'found' }>,
): MessageText {
  if (resolution.kind === 'mismatch') {
    const { byCode, byLabel } = resolution;
    const labelPart = byLabel ? `，而“${byLabel.label}”的代码是${byLabel.code}` : '';
    const labelPartEn = byLabel ? `, while "${byLabel.label}" is ${byLabel.code}` : '';
    return text(
      key,
      `“${shown}”的代码与名称不一致：代码${byCode.code}是“${byCode.label}”${labelPart}，请核对后重新选择`,
      `in "${shown}" the code and the name disagree: ${byCode.code} is "${byCode.label}"${labelPartEn}; check and choose again`,
    );
  }
  if (resolution.padded) {
    const meant = codeLabel(resolution.padded);
    return text(
      key,
      `“${shown}”不是${table.title}代码，是否为“${meant}”？代码开头的0可能被Excel去掉了，请把该列设为文本格式后填“${meant}”`,
      `"${shown}" is not a code of ${table.title}; did you mean "${meant}"? Excel may have dropped the leading 0: format the column as Text and enter "${meant}"`,
    );
  }
  const examples = examplesOf(table);
  return text(
    key,
    `“${shown}”不是${table.title}代码表中的值，${examples.zh}`,
    `"${shown}" is not a value of the ${table.title} code table; ${examples.en}`,
  );
}

const dateForms = {
  date: { zh: '可填1980-09-01、1980/9/1、1980.9.1、19800901或1980年9月1日', en: 'accepted forms: 1980-09-01, 1980/9/1, 1980.9.1, 19800901, 1980年9月1日' },
  yearMonth: {
    zh: '可填1980-09、1980/9、1980.9、198009或1980年9月（填完整日期也可）',
    en: 'accepted forms: 1980-09, 1980/9, 1980.9, 198009, 1980年9月, or a full date',
  },
};

export function invalidDateText(key: FieldKey, kind: 'date' | 'yearMonth', problem: DateProblem, shown: string): MessageText {
  const forms = dateForms[kind];
  const what = kind === 'date' ? { zh: '日期', en: 'date' } : { zh: '年月', en: 'year and month' };
  switch (problem) {
    case 'not_real':
      return text(key, `“${shown}”不是真实存在的${what.zh}，请核对`, `"${shown}" is not a real ${what.en}; check it`);
    case 'missing_day':
      return text(key, `“${shown}”缺少日，应填到日；${forms.zh}`, `"${shown}" has no day; give the full date (${forms.en})`);
    case 'year_only':
      return text(key, `“${shown}”只有年份；${forms.zh}`, `"${shown}" is a year only; ${forms.en}`);
    case 'ambiguous_number':
      return text(
        key,
        `Excel把输入存成了数字${shown}，无法分辨是1月还是10月；请把该列设为文本格式后重新输入，${forms.zh}`,
        `Excel stored the entry as the number ${shown}, so January and October cannot be told apart; format the column as Text and enter it again (${forms.en})`,
      );
    default:
      return text(key, `“${shown}”不是可识别的${what.zh}，${forms.zh}`, `"${shown}" is not a ${what.en} in an accepted form; ${forms.en}`);
  }
}

export function futureText(key: FieldKey, value: string, today: string): MessageText {
  return text(key, `${value}晚于采集日期${today}，不能是将来的日期`, `${value} is after the collection date ${today}; it cannot be in the future`);
}

export function birthDateMismatchText(fromId: string, given: string): MessageText {
  return text(
    'birthDate',
    `应与身份证件号中的出生日期${fromId}一致，实为${given}`,
    `should equal the date of birth in the ID number, ${fromId}; found ${given}`,
  );
}

export function sexMismatchText(digit: string, expected: CodeEntry, given: CodeEntry): MessageText {
  const parity = Number(digit) % 2 === 1 ? { zh: '奇数', en: 'odd' } : { zh: '偶数', en: 'even' };
  return text(
    'sex',
    `身份证件号第17位为${digit}（${parity.zh}），性别应为${codeLabel(expected)}，实为${codeLabel(given)}`,
    `the 17th digit of the ID number is ${digit} (${parity.en}), so the sex should be ${codeLabel(expected)}; found ${codeLabel(given)}`,
  );
}

export function exclusiveText(key: FieldKey, entry: CodeEntry): MessageText {
  return text(
    key,
    `“${codeLabel(entry)}”不能与其他选项同时填写`,
    `"${codeLabel(entry)}" cannot be combined with another value`,
  );
}

export function workAgeText(workStart: string, birthDate: string, earliest: string): MessageText {
  return text(
    'workStart',
    `${workStart}时未满16周岁（出生日期${birthDate}），应不早于${earliest}`,
    `${workStart} is before the age of 16 (born ${birthDate}); it should be ${earliest} or later`,
  );
}

export function dateOrderText(key: FieldKey, value: string, earlierKey: FieldKey, earlierValue: string): MessageText {
  const earlier = fieldByKey[earlierKey];
  return text(
    key,
    `${value}早于${earlier.label}${earlierValue}，应不早于它`,
    `${value} is before ${earlier.labelEn} (${earlierValue}); it cannot be earlier`,
  );
}

export function tooLongText(key: FieldKey, maxLength: number, length: number): MessageText {
  return text(key, `最多${maxLength}个字，实为${length}个`, `at most ${maxLength} characters; found ${length}`);
}

export function nameSpacesText(key: FieldKey, shown: string): MessageText {
  return text(
    key,
    `汉字姓名中间不能有空格（“${shown}”）；少数民族姓名用间隔号“·”`,
    `a Chinese name has no spaces inside ("${shown}"); use the dot "·" in names of ethnic minorities`,
  );
}

export function ageOver65Text(age: number, birthDate: string, today: string): MessageText {
  return text(
    'birthDate',
    `按采集日期${today}计算为${age}周岁，超过65周岁，请核对出生日期（仅提示）`,
    `the person is ${age} on the collection date ${today}, over 65; check the date of birth (warning only)`,
  );
}

export function workBefore18Text(workStart: string, birthDate: string): MessageText {
  return text(
    'workStart',
    `${workStart}参加工作时未满18周岁（出生日期${birthDate}），请核对（仅提示）`,
    `started work in ${workStart}, before the age of 18 (born ${birthDate}); check it (warning only)`,
  );
}

type PlaceProblem = Extract<PlaceResult, { ok: false }>['problem'];

export function birthPlaceText(problem: PlaceProblem, shown: string): MessageText {
  const expected = {
    zh: '应填6位县级行政区划代码（如430181）或湖南省县市区名称（如浏阳市）',
    en: 'use a 6-digit county-level region code (e.g. 430181) or the name of a Hunan county (e.g. 浏阳市)',
  };
  const why: Record<PlaceProblem, { zh: string; en: string }> = {
    format: { zh: '不是行政区划代码或名称', en: 'is neither a region code nor a name' },
    not_county: { zh: '不是县级行政区划，应填到县级', en: 'is not county-level' },
    unknown_province: { zh: '前两位不是省级行政区划代码', en: 'does not start with a province code' },
    unknown_hunan_code: { zh: '不是湖南省使用过的县级行政区划代码', en: 'is not a county code Hunan has ever used' },
    unknown_name: { zh: '不是湖南省的县市区名称（省外出生请填6位代码）', en: 'is not the name of a Hunan county (outside Hunan give the 6-digit code)' },
  };
  return text('birthPlace', `“${shown}”${why[problem].zh}；${expected.zh}`, `"${shown}" ${why[problem].en}; ${expected.en}`);
}

const digitsOnly = /^\d+$/;

export function duplicateText(kind: 'file' | 'school' | 'province', firstRowOrPlace: string): MessageText {
  const place = firstRowOrPlace.trim();
  if (kind === 'file') {
    const row = digitsOnly.test(place) ? { zh: `第${place}行`, en: `row ${place}` } : { zh: place, en: place };
    return text(idKey, `与${row.zh}重复，同一人在一个文件中只能出现一次`, `repeats ${row.en}; a person appears once in a file`);
  }
  if (kind === 'school') {
    const where = place ? `（${place}）` : '';
    const whereEn = place ? ` (${place})` : '';
    return text(
      idKey,
      `本校已有此证件号的记录${where}，请修改已有记录，不要重复录入`,
      `this school already has a record with this number${whereEn}; edit that record instead of adding another`,
    );
  }
  const where = place ? `已在${place}登记` : '已在本省其他学校登记';
  const whereEn = place ? `already recorded at ${place}` : 'already recorded at another school of the province';
  return text(
    idKey,
    `${where}；同一人只能在一所学校登记，请与该校核实后处理，不要直接覆盖`,
    `${whereEn}; a person is counted at one school only, so resolve it with that school rather than overwrite it`,
  );
}
