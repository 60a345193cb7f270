import type { Database } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import type { UnitRow } from '../org/units.repository.ts';
import { notify } from '../notifications/notifications.service.ts';
import { requireCampaign } from './package.service.ts';
import { answerUnlockRequest, insertUnlockRequest, pendingUnlockRequest, type UnlockRow } from './unlock.repository.ts';

type ActorContext = AuditContext & { actor: Actor };

/** How long a granted unlock lasts. */
export const grantDays = 3;

const alreadyDecided = () => new DomainError('conflict', { zh: '该申请已处理', en: 'This request has already been decided' });

/** 申请解锁: after the deadline a unit asks the unit it reports to for leave to change submitted data; one request at a time. */
export async function requestUnlock(db: Database, context: ActorContext, unit: UnitRow, reason: string) {
  const campaign = await requireCampaign(db);
  if (await pendingUnlockRequest(db, unit.code)) throw new DomainError('conflict', { zh: '已有一份待处理的解锁申请', en: 'An unlock request is already pending' });
  return db.transaction(async (tx) => {
    const created = await insertUnlockRequest(tx, { campaignId: campaign.id, unitCode: unit.code, reason, createdBy: context.actor.id });
    if (unit.parentCode) await notify(tx, [{ unitCode: unit.parentCode, kind: 'package_received', title: `${unit.name} 申请解锁已报送的数据`, body: reason }]);
    await recordAudit(tx, context, { action: 'unlock.requested', targetType: 'unlock_request', targetId: created.id, unitCode: unit.code, reason });
    return created;
  });
}

/** 批准 / 不批准解锁: the parent answers a pending request; a grant lets the unit change its data for `grantDays` days. */
export async function decideUnlock(db: Database, context: ActorContext, unlock: UnlockRow, unit: UnitRow, grant: boolean, answer: string | undefined) {
  if (unlock.status !== 'pending') throw alreadyDecided();
  return db.transaction(async (tx) => {
    const row = await answerUnlockRequest(tx, unlock.id, {
      status: grant ? 'granted' : 'refused',
      answer: answer ?? null,
      decidedBy: context.actor.id,
      decidedAt: new Date(),
      expiresAt: grant ? new Date(Date.now() + grantDays * 86_400_000) : null,
    });
    if (!row) throw alreadyDecided();
    await notify(tx, [{ unitCode: unit.code, kind: grant ? 'package_approved' : 'package_returned', title: grant ? `解锁申请已批准，${grantDays} 天内可修改数据` : '解锁申请未获批准', body: answer }]);
    await recordAudit(tx, context, { action: grant ? 'unlock.granted' : 'unlock.refused', targetType: 'unlock_request', targetId: unlock.id, unitCode: unit.code, reason: answer ?? null });
    return { ...row, unitName: unit.name };
  });
}
