/**
 * The life of one staff record (教职工记录), as the plan describes it: entered → sent to the person →
 * confirmed, or a correction requested field by field → the school accepts or rejects it → approved by the
 * school, or returned to entry with a reason. One pure state machine, used by the API and the web pages.
 */
export const recordStates = ['draft', 'awaiting_confirmation', 'correction_requested', 'confirmed', 'approved', 'returned'] as const;
export type RecordState = (typeof recordStates)[number];

export const recordStateLabels: Record<RecordState, { zh: string; en: string }> = {
  draft: { zh: '已录入', en: 'Entered' },
  awaiting_confirmation: { zh: '待本人确认', en: 'Awaiting confirmation' },
  correction_requested: { zh: '本人申请更正', en: 'Correction requested' },
  confirmed: { zh: '本人已确认', en: 'Confirmed' },
  approved: { zh: '学校已审核', en: 'Approved by the school' },
  returned: { zh: '已退回', en: 'Returned' },
};

/** Who moves a record: the school (operator or admin), or the staff member on the confirmation page. */
export type RecordActor = 'school' | 'staff_member';

export const recordEvents = [
  'send_for_confirmation',
  'confirm',
  'request_correction',
  'confirm_on_paper',
  'accept_correction',
  'reject_correction',
  'approve',
  'return',
  'edit',
] as const;
export type RecordEvent = (typeof recordEvents)[number];

type Rule = { from: readonly RecordState[]; to: RecordState | ((from: RecordState) => RecordState); by: RecordActor; needsReason: boolean };

const rules: Record<RecordEvent, Rule> = {
  send_for_confirmation: { from: ['draft', 'returned'], to: 'awaiting_confirmation', by: 'school', needsReason: false },
  confirm: { from: ['awaiting_confirmation'], to: 'confirmed', by: 'staff_member', needsReason: false },
  request_correction: { from: ['awaiting_confirmation'], to: 'correction_requested', by: 'staff_member', needsReason: false },
  // 纸质确认: the person checked the printed slip and signed it; the school records that, saying where the
  // signed slip is kept. The slip's one-time code is spent.
  confirm_on_paper: { from: ['awaiting_confirmation'], to: 'confirmed', by: 'school', needsReason: true },
  // An accepted correction is applied (and checked again): the person asked for exactly this record.
  accept_correction: { from: ['correction_requested'], to: 'confirmed', by: 'school', needsReason: false },
  // A rejected one goes back to the person, who sees the reason and confirms or asks again.
  reject_correction: { from: ['correction_requested'], to: 'awaiting_confirmation', by: 'school', needsReason: true },
  approve: { from: ['confirmed'], to: 'approved', by: 'school', needsReason: false },
  return: { from: ['awaiting_confirmation', 'correction_requested', 'confirmed', 'approved'], to: 'returned', by: 'school', needsReason: true },
  // Editing what the person confirmed or the school approved undoes that: the record is entered again (a
  // pending correction request is superseded by the school's own change).
  edit: {
    from: ['draft', 'awaiting_confirmation', 'correction_requested', 'confirmed', 'approved', 'returned'],
    to: (from) => (from === 'returned' ? 'returned' : 'draft'),
    by: 'school',
    needsReason: false,
  },
};

/**
 * How a confirmed record was confirmed (确认方式): by the person on the phone page ('phone', which includes a
 * correction the person asked for and the school accepted) or by the school registering the slip the person
 * signed ('paper'). Kept while the record is confirmed or approved; null in every other state.
 */
export const confirmationKinds = ['phone', 'paper'] as const;
export type ConfirmedVia = (typeof confirmationKinds)[number];

export const confirmedViaLabels: Record<ConfirmedVia, { zh: string; en: string }> = {
  phone: { zh: '本人手机确认', en: 'Confirmed by the person (phone)' },
  paper: { zh: '学校登记纸质签字确认', en: 'Signed on paper, registered by the school' },
};

/** The kind of confirmation an event gives, or null for an event that confirms nothing. */
export function confirmationKindOf(event: string): ConfirmedVia | null {
  if (event === 'confirm' || event === 'accept_correction') return 'phone';
  if (event === 'confirm_on_paper') return 'paper';
  return null;
}

/**
 * A record's `confirmedVia` after `event` took it to `to`: set by the event that confirms it, kept by an
 * approval, cleared by every step to a state that is not confirmed or approved. `current` is the value before.
 */
export function confirmedViaAfter(event: RecordEvent, to: RecordState, current: ConfirmedVia | null): ConfirmedVia | null {
  if (to !== 'confirmed' && to !== 'approved') return null;
  return confirmationKindOf(event) ?? current;
}

export type TransitionResult =
  | { ok: true; from: RecordState; to: RecordState }
  | { ok: false; reason: 'wrong_state' | 'wrong_actor' | 'reason_required'; from: RecordState; allowedFrom: readonly RecordState[] };

/** Where `event` takes a record in state `from`, or why it cannot. */
export function transition(from: RecordState, event: RecordEvent, by: RecordActor, reason?: string | null): TransitionResult {
  const rule = rules[event];
  if (rule.by !== by) return { ok: false, reason: 'wrong_actor', from, allowedFrom: rule.from };
  if (!rule.from.includes(from)) return { ok: false, reason: 'wrong_state', from, allowedFrom: rule.from };
  if (rule.needsReason && !reason?.trim()) return { ok: false, reason: 'reason_required', from, allowedFrom: rule.from };
  return { ok: true, from, to: typeof rule.to === 'function' ? rule.to(from) : rule.to };
}

/** The events a record in `state` allows an actor (what buttons to show). */
export function availableEvents(state: RecordState, by: RecordActor): RecordEvent[] {
  return recordEvents.filter((event) => rules[event].by === by && rules[event].from.includes(state));
}

export function needsReason(event: RecordEvent): boolean {
  return rules[event].needsReason;
}
