import type { SchoolType } from '../../standard/school-types.ts';

const numerals = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 12 → 十二, 35 → 三十五, 108 → 一百零八 (for 第N小学). */
export function chineseNumber(n: number): string {
  if (n < 10) return numerals[n] || '零';
  if (n < 20) return `十${numerals[n % 10]}`;
  if (n < 100) return `${numerals[Math.floor(n / 10)]}十${numerals[n % 10]}`;
  if (n < 1000) {
    const rest = n % 100;
    const tail = rest === 0 ? '' : rest < 10 ? `零${numerals[rest]}` : rest < 20 ? `一${chineseNumber(rest)}` : chineseNumber(rest);
    return `${numerals[Math.floor(n / 100)]}百${tail}`;
  }
  return String(n);
}

const k12Kinds = ['小学', '小学', '小学', '初级中学', '中学', '九年一贯制学校'];
const k12Names = ['实验', '育才', '城南', '城北', '新华', '东方红', '明德', '砂子塘', '枫树山', '雷锋', '白沙', '桃花岭'];
const universities = [
  '湖南第一师范学院', '长沙学院', '湖南信息职业技术学院', '长沙民政职业技术学院', '湖南工程职业技术学院',
  '长沙航空职业技术学院', '湖南商务职业技术学院', '湖南大众传媒职业技术学院', '湖南环境生物职业技术学院',
  '湖南交通职业技术学院', '湖南铁道职业技术学院', '湖南工业职业技术学院', '湖南化工职业技术学院',
  '湖南科技职业学院', '湖南司法警官职业学院', '湖南艺术职业学院', '湖南体育职业学院', '湖南外贸职业学院',
];

/**
 * A plausible school name: `serial` numbers schools of one type within one county, so names are unique
 * within a county and stable for a given serial.
 */
export function schoolName(countyName: string, schoolType: SchoolType, serial: number): string {
  const place = countyName;
  switch (schoolType) {
    case 'k12': {
      const kind = k12Kinds[serial % k12Kinds.length];
      const round = Math.floor(serial / k12Kinds.length);
      if (round < k12Names.length && serial % 3 === 1) return `${place}${k12Names[round]}${kind}`;
      return `${place}第${chineseNumber(serial)}${kind}`;
    }
    case 'vocational':
      return serial === 1 ? `${place}职业中专学校` : `${place}第${chineseNumber(serial)}职业中学`;
    case 'special':
      return serial === 1 ? `${place}特殊教育学校` : `${place}第${chineseNumber(serial)}特殊教育学校`;
    case 'higher_ed': {
      const name = universities[(serial - 1) % universities.length];
      const round = Math.floor((serial - 1) / universities.length);
      return round === 0 ? `${name}（${place}校区）` : `${name}（${place}第${chineseNumber(round + 1)}校区）`;
    }
  }
}

const typeDigit: Record<SchoolType, string> = { k12: '2', vocational: '3', higher_ed: '4', special: '5' };

/** A 10-digit 学校标识码 for generated schools: type digit, county code, 3-digit serial. */
export function schoolCode(schoolType: SchoolType, countyCode: string, serial: number): string {
  if (serial < 1 || serial > 999) throw new RangeError(`serial ${serial} out of 1..999`);
  return `${typeDigit[schoolType]}${countyCode}${String(serial).padStart(3, '0')}`;
}
