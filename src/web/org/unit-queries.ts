import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { getUnit, listChildren, listSchools, unitKeys, type UnitListQuery } from './units-api';

/** GET /api/units/{code}, shared by the page and the layout (which reveals the unit in the tree). */
export const unitQuery = (code: string) =>
  queryOptions({ queryKey: unitKeys.unit(code), queryFn: ({ signal }) => getUnit(code, signal) });

export const childrenQuery = (code: string, query: UnitListQuery) =>
  queryOptions({
    queryKey: unitKeys.children(code, query),
    queryFn: ({ signal }) => listChildren(code, query, signal),
    placeholderData: keepPreviousData,
  });

export const schoolsQuery = (code: string, query: UnitListQuery) =>
  queryOptions({
    queryKey: unitKeys.schools(code, query),
    queryFn: ({ signal }) => listSchools(code, query, signal),
    placeholderData: keepPreviousData,
  });
