import { DomainError } from '../errors.ts';
import { confirmationKindOf, confirmedViaAfter, recordStateLabels, type ConfirmedVia, type RecordEvent, type RecordState, type TransitionResult } from '../../contract/record-states.ts';

/** The refusal of a transition the state machine does not allow: 409 naming the state, 400 without a reason. */
export function transitionError(result: Extract<TransitionResult, { ok: false }>, event: RecordEvent) {
  if (result.reason === 'reason_required') {
    return new DomainError('validation_failed', { zh: '请填写原因', en: 'Give a reason' }, [{ field: 'reason', code: 'required' }]);
  }
  const now = recordStateLabels[result.from];
  const allowed = result.allowedFrom.map((state) => recordStateLabels[state]);
  return new DomainError('conflict', {
    zh: `该记录当前状态为“${now.zh}”，不能执行此操作（需为：${allowed.map((a) => a.zh).join('、')}）`,
    en: `The record is "${now.en}"; ${event} needs: ${allowed.map((a) => a.en).join(', ')}`,
  }, { state: result.from, allowedFrom: result.allowedFrom });
}

/**
 * The `confirmed_via` column a step writes (see `confirmedViaAfter`): the kind of a confirming step, nothing
 * for an approval (it keeps how the record was confirmed), null for every step out of confirmed or approved.
 */
export function confirmedViaSet(event: RecordEvent, to: RecordState): { confirmedVia?: ConfirmedVia | null } {
  if (to === 'approved' && confirmationKindOf(event) === null) return {};
  return { confirmedVia: confirmedViaAfter(event, to, null) };
}
