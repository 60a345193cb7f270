import { describe, expect, it } from 'vitest';
import { codeTables, resolveCode } from './code-tables.ts';

const code = (table: string, text: string) => codeTables[table].lookup(text)?.code;

describe('code table lookup', () => {
  it('accepts code-label, the bare code and the label for the same value', () => {
    for (const text of ['1-男', '1', '男', '1－男', '1 男', '1—男', ' 1 - 男 ', '１－男']) expect(code('gender', text), text).toBe('1');
    expect(code('gender', '2-女')).toBe('2');
    expect(code('political', '01-中国共产党党员')).toBe('01');
    expect(code('political', '13')).toBe('13');
    expect(code('ethnicity', '汉族')).toBe('01');
    expect(code('country', '156-中国')).toBe('156');
    expect(code('staff-category', '专任教师')).toBe('11');
  });

  it('accepts the other names a table gives: gbLabel, short, aliases, country codes', () => {
    expect(code('gender', '男性')).toBe('1');
    expect(code('gender', '2-女性')).toBe('2');
    expect(code('political', '中共党员')).toBe('01');
    expect(code('political', '01-中共党员')).toBe('01');
    expect(code('ethnicity', '毛难族')).toBe('36');
    expect(code('country', 'CHN')).toBe('156');
    expect(code('country', 'cn')).toBe('156');
  });

  it('normalises full-width brackets and letters before matching', () => {
    expect(code('professional-title', '讲师(高校)')).toBe('013');
    expect(code('professional-title', '013-讲师（高校）')).toBe('013');
    expect(code('id-document-type', 'a')).toBe('A');
    expect(code('id-document-type', 'Ａ-护照')).toBe('A');
  });

  it('accepts parent and category codes as values', () => {
    expect(code('staff-source-k12', '10-录用')).toBe('10');
    expect(code('education-level', '10')).toBe('10');
    expect(code('marital', '20-已婚')).toBe('20');
    expect(code('grassroots-project', '1')).toBe('1');
    expect(codeTables['education-level'].lookup('10')?.isCategory).toBe(true);
  });

  it('knows the trees: explicit parents, tens and first digits, and flat lists', () => {
    expect(codeTables['grassroots-project'].lookup('11')?.parent).toBe('1');
    expect(codeTables['grassroots-project'].lookup('1')?.isCategory).toBe(true);
    expect(codeTables['staff-source-k12'].lookup('12')?.parent).toBe('10');
    expect(codeTables['staff-source-higher-ed'].lookup('321')?.parent).toBe('32');
    expect(codeTables['staff-source-higher-ed'].lookup('32')?.parent).toBe('30');
    expect(codeTables.marital.lookup('22')?.parent).toBe('20');
    expect(codeTables.degree.lookup('304')?.parent).toBe('3');
    expect(codeTables['education-level'].lookup('14')?.parent).toBe('10');
    // 10 九三学社 does not head 11 台盟: 政治面貌 is a plain list.
    expect(codeTables.political.lookup('11')?.parent).toBeNull();
    expect(codeTables.political.isTree).toBe(false);
    expect(codeTables.ethnicity.isTree).toBe(false);
    expect(codeTables['staff-source-k12'].isTree).toBe(true);
  });

  it('refuses what is not a value: a padded code typed without its zero, a wrong name, a code-label that disagrees', () => {
    expect(code('political', '1')).toBeUndefined();
    expect(resolveCode(codeTables.political, '1')).toMatchObject({ kind: 'unknown', padded: { code: '01' } });
    expect(code('gender', '男的')).toBeUndefined();
    expect(code('gender', '1-女')).toBeUndefined();
    expect(resolveCode(codeTables.gender, '1-女')).toMatchObject({ kind: 'mismatch', byCode: { code: '1' }, byLabel: { code: '2' } });
    expect(code('yes-no', 'Y')).toBeUndefined();
    expect(code('yes-no', 'TRUE')).toBeUndefined();
  });

  it('reads yes-no cells as 1-是 / 0-否', () => {
    for (const text of ['1-是', '是', '1']) expect(code('yes-no', text)).toBe('1');
    for (const text of ['0-否', '否', '0']) expect(code('yes-no', text)).toBe('0');
  });

  it('describes each table with its standard, source and whether its codes were verified', () => {
    expect(codeTables.gender).toMatchObject({ id: 'gender', title: '性别', verified: true });
    expect(codeTables.gender.standard).toContain('GB/T 2261.1');
    expect(codeTables['professional-title'].verified).toBe('partial');
    expect(codeTables['employment-form'].verified).toBe(false);
    expect(codeTables.country.entries).toHaveLength(239);
    for (const table of Object.values(codeTables)) expect(table.source.length, table.id).toBeGreaterThan(0);
  });

  it('never lets a name of one entry shadow another entry\'s code', () => {
    for (const table of Object.values(codeTables)) {
      for (const entry of table.entries) {
        expect(table.lookup(entry.code), `${table.id} ${entry.code}`).toBe(entry);
        expect(table.lookup(entry.label), `${table.id} ${entry.label}`).toBe(entry);
        expect(table.lookup(`${entry.code}-${entry.label}`)).toBe(entry);
      }
    }
  });
});
