import readline from 'node:readline/promises';
import { Writable } from 'node:stream';
import { loadConfig } from '../config.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { DomainError } from '../errors.ts';
import { accountsExist, createFirstAdmin, firstAdmin, needsFirstAdmin } from '../accounts/first-admin.service.ts';

/** The variable a script sets to give `init` the first admin's password without a terminal. */
export const initPasswordVariable = 'ROLLCALL_INIT_PASSWORD';

const noPassword =
  `没有密码：请在终端中运行 \`npx rollcall init\` 输入密码，或设置 ${initPasswordVariable}。\n` +
  `No password: run \`npx rollcall init\` in a terminal to type it, or set ${initPasswordVariable}.`;

function refuse(error: DomainError): number {
  console.error(`${error.messages.zh}\n${error.messages.en}`);
  return 1;
}

/** Asks on the terminal without echoing what is typed; Ctrl-C leaves with code 130. */
async function askHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      if (!muted) process.stdout.write(chunk);
      callback();
    },
  });
  const prompt = readline.createInterface({ input: process.stdin, output, terminal: true });
  prompt.on('SIGINT', () => {
    prompt.close();
    process.stdout.write('\n');
    process.exit(130);
  });
  try {
    const answer = prompt.question(question);
    muted = true; // the question is written; what follows is the typing
    return await answer;
  } finally {
    prompt.close();
    process.stdout.write('\n');
  }
}

/** The password from the environment, or typed twice on the terminal; undefined when neither can be had. */
async function readPassword(): Promise<string | undefined> {
  const fromEnvironment = process.env[initPasswordVariable];
  if (fromEnvironment) return fromEnvironment;
  const first = await askHidden(`设置 ${firstAdmin.username} 的密码 / Password for ${firstAdmin.username}: `);
  const second = await askHidden('再次输入密码 / Type it again: ');
  if (first !== second) {
    console.error('两次输入的密码不一致，未作任何更改。\nThe two passwords differ; nothing was changed.');
    return undefined;
  }
  return first;
}

/**
 * `rollcall init`: opens and migrates the configured database as `start` does, then creates the province's
 * first admin (`admin` at 430000) on a database with no account. The password comes from
 * ROLLCALL_INIT_PASSWORD or is typed twice on the terminal; it is never printed. Refuses (exit code 1,
 * nothing written) a database with accounts, a weak password, and no password to be had.
 */
export async function runInit(args: string[] = []): Promise<number> {
  if (args.length > 0) {
    console.error(`init 不接受参数：${args.join(' ')} / init takes no arguments`);
    return 2;
  }
  const config = loadConfig();
  if (!process.env[initPasswordVariable] && !process.stdin.isTTY) {
    console.error(noPassword);
    return 1;
  }
  const database = await openConfiguredDatabase(config, console.log);
  try {
    // Refused before the password is asked for; `createFirstAdmin` checks again under the lock.
    if (!(await needsFirstAdmin(database.db))) return refuse(accountsExist());
    const password = await readPassword();
    if (password === undefined) return 1;
    const created = await createFirstAdmin(database.db, { password });
    console.log(
      [
        '',
        `已创建省级管理员 / Created the province admin: ${created.username}（${firstAdmin.unitCode}）`,
        '',
        '下一步 / Next:',
        '  1. npx rollcall start --no-demo        启动服务（不载入演示数据）/ start the server without the demo',
        `  2. 在浏览器中以 ${created.username} 和刚设置的密码登录 / sign in as ${created.username} with the password you set`,
        '  3. 在“账号管理”中为各市州、县区新建管理员 / create the admins of prefectures and counties under Accounts',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (error instanceof DomainError) return refuse(error);
    throw error;
  } finally {
    await database.close();
  }
}
