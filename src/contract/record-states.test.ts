import { describe, expect, it } from 'vitest';
import { availableEvents, confirmedViaAfter, recordEvents, recordStates, transition } from './record-states.ts';

describe('the record state machine', () => {
  it('carries a record from entry through confirmation to approval', () => {
    expect(transition('draft', 'send_for_confirmation', 'school')).toEqual({ ok: true, from: 'draft', to: 'awaiting_confirmation' });
    expect(transition('awaiting_confirmation', 'confirm', 'staff_member')).toMatchObject({ ok: true, to: 'confirmed' });
    expect(transition('confirmed', 'approve', 'school')).toMatchObject({ ok: true, to: 'approved' });
  });

  it('takes a correction request to the school, which accepts (confirmed) or rejects with a reason', () => {
    expect(transition('awaiting_confirmation', 'request_correction', 'staff_member')).toMatchObject({ ok: true, to: 'correction_requested' });
    expect(transition('correction_requested', 'accept_correction', 'school')).toMatchObject({ ok: true, to: 'confirmed' });
    expect(transition('correction_requested', 'reject_correction', 'school')).toMatchObject({ ok: false, reason: 'reason_required' });
    expect(transition('correction_requested', 'reject_correction', 'school', '证件号与户口簿一致')).toMatchObject({ ok: true, to: 'awaiting_confirmation' });
  });

  it('lets the school record a confirmation signed on the printed slip, saying where the slip is kept', () => {
    expect(transition('awaiting_confirmation', 'confirm_on_paper', 'school')).toMatchObject({ ok: false, reason: 'reason_required' });
    expect(transition('awaiting_confirmation', 'confirm_on_paper', 'school', '确认单已签字，存人事档案')).toMatchObject({ ok: true, to: 'confirmed' });
    expect(transition('draft', 'confirm_on_paper', 'school', '已签字')).toMatchObject({ ok: false, reason: 'wrong_state', allowedFrom: ['awaiting_confirmation'] });
    expect(transition('awaiting_confirmation', 'confirm_on_paper', 'staff_member', '已签字')).toMatchObject({ ok: false, reason: 'wrong_actor' });
  });

  it('returns a record only with a reason, and a returned record is sent again', () => {
    expect(transition('approved', 'return', 'school', '  ')).toMatchObject({ ok: false, reason: 'reason_required' });
    expect(transition('approved', 'return', 'school', '学历填写有误')).toMatchObject({ ok: true, to: 'returned' });
    expect(transition('returned', 'send_for_confirmation', 'school')).toMatchObject({ ok: true, to: 'awaiting_confirmation' });
  });

  it('sends an edited confirmed or approved record back to entry, and keeps a returned one returned', () => {
    expect(transition('confirmed', 'edit', 'school')).toMatchObject({ ok: true, to: 'draft' });
    expect(transition('approved', 'edit', 'school')).toMatchObject({ ok: true, to: 'draft' });
    expect(transition('returned', 'edit', 'school')).toMatchObject({ ok: true, to: 'returned' });
    expect(transition('correction_requested', 'edit', 'school')).toMatchObject({ ok: true, to: 'draft' });
    expect(transition('draft', 'edit', 'staff_member')).toMatchObject({ ok: false, reason: 'wrong_actor' });
  });

  it('refuses the wrong actor and the wrong state, naming the states that would do', () => {
    expect(transition('awaiting_confirmation', 'confirm', 'school')).toMatchObject({ ok: false, reason: 'wrong_actor' });
    expect(transition('draft', 'approve', 'school')).toEqual({ ok: false, reason: 'wrong_state', from: 'draft', allowedFrom: ['confirmed'] });
  });

  it('offers each state only the events that can succeed', () => {
    for (const state of recordStates) {
      for (const by of ['school', 'staff_member'] as const) {
        for (const event of availableEvents(state, by)) {
          const result = transition(state, event, by, 'reason');
          expect(result.ok, `${state} ${event} ${by}`).toBe(true);
        }
      }
    }
    expect(availableEvents('awaiting_confirmation', 'staff_member').sort()).toEqual(['confirm', 'request_correction']);
  });

  it('keeps how a record was confirmed only while it is confirmed or approved', () => {
    expect(confirmedViaAfter('confirm', 'confirmed', null)).toBe('phone');
    expect(confirmedViaAfter('accept_correction', 'confirmed', null)).toBe('phone');
    expect(confirmedViaAfter('confirm_on_paper', 'confirmed', null)).toBe('paper');
    expect(confirmedViaAfter('approve', 'approved', 'paper')).toBe('paper');
    expect(confirmedViaAfter('approve', 'approved', 'phone')).toBe('phone');
    for (const from of recordStates) {
      for (const event of recordEvents) {
        for (const by of ['school', 'staff_member'] as const) {
          const step = transition(from, event, by, 'reason');
          if (!step.ok || step.to === 'confirmed' || step.to === 'approved') continue;
          expect(confirmedViaAfter(event, step.to, 'paper'), `${from} ${event}`).toBeNull();
        }
      }
    }
  });
});
