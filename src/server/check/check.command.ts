import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseSchoolType, schoolTypes } from '../../standard/school-types.ts';
import { DomainError } from '../errors.ts';
import { checkFile } from './check-file.service.ts';
import { checkReportJson, checkReportText } from './check-report.ts';

export const checkUsage = `check FILE --school-type k12|vocational|special|higher_ed [--json] [--today YYYY-MM-DD]
                        检查教职工信息表（.xlsx 或 .csv）/ check a staff file against the standard`;

const write = (stream: NodeJS.WriteStream, text: string) =>
  new Promise<void>((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));

/**
 * `rollcall check FILE --school-type …`: checks a staff file and prints the issues by row (or one JSON object
 * with --json). Exit 0 without errors (warnings allowed), 1 with errors, 2 when the file cannot be read.
 */
export async function runCheck(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { 'school-type': { type: 'string' }, json: { type: 'boolean', default: false }, today: { type: 'string' } },
    });
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
  const { positionals, values } = parsed;
  const schoolType = values['school-type'] ? parseSchoolType(values['school-type']) : undefined;
  if (positionals.length !== 1 || !schoolType) {
    return usageError(`--school-type 应为 ${schoolTypes.join('|')} / --school-type must be one of ${schoolTypes.join('|')}`);
  }
  const today = values.today ? new Date(`${values.today}T00:00:00+08:00`) : new Date();
  if (Number.isNaN(today.getTime())) return usageError('--today 应为 YYYY-MM-DD / --today must be YYYY-MM-DD');
  const path = positionals[0];
  const file = await stat(path).catch(() => undefined);
  if (!file?.isFile()) return cannotRead(values.json, path, `找不到文件“${path}” / File not found: ${path}`);
  const progress = process.stderr.isTTY && !values.json;
  try {
    const result = await checkFile({ path }, schoolType, {
      today,
      onProgress: progress ? (rows) => process.stderr.write(`\r已检查 ${rows} 行 / ${rows} rows checked`) : undefined,
    });
    if (progress) process.stderr.write('\n');
    await write(process.stdout, values.json ? `${JSON.stringify(checkReportJson(result))}\n` : checkReportText(result));
    return result.errors > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return cannotRead(values.json, path, `${error.messages.zh}\n${error.messages.en}`, error);
  }
}

async function cannotRead(json: boolean | undefined, path: string, message: string, error?: DomainError) {
  process.stderr.write(`${message}\n`);
  if (json) {
    const problem = { code: error?.code ?? 'not_found', message: error?.messages.zh ?? message, messageEn: error?.messages.en ?? message };
    await write(process.stdout, `${JSON.stringify({ file: path, error: problem })}\n`);
  }
  return 2;
}

function usageError(message: string) {
  process.stderr.write(`${message}\n用法 / Usage: rollcall ${checkUsage}\n`);
  return 2;
}
