import { idCheckCharacter } from './id-number.ts';
import type { RawRecord } from './types.ts';

/** A 居民身份证 number from its parts, with the computed check character. */
export function makeIdNumber(region: string, birth: string, sequence: string): string {
  const first17 = `${region}${birth}${sequence}`;
  return first17 + idCheckCharacter(first17);
}

/** The collection date the tests check against (2013-10-21, the plan's entry week). */
export const collectionDate = new Date('2013-10-21T00:00:00Z');

/**
 * A complete, valid record with all 40 fields, as a school types it: code-label cells, dates in several
 * forms. Valid for every school type (fields a type's template lacks are ignored).
 */
export function validRaw(overrides: RawRecord = {}): RawRecord {
  return {
    name: '张三',
    formerName: '张小三',
    sex: '1-男',
    staffNo: 'T0001',
    nationality: '156-中国',
    idType: '1-居民身份证',
    idNumber: makeIdNumber('430102', '19800101', '123'),
    birthDate: '1980-01-01',
    nativePlace: '湖南省长沙市浏阳市',
    birthPlace: '430181',
    ethnicity: '01-汉族',
    political: '01-中共党员',
    marital: '21-初婚',
    health: '1-健康或良好',
    workStart: '200109',
    specialEdStart: '2005-09',
    schoolJoin: '2005年9月',
    staffSource: '11',
    staffCategory: '11-专任教师',
    onPayroll: '1-是',
    employmentForm: null,
    contract: '1-聘用合同',
    highestEducation: '21-大学本科毕业',
    highestDegree: '404-教育学学士学位',
    professionalTitle: '053-中学一级教师',
    normalGrad: '1-是',
    specialEdGrad: '0-否',
    specialEdTrained: '0-否',
    specialEdCert: '0-否',
    itAbility: '2-熟练',
    freeNormal: '0-否',
    grassroots: '0-否',
    grassrootsStart: null,
    grassrootsEnd: null,
    specialGrade: '0-否',
    countyBackbone: '1-是',
    psychTeacher: '0-否',
    dualTeacher: '0-否',
    department: '数学系',
    remark: '',
    ...overrides,
  };
}
