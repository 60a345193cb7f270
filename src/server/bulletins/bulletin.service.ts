import type { Database, Executor } from '../db/client.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import { DomainError } from '../errors.ts';
import type { Actor } from '../policy/actor.ts';
import type { CampaignRow } from '../campaign/campaign.service.ts';
import { defaultWatchRule, defaultWeights, rankBulletin, type BulletinRow, type WatchRule, type Weights } from './bulletin.figures.ts';
import { watchRuleSchema, weightsSchema } from '../../contract/bulletins.schema.ts';
import { deleteDraftRow, insertBulletin, latestBulletin, loadFigures, previousPublished, updateDraftRow, type BulletinRecord } from './bulletin.repository.ts';

export type { BulletinRecord } from './bulletin.repository.ts';
type ActorContext = AuditContext & { actor: Actor };
export type BulletinSettings = { title: string; asOf: string; weights: Weights; watchRule: WatchRule; remarks: string | null };

/** A bulletin's stored weights and 约谈 rule (jsonb), read back through their schemas. */
export function settingsOf(bulletin: Pick<BulletinRecord, 'weights' | 'watchRule'>): Pick<BulletinSettings, 'weights' | 'watchRule'> {
  return { weights: weightsSchema.parse(bulletin.weights), watchRule: watchRuleSchema.parse(bulletin.watchRule) };
}

/**
 * A bulletin's rows as stored, completed for rows frozen before the shortfall and the reviewed count were
 * kept: the shortfall from the unit's totals (the schools' own are not kept), the reviewed count unknown (null).
 */
export function storedRows(bulletin: Pick<BulletinRecord, 'rows'>): (Omit<BulletinRow, 'reviewedStaff'> & { reviewedStaff: number | null })[] {
  return bulletin.rows.map((row) => ({
    ...row,
    reviewedStaff: row.reviewedStaff ?? null,
    shortfall: row.shortfall ?? Math.max(0, row.expectedStaff - row.liveStaff),
  }));
}

/**
 * Computes a bulletin's rows as the data stood at the end of its date (see `loadFigures`), compared week on
 * week with the latest published bulletin before it.
 */
export async function computeRows(executor: Executor, campaign: CampaignRow, settings: Pick<BulletinSettings, 'asOf' | 'weights' | 'watchRule'>, exceptId?: number) {
  const previous = await previousPublished(executor, campaign.id, settings.asOf, exceptId);
  const figures = await loadFigures(executor, campaign, settings.asOf);
  return { rows: rankBulletin(figures, settings.weights, settings.watchRule, previous?.rows ?? null), previousId: previous?.id ?? null };
}

/** The settings a new draft starts from: those of the latest bulletin, or the defaults. */
export async function lastSettings(executor: Executor, campaignId: number): Promise<Pick<BulletinSettings, 'weights' | 'watchRule'>> {
  const last = await latestBulletin(executor, campaignId);
  return last ? settingsOf(last) : { weights: defaultWeights, watchRule: defaultWatchRule };
}

/** 起草通报: a draft for a date, computed from the history as of that date. */
export async function draftBulletin(db: Database, context: ActorContext, campaign: CampaignRow, input: Partial<BulletinSettings> & { asOf: string }) {
  const base = await lastSettings(db, campaign.id);
  const settings: BulletinSettings = {
    title: input.title ?? `${campaign.name}通报（${input.asOf}）`,
    asOf: input.asOf,
    weights: input.weights ?? base.weights,
    watchRule: input.watchRule ?? base.watchRule,
    remarks: input.remarks ?? null,
  };
  const { rows, previousId } = await computeRows(db, campaign, settings);
  return db.transaction(async (tx) => {
    const row = await insertBulletin(tx, { campaignId: campaign.id, ...settings, rows, previousId, createdBy: context.actor.id });
    await recordAudit(tx, context, { action: 'bulletin.draft', targetType: 'bulletin', targetId: row.id, after: { ...settings, previousId } });
    return row;
  });
}

function assertDraft(bulletin: BulletinRecord) {
  if (bulletin.status !== 'draft') {
    throw new DomainError('conflict', { zh: '通报已发布，不能修改', en: 'The bulletin is published and can no longer change' });
  }
}

function assertVersion(bulletin: BulletinRecord, version: number) {
  if (bulletin.version !== version) {
    throw new DomainError('stale_version', { zh: '通报已被他人修改，请刷新后重试', en: 'The bulletin changed meanwhile; reload and try again' });
  }
}

/** Changes a draft's settings and computes it again (as of its date, which may have changed). */
export async function updateDraft(db: Database, context: ActorContext, campaign: CampaignRow, bulletin: BulletinRecord, input: Partial<BulletinSettings> & { version: number }) {
  assertDraft(bulletin);
  assertVersion(bulletin, input.version);
  const settings: BulletinSettings = {
    title: input.title ?? bulletin.title,
    asOf: input.asOf ?? bulletin.asOf,
    weights: input.weights ?? settingsOf(bulletin).weights,
    watchRule: input.watchRule ?? settingsOf(bulletin).watchRule,
    remarks: input.remarks === undefined ? bulletin.remarks : input.remarks,
  };
  const { rows, previousId } = await computeRows(db, campaign, settings, bulletin.id);
  return db.transaction(async (tx) => {
    const row = await updateDraftRow(tx, bulletin.id, bulletin.version, { ...settings, rows, previousId, computedAt: new Date(), version: bulletin.version + 1 });
    if (!row) throw new DomainError('stale_version', { zh: '通报已被他人修改，请刷新后重试', en: 'The bulletin changed meanwhile; reload and try again' });
    await recordAudit(tx, context, {
      action: 'bulletin.update',
      targetType: 'bulletin',
      targetId: bulletin.id,
      before: { title: bulletin.title, asOf: bulletin.asOf, weights: bulletin.weights, watchRule: bulletin.watchRule, remarks: bulletin.remarks },
      after: settings,
    });
    return row;
  });
}

/** 发布: computes the draft one last time and freezes it; prefectures and universities see it from now on. */
export async function publishBulletin(db: Database, context: ActorContext, campaign: CampaignRow, bulletin: BulletinRecord, version: number) {
  assertDraft(bulletin);
  assertVersion(bulletin, version);
  const { rows, previousId } = await computeRows(db, campaign, { asOf: bulletin.asOf, ...settingsOf(bulletin) }, bulletin.id);
  return db.transaction(async (tx) => {
    const row = await updateDraftRow(tx, bulletin.id, bulletin.version, { rows, previousId, computedAt: new Date(), status: 'published', publishedBy: context.actor.id, publishedAt: new Date(), version: bulletin.version + 1 });
    if (!row) throw new DomainError('stale_version', { zh: '通报已被他人修改，请刷新后重试', en: 'The bulletin changed meanwhile; reload and try again' });
    const watched = (rows).filter((r) => r.watch).map((r) => r.name);
    await recordAudit(tx, context, { action: 'bulletin.publish', targetType: 'bulletin', targetId: bulletin.id, after: { asOf: row.asOf, previousId, units: rows.length, watch: watched } });
    return row;
  });
}

/** Deletes a draft (a published bulletin is kept). */
export async function deleteDraft(db: Database, context: ActorContext, bulletin: BulletinRecord) {
  assertDraft(bulletin);
  await db.transaction(async (tx) => {
    await deleteDraftRow(tx, bulletin.id);
    await recordAudit(tx, context, { action: 'bulletin.delete', targetType: 'bulletin', targetId: bulletin.id, before: { title: bulletin.title, asOf: bulletin.asOf } });
  });
}
