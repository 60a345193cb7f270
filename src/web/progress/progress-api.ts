import { apiRequest, type Messages } from '../shared/api-client';
import type { UnitKind } from '../auth/auth-api';

/** Schools (open ones): in the subtree / with a live record / latest package submitted or approved / approved. */
export type SchoolFigures = { expected: number; started: number; submitted: number; approved: number };
/**
 * Staff: expected (sum of schools' 应有人数) / live records / shortfall (missing, school by school) /
 * confirmed or approved, of which by phone and on paper / approved.
 */
export type StaffFigures = { expected: number; entered: number; shortfall: number; confirmed: number; confirmedPhone: number; confirmedPaper: number; approved: number };

export type Figures = {
  progress: { schools: SchoolFigures; staff: StaffFigures };
  percentages: {
    schools: { started: number | null; submitted: number | null; approved: number | null };
    staff: { entered: number | null; shortfall: number | null; confirmed: number | null; confirmedPhone: number | null; confirmedPaper: number | null; approved: number | null };
  };
  /** Approved staff / expected staff (0–1), null when the unit expects nothing. */
  completion: number | null;
};

export type ProgressChild = Figures & { code: string; name: string; kind: UnitKind; schoolType: string | null };

/** GET /api/units/{code}/progress */
export type UnitProgress = {
  unit: { code: string; name: string; kind: UnitKind; schoolType: string | null; closedOn: string | null };
  chain: { code: string; name: string; kind: UnitKind; reachable: boolean }[];
  totals: Figures;
  /** The confirmed stage also in its two kinds (phone, paper). */
  funnel: { stage: string; label: Messages; value: number; percent: number | null; parts?: { kind: 'phone' | 'paper'; label: Messages; value: number; percent: number | null }[] }[];
  /** Lagging first. */
  children: ProgressChild[];
  asOf: string;
};

export type TrendPoint = { day: string; entered: number; confirmed: number; approved: number };
/** GET /api/units/{code}/progress/trend */
export type ProgressTrend = { expectedStaff: number; startsOn: string; endsOn: string; days: TrendPoint[] };

export const progressKeys = {
  unit: (code: string) => ['progress', code] as const,
  trend: (code: string) => ['progress', code, 'trend'] as const,
};

const unitPath = (code: string) => `/api/units/${encodeURIComponent(code)}/progress`;

export const getProgress = (code: string, signal?: AbortSignal) => apiRequest<UnitProgress>(unitPath(code), { signal });
export const getTrend = (code: string, signal?: AbortSignal) => apiRequest<ProgressTrend>(`${unitPath(code)}/trend`, { signal });
