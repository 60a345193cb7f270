import { describe, expect, it } from 'vitest';
import { availablePackageEvents, packageEvents, packageStatuses, packageStatusesFor, packageTransition, refusedWhileStale, standsSigned, type PackageStatus } from './package-states.ts';

const at = new Date('2013-10-01T00:00:00Z');
const pkg = (status: PackageStatus, stale = false) => ({ status, staleAt: stale ? at : null });

describe('the package state machine', () => {
  it('submits a first version, and the receiver approves or returns it', () => {
    expect(packageTransition(undefined, 'submit', 'unit')).toEqual({ ok: true, from: null, to: 'submitted' });
    expect(packageTransition(pkg('submitted'), 'approve', 'receiver')).toEqual({ ok: true, from: 'submitted', to: 'approved' });
    expect(packageTransition(pkg('submitted'), 'return', 'receiver')).toEqual({ ok: true, from: 'submitted', to: 'returned' });
  });

  it('approves the province\'s own package as it is submitted (终审)', () => {
    expect(packageTransition(undefined, 'submit_final', 'unit')).toMatchObject({ ok: true, to: 'approved' });
    expect(packageTransition(pkg('approved'), 'submit_final', 'unit')).toMatchObject({ ok: false, reason: 'wrong_state' });
  });

  it('lets a level above reopen an approved package, which is returned', () => {
    expect(packageTransition(pkg('approved'), 'reopen', 'above')).toEqual({ ok: true, from: 'approved', to: 'returned' });
    expect(packageTransition(pkg('submitted'), 'reopen', 'above')).toEqual({ ok: false, reason: 'wrong_state', from: 'submitted', allowedFrom: ['approved'] });
    expect(packageTransition(pkg('approved'), 'reopen', 'receiver')).toMatchObject({ ok: false, reason: 'wrong_actor' });
  });

  it('refuses a new version while one is under review or approved, and allows it once returned', () => {
    expect(packageTransition(pkg('submitted'), 'submit', 'unit')).toMatchObject({ ok: false, reason: 'wrong_state' });
    expect(packageTransition(pkg('approved'), 'submit', 'unit')).toMatchObject({ ok: false, reason: 'wrong_state' });
    expect(packageTransition(pkg('returned'), 'submit', 'unit')).toEqual({ ok: true, from: 'returned', to: 'submitted' });
  });

  it('marks a submitted or approved package stale once; a stale package is returned, not approved, and opens a new version', () => {
    expect(packageTransition(pkg('submitted'), 'mark_stale', 'change_below')).toEqual({ ok: true, from: 'submitted', to: 'submitted' });
    expect(packageTransition(pkg('approved'), 'mark_stale', 'change_below')).toEqual({ ok: true, from: 'approved', to: 'approved' });
    expect(packageTransition(pkg('approved', true), 'mark_stale', 'change_below')).toMatchObject({ ok: false, reason: 'stale' });
    expect(packageTransition(pkg('returned'), 'mark_stale', 'change_below')).toMatchObject({ ok: false, reason: 'wrong_state' });
    expect(packageTransition(pkg('submitted', true), 'approve', 'receiver')).toMatchObject({ ok: false, reason: 'stale' });
    expect(packageTransition(pkg('submitted', true), 'return', 'receiver')).toMatchObject({ ok: true, to: 'returned' });
    expect(packageTransition(pkg('approved', true), 'reopen', 'above')).toMatchObject({ ok: true, to: 'returned' });
    expect(packageTransition(pkg('approved', true), 'submit', 'unit')).toMatchObject({ ok: true, from: 'approved', to: 'submitted' });
    expect(packageTransition(pkg('submitted', true), 'submit', 'unit')).toMatchObject({ ok: true, to: 'submitted' });
  });

  it('counts a package as signed only while it is submitted or approved and not stale', () => {
    expect(standsSigned(undefined)).toBe(false);
    expect(standsSigned(pkg('submitted'))).toBe(true);
    expect(standsSigned(pkg('approved'))).toBe(true);
    expect(standsSigned(pkg('approved', true))).toBe(false);
    expect(standsSigned(pkg('returned'))).toBe(false);
    expect(standsSigned(pkg('returned', true))).toBe(false);
  });

  it('names the statuses each update may move a package from', () => {
    expect(packageStatusesFor('approve')).toEqual(['submitted']);
    expect(packageStatusesFor('return')).toEqual(['submitted']);
    expect(packageStatusesFor('reopen')).toEqual(['approved']);
    expect(packageStatusesFor('mark_stale')).toEqual(['submitted', 'approved']);
    expect(refusedWhileStale('approve')).toBe(true);
    expect(refusedWhileStale('return')).toBe(false);
  });

  it('offers each package only the events that can succeed', () => {
    for (const status of [undefined, ...packageStatuses]) {
      for (const stale of [false, true]) {
        const standing = status === undefined ? undefined : pkg(status, stale);
        for (const by of ['unit', 'receiver', 'above', 'change_below'] as const) {
          for (const event of availablePackageEvents(standing, by)) expect(packageTransition(standing, event, by).ok, `${status} ${stale} ${event}`).toBe(true);
        }
      }
    }
    expect(availablePackageEvents(pkg('submitted'), 'receiver')).toEqual(['approve', 'return']);
    expect(availablePackageEvents(pkg('submitted', true), 'receiver')).toEqual(['return']);
    expect(packageEvents).toHaveLength(6);
  });
});
