import { apiRequest } from '../shared/api-client';
import type { ProgressTrend, UnitProgress } from '../../contract/progress.schema';

export type { Figures, FunnelStage, ProgressChild, ProgressTrend, SchoolFigures, StaffFigures, TrendPoint, UnitProgress } from '../../contract/progress.schema';

export const progressKeys = {
  unit: (code: string) => ['progress', code] as const,
  trend: (code: string) => ['progress', code, 'trend'] as const,
};

const unitPath = (code: string) => `/api/units/${encodeURIComponent(code)}/progress`;

export const getProgress = (code: string, signal?: AbortSignal) => apiRequest<UnitProgress>(unitPath(code), { signal });
export const getTrend = (code: string, signal?: AbortSignal) => apiRequest<ProgressTrend>(`${unitPath(code)}/trend`, { signal });
