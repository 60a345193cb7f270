import { createHash, randomBytes, randomInt } from 'node:crypto';
import { checkRecord, fieldByKey, fieldsFor, formatCell } from '../../standard/index.ts';
import type { FieldKey, Finding, RawRecord } from '../../standard/types.ts';
import type { Database } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import { liveStaffOfSchool, updateStaffRecord, valuesOf } from '../staff/staff.repository.ts';
import { transition } from '../../contract/record-states.ts';
import type { OwnRecord } from '../../contract/confirmation.schema.ts';
import { confirmedViaSet, transitionError } from '../staff/record-steps.ts';
import { endCodes, recordEvent } from '../staff/record-steps.repository.ts';
import { addressKey, fail, minutesUntil, release, reserve, type ThrottleRule } from '../throttle/throttle.ts';
import { notify } from '../notifications/notifications.service.ts';
import { countCodeFailure, findCodeByHash, findSession, insertCode, insertCorrection, latestCorrection, openCodeSession, spendCode } from './confirmation.repository.ts';

type ActorContext = AuditContext & { actor: Actor };

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: read off paper
const codeDays = 14;
const sessionMinutes = 30;
/** Wrong ID suffixes that lock a code; each later one locks it twice as long as the last. */
const maxFailures = 5;
const codeLockMs = 15 * 60_000;
const maxCodeLockMs = 24 * 3_600_000;
/** Failed code entries one address may make within 15 minutes of each other before it must wait 15 minutes. */
const addressRule: ThrottleRule = { free: 30, firstBlockMs: 15 * 60_000, maxBlockMs: 15 * 60_000, forgetMs: 15 * 60_000 };
const hash = (text: string) => createHash('sha256').update(text).digest('hex');

/** A one-time code as printed: 8 characters in two groups (`K7QM-3HXP`). */
export function newCode(): string {
  const chars = Array.from({ length: 8 }, () => alphabet[randomInt(alphabet.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** The code as typed: case, spaces and the dash do not matter. */
export function normaliseCode(text: string): string {
  const bare = text.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9]/g, '');
  return bare.length === 8 ? `${bare.slice(0, 4)}-${bare.slice(4)}` : bare;
}

const invalid = () =>
  new DomainError('invalid_credentials', {
    zh: '确认码或证件号后六位不正确，或确认码已失效。请核对确认单，或请学校重新发放确认码。',
    en: 'The code or the last six characters of the ID number are wrong, or the code is no longer valid. Check the slip, or ask the school for a new code.',
  });

/**
 * 发放确认码: sends records for confirmation (a draft or returned record moves to 待本人确认) and gives each a
 * new one-time code, ending any earlier code. Returns the codes once, for the slips.
 */
export async function issueCodes(db: Database, context: ActorContext, schoolCode: string, ids: number[]) {
  const rows = await liveStaffOfSchool(db, schoolCode, ids);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const issued: { staffId: number; name: string | null; code: string; expiresAt: string }[] = [];
  const refused: { staffId: number; message: string; messageEn: string }[] = [];
  await db.transaction(async (tx) => {
    for (const id of ids) {
      const row = byId.get(id);
      if (!row) {
        refused.push({ staffId: id, message: '记录不存在或不在本校', messageEn: 'No such record at this school' });
        continue;
      }
      const state = row.status;
      if (state === 'draft' || state === 'returned') {
        const step = transition(state, 'send_for_confirmation', 'school');
        if (!step.ok) throw transitionError(step, 'send_for_confirmation');
        await updateStaffRecord(tx, id, {}, { status: step.to, ...confirmedViaSet('send_for_confirmation', step.to), updatedBy: context.actor.id, updatedAt: new Date() });
        await recordEvent(tx, { staffId: id, event: 'send_for_confirmation', from: state, to: step.to, actorKind: 'school', actorId: context.actor.id });
      } else if (state !== 'awaiting_confirmation' && state !== 'correction_requested') {
        refused.push({ staffId: id, message: `该记录状态为“${state === 'approved' ? '学校已审核' : '本人已确认'}”，无需再确认`, messageEn: 'This record needs no confirmation now' });
        continue;
      }
      await endCodes(tx, [id]);
      const code = newCode();
      const expiresAt = new Date(Date.now() + codeDays * 86_400_000);
      await insertCode(tx, { staffId: id, codeHash: hash(code), expiresAt, createdBy: context.actor.id });
      issued.push({ staffId: id, name: row.name, code, expiresAt: expiresAt.toISOString() });
    }
    await recordAudit(tx, context, issued.map((item) => ({ action: 'staff.confirmation_code_issued', targetType: 'staff', targetId: item.staffId, unitCode: schoolCode })));
  });
  return { issued, refused };
}

/**
 * 本人确认入口: a code and the ID number's last six characters open a short session on that one record.
 * Every failure answers the same. Each attempt is counted before it is checked, in one statement, so a burst
 * checks no more than the limits: a code locks after repeated wrong suffixes (longer each time), an address
 * after many failures.
 */
export async function openSession(db: Database, input: { code: string; idSuffix: string; ip: string }) {
  const admission = await reserve(db, `confirm:${addressKey(input.ip)}`, addressRule);
  if (!admission.admitted && !admission.blockedUntil) {
    throw new DomainError('rate_limited', { zh: '尝试过于频繁，请稍后再试', en: 'Too many attempts at once; try again shortly' });
  }
  if (!admission.admitted) {
    const minutes = minutesUntil(admission.blockedUntil!);
    throw new DomainError('rate_limited', { zh: `尝试次数过多，请 ${minutes} 分钟后再试`, en: `Too many attempts; try again in ${minutes} min` });
  }
  const refuse = async () => {
    await fail(db, admission.reservation, addressRule);
    return invalid();
  };
  const found = await findCodeByHash(db, hash(normaliseCode(input.code)));
  if (!found || found.code.usedAt || found.code.expiresAt.getTime() <= Date.now()) throw await refuse();
  const attempt = await reserveCodeAttempt(db, found.code.id);
  if (!attempt) throw await refuse();
  const suffix = input.idSuffix.normalize('NFKC').trim().toUpperCase();
  if (!found.idNumber || suffix.length !== 6 || !found.idNumber.toUpperCase().endsWith(suffix)) {
    await db.transaction(async (tx) => {
      await fail(tx, admission.reservation, addressRule);
      await recordAudit(tx, { actor: null, ip: input.ip }, {
        action: 'staff.confirmation_failed',
        targetType: 'staff',
        targetId: found.code.staffId,
        unitCode: found.schoolCode,
        after: { reason: 'wrong_id_suffix', failures: attempt.failures, lockedUntil: attempt.lockedUntil?.toISOString() ?? null },
      });
    });
    throw invalid();
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + sessionMinutes * 60_000);
  await db.transaction(async (tx) => {
    await openCodeSession(tx, found.code.id, hash(token), expiresAt);
    await release(tx, admission.reservation);
  });
  return { token, expiresAt: expiresAt.toISOString() };
}

/**
 * Counts one attempt on a code as a failure before its suffix is checked (the right suffix then clears the
 * count), unless the code is locked (then null): the `maxFailures`-th failure locks it for 15 minutes, each
 * later one twice as long, up to a day. One person holds a code, so a burst on it is an attack and no attempt
 * needs to wait its turn.
 */
async function reserveCodeAttempt(db: Database, codeId: number) {
  return countCodeFailure(db, codeId, { maxFailures, lockMs: codeLockMs, maxLockMs: maxCodeLockMs });
}

/** The record a session token opens, or 401. */
export async function sessionRecord(db: Database, token: string) {
  const found = await findSession(db, hash(token));
  if (!found) throw new DomainError('session_expired', { zh: '确认页面已过期，请重新输入确认码', en: 'This page has expired; enter the code again' });
  return found;
}

type Opened = Awaited<ReturnType<typeof sessionRecord>>;

/** The person's own record in plain words (labels, not codes), with the school's last answer to a request. */
export async function presentOwnRecord(db: Database, opened: Opened): Promise<OwnRecord> {
  const schoolType = opened.school.schoolType;
  const values = valuesOf(opened.record);
  const latest = await latestCorrection(db, opened.record.id);
  return {
    schoolName: opened.school.name,
    schoolType,
    status: opened.record.status,
    // The session was opened with only six characters of the ID number: the rest never leaves the server.
    fields: fieldsFor(schoolType).map((field) => {
      const hidden = field.key === 'idNumber' && values.idNumber ? `${values.idNumber.slice(0, 3)}***********${values.idNumber.slice(-4)}` : null;
      return {
        key: field.key,
        label: field.label,
        labelEn: field.labelEn,
        value: hidden ?? values[field.key],
        display: hidden ?? formatCell(field.key, values[field.key], schoolType),
      };
    }),
    lastRequest: latest ? { status: latest.status, reason: latest.reason, fields: latest.fields, createdAt: latest.createdAt.toISOString() } : null,
  };
}

/** 本人确认: the record is right. The code is spent. */
export async function confirmOwnRecord(db: Database, opened: Opened, ip: string) {
  const step = transition(opened.record.status, 'confirm', 'staff_member');
  if (!step.ok) throw transitionError(step, 'confirm');
  await db.transaction(async (tx) => {
    const moved = await updateStaffRecord(tx, opened.record.id, { status: step.from }, { status: step.to, ...confirmedViaSet('confirm', step.to), updatedAt: new Date() });
    if (!moved) throw transitionError({ ok: false, reason: 'wrong_state', from: opened.record.status, allowedFrom: ['awaiting_confirmation'] }, 'confirm');
    await spendCode(tx, opened.code.id);
    await recordEvent(tx, { staffId: opened.record.id, event: 'confirm', from: step.from, to: step.to, actorKind: 'staff_member', actorId: null });
    await recordAudit(tx, { actor: null, ip }, { action: 'staff.confirm', targetType: 'staff', targetId: opened.record.id, unitCode: opened.record.schoolCode });
  });
}

export type CorrectionInput = { field: FieldKey; value: string | null; note?: string };

/**
 * 申请更正: the person proposes new values for some fields. They go through the same rules; a value the
 * rules refuse is refused here, with the same messages. The school then accepts or rejects the request.
 */
export async function requestCorrection(db: Database, opened: Opened, input: CorrectionInput[], ip: string) {
  const schoolType = opened.school.schoolType;
  const before = valuesOf(opened.record);
  const proposed: RawRecord = { ...before };
  for (const item of input) proposed[item.field] = item.value;
  const { values, findings } = checkRecord(proposed, { schoolType, today: new Date() });
  const asked = new Set(input.map((item) => item.field));
  const errors = findings.filter((finding: Finding) => finding.severity === 'error' && (finding.field === null || asked.has(finding.field)));
  if (errors.length > 0) {
    throw new DomainError('unprocessable', { zh: errors.map((f) => f.message).join('；'), en: errors.map((f) => f.messageEn).join('; ') }, { findings: errors });
  }
  const fields = input
    .map((item) => ({ field: item.field, label: fieldByKey[item.field].label, before: before[item.field], after: values[item.field], note: item.note?.slice(0, 200) ?? null }))
    .filter((item) => item.before !== item.after || item.note);
  if (fields.length === 0) throw new DomainError('validation_failed', { zh: '没有需要更正的内容', en: 'Nothing to correct' });
  const step = transition(opened.record.status, 'request_correction', 'staff_member');
  if (!step.ok) throw transitionError(step, 'request_correction');
  await db.transaction(async (tx) => {
    await updateStaffRecord(tx, opened.record.id, {}, { status: step.to, ...confirmedViaSet('request_correction', step.to), updatedAt: new Date() });
    await insertCorrection(tx, { staffId: opened.record.id, fields });
    await recordEvent(tx, { staffId: opened.record.id, event: 'request_correction', from: step.from, to: step.to, actorKind: 'staff_member', actorId: null, changes: Object.fromEntries(fields.map((f) => [f.field, { before: f.before, after: f.after }])) });
    await notify(tx, [{ unitCode: opened.record.schoolCode, kind: 'correction_requested', title: `${opened.record.name ?? ''} 申请更正 ${fields.map((f) => f.label).join('、')}`, link: `/staff/${opened.record.id}` }]);
    await recordAudit(tx, { actor: null, ip }, { action: 'staff.request_correction', targetType: 'staff', targetId: opened.record.id, unitCode: opened.record.schoolCode, after: fields });
  });
}
