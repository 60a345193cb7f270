import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIdNumber, idCheckCharacter } from './id-number.ts';
import { hunanHistoricalCodes, provincePrefixes } from './regions.ts';
import { makeIdNumber } from './test-fixtures.ts';

const today = new Date('2013-10-21T00:00:00Z');

// Computed independently of this code (Python, GB 11643 weights): one number per check character.
const knownValid = [
  '430102198001010003', '430102198001010011', '43010219800101002X', '430102198001010038', '430102198001010046',
  '430102198001010054', '430102198001010062', '430102198001010070', '430102198001010089', '430102198001010097',
  '430102198001010185',
];

describe('idCheckCharacter', () => {
  it('gives each of the 11 check characters where GB 11643 does', () => {
    for (const id of knownValid) expect(idCheckCharacter(id.slice(0, 17)), id).toBe(id[17]);
  });

  it('computes GB 11643 check characters, X included', () => {
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(idCheckCharacter('43010219800101123')).toBe(makeIdNumber('430102', '19800101', '123').slice(-1));
    expect(() => idCheckCharacter('1101051949123100')).toThrow(RangeError);
  });
});

describe('checkIdNumber', () => {
  it('passes the README example with its birth date and sex', () => {
    expect(checkIdNumber('11010519491231002X', { today })).toEqual({
      ok: true,
      normalized: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: '2',
      upgradedFrom15: false,
    });
  });

  it('upper-cases a lower-case x and reads full-width digits', () => {
    expect(checkIdNumber('11010519491231002x', { today })).toMatchObject({ ok: true, normalized: '11010519491231002X' });
    expect(checkIdNumber('１１０１０５１９４９１２３１００２Ｘ', { today })).toMatchObject({ ok: true });
  });

  it('upgrades a legacy 15-digit number by inserting 19 and appending the check character', () => {
    expect(checkIdNumber('110105491231002', { today })).toEqual({
      ok: true,
      normalized: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: '2',
      upgradedFrom15: true,
    });
  });

  it('names the expected and the found check character', () => {
    expect(checkIdNumber('110105194912310023', { today })).toEqual({
      ok: false,
      code: 'id_checksum',
      message: '身份证件号：校验位应为X，实为3',
      messageEn: 'ID document number: the check character should be X, found 3',
    });
  });

  it('refuses a wrong length or stray characters as id_format, naming what was found', () => {
    const short = checkIdNumber('1101051949123100', { today });
    expect(short).toMatchObject({ ok: false, code: 'id_format' });
    if (!short.ok) expect(short.message).toContain('16位');
    expect(checkIdNumber('11010519491231002Y', { today })).toMatchObject({ ok: false, code: 'id_format' });
    expect(checkIdNumber('1101051949123X002X', { today })).toMatchObject({ ok: false, code: 'id_format' });
    expect(checkIdNumber('110105 19491231002X', { today })).toMatchObject({ ok: false, code: 'id_format' });
  });

  it('refuses a birth date that is not a real day or lies in the future', () => {
    const notReal = checkIdNumber(makeIdNumber('430102', '19800230', '123'), { today });
    expect(notReal).toMatchObject({ ok: false, code: 'id_birthdate' });
    if (!notReal.ok) expect(notReal.message).toContain('19800230');
    expect(checkIdNumber(makeIdNumber('430102', '20131022', '123'), { today })).toMatchObject({ ok: false, code: 'id_birthdate' });
    expect(checkIdNumber(makeIdNumber('430102', '20131021', '123'), { today })).toMatchObject({ ok: true });
  });

  it('accepts old Hunan region codes that IDs keep forever, and other provinces by prefix', () => {
    // 432301 益阳市 and 432524 新化县 (涟源地区) were replaced long before 2013.
    expect(checkIdNumber(makeIdNumber('432301', '19650304', '011'), { today })).toMatchObject({ ok: true });
    expect(checkIdNumber(makeIdNumber('432524', '19700101', '022'), { today })).toMatchObject({ ok: true });
    expect(checkIdNumber(makeIdNumber('439001', '19750101', '033'), { today })).toMatchObject({ ok: true });
    expect(checkIdNumber(makeIdNumber('440305', '19850101', '044'), { today })).toMatchObject({ ok: true });
    expect(checkIdNumber(makeIdNumber('659001', '19850101', '044'), { today })).toMatchObject({ ok: true });
  });

  it('refuses a Hunan code Hunan never had and an unknown province prefix', () => {
    const unknownHunan = checkIdNumber(makeIdNumber('439999', '19800101', '123'), { today });
    expect(unknownHunan).toMatchObject({ ok: false, code: 'id_region' });
    if (!unknownHunan.ok) expect(unknownHunan.message).toContain('439999');
    expect(checkIdNumber(makeIdNumber('431199', '19800101', '123'), { today })).toMatchObject({ ok: false, code: 'id_region' });
    const unknownProvince = checkIdNumber(makeIdNumber('990101', '19800101', '123'), { today });
    expect(unknownProvince).toMatchObject({ ok: false, code: 'id_region' });
    if (!unknownProvince.ok) expect(unknownProvince.messageEn).toContain('"99"');
  });

  it('reads the sex from the parity of the 17th digit', () => {
    expect(checkIdNumber(makeIdNumber('430102', '19800101', '121'), { today })).toMatchObject({ sex: '1' });
    expect(checkIdNumber(makeIdNumber('430102', '19800101', '128'), { today })).toMatchObject({ sex: '2' });
  });
});

const regions = [...[...hunanHistoricalCodes.keys()], ...[...provincePrefixes.keys()].filter((p) => p !== '43').map((p) => `${p}0102`)];
const birthDates = fc
  .date({ min: new Date('1940-01-01T00:00:00Z'), max: new Date('2005-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10).replaceAll('-', ''));
const validIds = fc
  .tuple(fc.constantFrom(...regions), birthDates, fc.integer({ min: 0, max: 999 }))
  .map(([region, birth, sequence]) => makeIdNumber(region, birth, String(sequence).padStart(3, '0')));

describe('checkIdNumber (properties)', () => {
  it('passes every number built from a known region, a real birth date, a sequence and its check character', () => {
    fc.assert(
      fc.property(validIds, (id) => {
        const result = checkIdNumber(id, { today });
        expect(result).toMatchObject({ ok: true, normalized: id, upgradedFrom15: false });
      }),
      { numRuns: 2000 },
    );
  });

  it('fails every number with one character changed to another of 0-9 and X', () => {
    const characters = '0123456789X'.split('');
    fc.assert(
      fc.property(validIds, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...characters), (id, position, replacement) => {
        fc.pre(id[position] !== replacement);
        const changed = id.slice(0, position) + replacement + id.slice(position + 1);
        expect(checkIdNumber(changed, { today }).ok).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });
});
