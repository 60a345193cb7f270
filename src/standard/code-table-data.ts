import contract from './data/codes/contract.json' with { type: 'json' };
import country from './data/codes/country.json' with { type: 'json' };
import degree from './data/codes/degree.json' with { type: 'json' };
import educationLevel from './data/codes/education-level.json' with { type: 'json' };
import employmentForm from './data/codes/employment-form.json' with { type: 'json' };
import ethnicity from './data/codes/ethnicity.json' with { type: 'json' };
import freeNormalStudent from './data/codes/free-normal-student.json' with { type: 'json' };
import gender from './data/codes/gender.json' with { type: 'json' };
import grassrootsProject from './data/codes/grassroots-project.json' with { type: 'json' };
import health from './data/codes/health.json' with { type: 'json' };
import idDocumentType from './data/codes/id-document-type.json' with { type: 'json' };
import itAbility from './data/codes/it-ability.json' with { type: 'json' };
import marital from './data/codes/marital.json' with { type: 'json' };
import political from './data/codes/political.json' with { type: 'json' };
import professionalTitle from './data/codes/professional-title.json' with { type: 'json' };
import psychTeacher from './data/codes/psych-teacher.json' with { type: 'json' };
import staffCategory from './data/codes/staff-category.json' with { type: 'json' };
import staffSourceHigherEd from './data/codes/staff-source-higher-ed.json' with { type: 'json' };
import staffSourceK12 from './data/codes/staff-source-k12.json' with { type: 'json' };
import yesNo from './data/codes/yes-no.json' with { type: 'json' };

/** One code as the data files give it; every other name the file gives for it is accepted in a cell. */
export type RawCode = {
  code: string;
  label: string;
  gbLabel?: string;
  short?: string;
  aliases?: string[];
  alpha2?: string;
  alpha3?: string;
  roman?: string;
  parent?: string | null;
  isCategory?: boolean;
};

export type RawCodeFile = {
  standard?: string;
  source?: string;
  note?: string;
  verified?: boolean | string;
  codes: RawCode[];
};

/**
 * How a table's codes nest. `explicit`: the file names each code's parent. `tens`: a code ending in 0 heads
 * the codes of its ten (20 已婚 → 21 初婚), and a 3-digit code belongs to its first two digits. `firstDigit`:
 * a 3-digit code belongs to its first digit (GB/T 6864: 2 博士 → 201 哲学博士学位). `flat`: no nesting (01-13
 * of 政治面貌 and 01-56 of 民族 are a plain list even though 10 and 11 follow each other).
 */
export type ParentRule = 'explicit' | 'tens' | 'firstDigit' | 'flat';

export type CodeTableSource = {
  id: string;
  title: string;
  data: RawCodeFile;
  parentRule: ParentRule;
  /** Codes to show first in a message listing valid values (the table order is not always helpful). */
  examples?: string[];
};

/** Every code table of the standard, with the title shown to users. */
export const codeTableSources: CodeTableSource[] = [
  { id: 'gender', title: '性别', data: gender, parentRule: 'flat' },
  { id: 'country', title: '国籍/地区', data: country, parentRule: 'flat', examples: ['156', '344', '446', '158'] },
  { id: 'ethnicity', title: '民族', data: ethnicity, parentRule: 'flat' },
  { id: 'political', title: '政治面貌', data: political, parentRule: 'flat', examples: ['01', '03', '13'] },
  { id: 'marital', title: '婚姻状况', data: marital, parentRule: 'tens' },
  { id: 'health', title: '健康状况', data: health, parentRule: 'flat' },
  { id: 'education-level', title: '学历', data: educationLevel, parentRule: 'tens', examples: ['11', '14', '21', '31'] },
  { id: 'degree', title: '学位', data: degree, parentRule: 'firstDigit', examples: ['404', '304', '204'] },
  { id: 'professional-title', title: '专业技术职务', data: professionalTitle, parentRule: 'flat', examples: ['052', '062', '012'] },
  { id: 'id-document-type', title: '身份证件类型', data: idDocumentType, parentRule: 'flat' },
  { id: 'staff-category', title: '教职工类别', data: staffCategory, parentRule: 'tens', examples: ['11', '12', '13', '14'] },
  { id: 'staff-source-k12', title: '教职工来源（中小学、中职、特教）', data: staffSourceK12, parentRule: 'explicit' },
  { id: 'staff-source-higher-ed', title: '高校教职工来源', data: staffSourceHigherEd, parentRule: 'tens' },
  { id: 'yes-no', title: '是否', data: yesNo, parentRule: 'flat' },
  { id: 'contract', title: '签订合同情况', data: contract, parentRule: 'flat' },
  { id: 'employment-form', title: '用人形式', data: employmentForm, parentRule: 'flat' },
  { id: 'it-ability', title: '信息技术应用能力', data: itAbility, parentRule: 'flat' },
  { id: 'free-normal-student', title: '免费师范生', data: freeNormalStudent, parentRule: 'flat' },
  { id: 'grassroots-project', title: '基层服务项目', data: grassrootsProject, parentRule: 'explicit' },
  { id: 'psych-teacher', title: '心理健康教育教师', data: psychTeacher, parentRule: 'flat' },
];
