import { describe, expect, it } from 'vitest';
import { dueStatus } from './campaign-api';

describe('dueStatus', () => {
  // The server's day in China: the browser's own clock and zone play no part.
  const today = '2026-11-29';

  it('calls a task without a due date ongoing', () => {
    expect(dueStatus(null, today)).toEqual({ kind: 'ongoing' });
  });

  it('counts whole days past the due date as late', () => {
    expect(dueStatus('2026-11-22', today)).toEqual({ kind: 'late', days: 7 });
    expect(dueStatus('2026-11-28', today)).toEqual({ kind: 'late', days: 1 });
  });

  it('flags today, then up to 3 days ahead as due soon, and later as due', () => {
    expect(dueStatus('2026-11-29', today)).toEqual({ kind: 'today' });
    expect(dueStatus('2026-12-02', today)).toEqual({ kind: 'soon', days: 3 });
    expect(dueStatus('2026-12-03', today)).toEqual({ kind: 'due', days: 4 });
  });
});
