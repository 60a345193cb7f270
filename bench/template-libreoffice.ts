/**
 * bench/template-libreoffice: the template with the largest code tables (高等学校: 国籍/地区 239 entries)
 * opened by LibreOffice headless (converted to .xlsx and to .csv) — a workbook LibreOffice must repair fails
 * to convert or loses its sheets. Prints the exit codes, the sheets LibreOffice kept and, from its own
 * re-saved copy, the dropdown list ranges, which must still span whole code tables.
 * Needs `soffice` (Debian's libreoffice-calc-nogui). Run: npx tsx bench/template-libreoffice.ts
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { codeTables } from '../src/standard/index.ts';
import { writeSchoolTemplate } from '../src/server/imports/template.service.ts';

const folder = mkdtempSync(join(tmpdir(), 'rollcall-template-'));
const file = join(folder, 'template.xlsx');
const output = createWriteStream(file);
await writeSchoolTemplate(output, { school: { code: '4430104001', name: '测试大学', schoolType: 'higher_ed' }, tasks: [], records: [] });
await finished(output);

for (const format of ['xlsx', 'csv']) {
  const outDir = join(folder, format);
  const result = spawnSync('soffice', ['--headless', '--norestore', '--convert-to', format, '--outdir', outDir, file], { encoding: 'utf8', timeout: 120_000 });
  console.log(`soffice --convert-to ${format}: exit ${result.status}${result.error ? ` (${result.error.message})` : ''}; wrote ${readdirSync(outDir, { withFileTypes: true }).map((d) => d.name).join(', ') || 'nothing'}`);
}
const resaved = new ExcelJS.Workbook();
await resaved.xlsx.readFile(join(folder, 'xlsx', 'template.xlsx'));
console.log(`sheets after LibreOffice: ${resaved.worksheets.map((s) => `${s.name} (${s.state})`).join(', ')}`);
const sheet = resaved.getWorksheet('教职工基础信息')!;
const model = (sheet as unknown as { dataValidations: { model: Record<string, { formulae?: string[] }> } }).dataValidations.model;
const lists = Object.values(model).flatMap((rule) => rule?.formulae ?? []);
const longest = Math.max(...lists.map((formula) => Number(/\$(\d+)$/.exec(formula)?.[1] ?? 0)));
console.log(`distinct dropdown lists kept: ${new Set(lists).size} (on ${lists.length} cells); longest spans ${longest} rows (国籍/地区 has ${codeTables.country.entries.length} entries)`);
