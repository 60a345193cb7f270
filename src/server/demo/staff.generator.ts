import historical from '../../standard/data/codes/hunan-division-codes-historical.json' with { type: 'json' };
import { fieldsFor, idCheckCharacter } from '../../standard/index.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import { fieldKeys, type FieldKey, type StaffValues } from '../../standard/types.ts';
import { recordOf } from '../../standard/record-of.ts';
import type { Random } from './random.ts';

const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const givenChars = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力晓燕鹏宇婷雪琳波斌宁凯浩欣怡瑶琴颖慧佳俊志林峰春梅丹鑫蕾倩云飞亮成海';
/** County-level Hunan codes of every year (IDs keep the code of their first issue). */
const regionCodes = historical.codes.map((entry: { code: string }) => entry.code).filter((code: string) => !code.endsWith('00'));

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * Of the confirmed records of a synthetic province, the share the schools registered as signed on paper;
 * the rest the people confirmed on the phone page (most staff have a phone, some older staff sign the slip).
 */
export const paperConfirmationShare = 0.15;

/** How a generated confirmed record was confirmed: by phone about 85 % of the time, on paper the rest. */
export function confirmationKind(random: Random): 'phone' | 'paper' {
  return random.chance(paperConfirmationShare) ? 'paper' : 'phone';
}

/**
 * The same mix decided by the person's ID number alone (FNV-1a), so that records seeded in a confirmed state
 * without a random source get a stable, realistic kind.
 */
export function confirmationKindOf(idNumber: string): 'phone' | 'paper' {
  let hash = 0x811c9dc5;
  for (const char of idNumber) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash % 1000 < paperConfirmationShare * 1000 ? 'paper' : 'phone';
}

/** A valid 18-digit 居民身份证 number for a birth date and sex, with a Hunan region code of any year. */
export function generateIdNumber(random: Random, birthDate: string, sex: '1' | '2', region?: string) {
  const regionCode = region ?? random.pick(regionCodes);
  const sequence = random.int(0, 499) * 2 + (sex === '1' ? 1 : 0);
  const first17 = `${regionCode}${birthDate.replaceAll('-', '')}${pad(sequence, 3)}`;
  return first17 + idCheckCharacter(first17);
}

function yearMonthAfter(birth: Date, minYears: number, maxYears: number, today: Date, random: Random) {
  const year = birth.getUTCFullYear() + random.int(minYears, maxYears);
  const month = random.int(1, 12);
  const latest = today.getUTCFullYear() * 12 + today.getUTCMonth();
  const value = Math.min(year * 12 + month - 1, latest - 1);
  return `${Math.floor(value / 12)}-${pad((value % 12) + 1)}`;
}

/**
 * A complete, valid record of the standard for one person at a school of `schoolType`: a realistic name,
 * a valid Hunan ID number (region codes of every year), and dates that follow the rules (work at 20–26,
 * joining the school later, nothing in the future). Fields absent for the school type stay empty.
 */
export function generateStaffValues(random: Random, schoolType: SchoolType, today: Date): StaffValues {
  const sex = random.chance(0.6) ? '2' : '1';
  const birth = new Date(Date.UTC(random.int(1964, 2000), random.int(0, 11), random.int(1, 28)));
  const birthDate = birth.toISOString().slice(0, 10);
  const workStart = yearMonthAfter(birth, 20, 26, today, random);
  const [workYear] = workStart.split('-').map(Number);
  const joinYear = Math.min(workYear + random.int(0, 12), today.getUTCFullYear() - (today.getUTCMonth() === 0 ? 1 : 0));
  const schoolJoin = joinYear === workYear ? workStart : `${joinYear}-${pad(random.int(1, joinYear === today.getUTCFullYear() ? today.getUTCMonth() : 12))}`;
  const onPayroll = random.chance(0.9) ? '1' : '0';
  const ethnicity = random.chance(0.88) ? '01' : random.pick(['06', '15', '12', '13']);
  const givenLength = random.chance(0.7) ? 2 : 1;
  const name = random.pick([...surnames]) + Array.from({ length: givenLength }, () => random.pick([...givenChars])).join('');
  const region = random.pick(regionCodes);
  const values: Partial<Record<FieldKey, string>> = {
    name,
    sex,
    nationality: '156',
    idType: '1',
    idNumber: generateIdNumber(random, birthDate, sex, region),
    birthDate,
    nativePlace: '湖南',
    birthPlace: region,
    ethnicity,
    political: random.pick(['13', '13', '01', '01', '03']),
    marital: random.pick(['20', '20', '10']),
    health: '1',
    workStart,
    specialEdStart: workStart,
    schoolJoin,
    staffSource: schoolType === 'higher_ed' ? random.pick(['12', '13', '11']) : random.pick(['11', '12', '13']),
    staffCategory: random.chance(0.85) ? '11' : random.pick(['12', '13', '14']),
    onPayroll,
    employmentForm: onPayroll === '0' ? random.pick(['1', '2', '3']) : '',
    contract: random.pick(['1', '1', '2']),
    highestEducation: random.pick(['21', '31', '41']),
    normalGrad: random.chance(0.7) ? '1' : '0',
    specialEdGrad: schoolType === 'special' && random.chance(0.5) ? '1' : '0',
    specialEdTrained: schoolType === 'special' ? '1' : '0',
    specialEdCert: '0',
    itAbility: random.pick(['2', '3', '4']),
    freeNormal: random.chance(0.05) ? '2' : '0',
    grassroots: '0',
    specialGrade: random.chance(0.01) ? '1' : '0',
    countyBackbone: random.chance(0.1) ? '1' : '0',
    psychTeacher: '0',
    dualTeacher: random.chance(0.3) ? '1' : '0',
    department: schoolType === 'higher_ed' ? random.pick(['文学院', '数学与统计学院', '物理与电子科学学院', '教育科学学院', '外国语学院']) : '',
  };
  const present = new Set(fieldsFor(schoolType).map((field) => field.key));
  return recordOf(fieldKeys, (key) => (present.has(key) && values[key] ? values[key] : null));
}

/** The sex code of generated values (the generator always writes 1 or 2), for generating another ID number. */
export function sexOf(values: StaffValues): '1' | '2' {
  const sex = values.sex;
  if (sex !== '1' && sex !== '2') throw new Error(`generated values without a sex code: ${sex}`);
  return sex;
}
