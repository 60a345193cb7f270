import ExcelJS from 'exceljs';
import type { Download, Page } from 'playwright-core';
import { idCheckCharacter, matchHeader, type FieldKey, type StaffValues } from '../../src/standard/index.ts';
import { settle } from './browser';

/** Staff workbooks for the browser tests: valid records, reading downloads, uploading on the import page. */

/** A valid 中小学 record (the shape of the server's validStaffValues) with a 居民身份证 of 芙蓉区. */
export function person(name: string, birth: string, sequence: string): Partial<StaffValues> {
  const first17 = `430102${birth}${sequence}`;
  return {
    name,
    sex: Number(sequence[2]) % 2 === 1 ? '1' : '2',
    nationality: '156',
    idType: '1',
    idNumber: first17 + idCheckCharacter(first17),
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    ethnicity: '01',
    political: '13',
    workStart: '2015-09',
    schoolJoin: '2016-09',
    staffSource: '11',
    staffCategory: '11',
    onPayroll: '1',
    contract: '1',
    normalGrad: '1',
    specialEdTrained: '0',
    specialEdCert: '0',
    itAbility: '3',
    freeNormal: '0',
    grassroots: '0',
    specialGrade: '0',
    countyBackbone: '0',
    psychTeacher: '0',
  };
}

/** The same ID number with a wrong check character. */
export const wrongCheck = (idNumber: string) => idNumber.slice(0, 17) + (idNumber.endsWith('1') ? '2' : '1');

/** Saves a download and reads it as a workbook. */
export async function workbookOf(download: Download): Promise<ExcelJS.Workbook> {
  const file = await download.path();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

/** Column number of each field in a sheet's header row (the template's ★ labels). */
export function columnsOf(sheet: ExcelJS.Worksheet): Map<FieldKey, number> {
  const columns = new Map<FieldKey, number>();
  sheet.getRow(1).eachCell((cell, column) => {
    const key = matchHeader(String(cell.value ?? ''));
    if (key) columns.set(key, column);
  });
  return columns;
}

/** The row whose `column` holds `name`. */
export function rowOfName(sheet: ExcelJS.Worksheet, column: number, name: string): ExcelJS.Row {
  for (let number = 2; number <= sheet.actualRowCount; number += 1) {
    if (sheet.getRow(number).getCell(column).text === name) return sheet.getRow(number);
  }
  throw new Error(`no row for ${name}`);
}

/** Chooses a file on the import page, uploads it and waits for the preview's counts. */
export async function uploadOnImportPage(page: Page, buffer: Buffer, name: string) {
  await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles({
    name,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer,
  });
  await page.getByTestId('import-start').click();
  await page.getByTestId('import-preview').waitFor();
  await page.getByTestId('import-counts').waitFor();
  await settle(page);
}

/** The number on one count card of the preview (new, changed, unchanged, invalid, conflicts). */
export const importCount = async (page: Page, key: string) => (await page.getByTestId(`import-count-${key}`).locator('.ant-statistic-content-value').textContent())?.trim();
