import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

export type ListParams = {
  q: string;
  page: number;
  pageSize: number;
  /** Any other filter kept in the address (kind, type, role, unit, …). */
  filters: Record<string, string>;
};

const allowedPageSizes = [20, 50, 100, 200];

/**
 * Paging, search and filters of a server-paged list, kept in the address so that Back and a shared link
 * return to the same page. Changing a filter or the search goes back to page 1.
 */
export function useListParams(filterNames: readonly string[], defaultPageSize = 20) {
  const [searchParams, setSearchParams] = useSearchParams();
  const namesKey = filterNames.join(',');

  const params = useMemo<ListParams>(() => {
    const page = Number(searchParams.get('page'));
    const pageSize = Number(searchParams.get('size'));
    const filters: Record<string, string> = {};
    for (const name of namesKey ? namesKey.split(',') : []) {
      const value = searchParams.get(name);
      if (value) filters[name] = value;
    }
    return {
      q: searchParams.get('q') ?? '',
      page: Number.isInteger(page) && page >= 1 ? page : 1,
      pageSize: allowedPageSizes.includes(pageSize) ? pageSize : defaultPageSize,
      filters,
    };
  }, [searchParams, namesKey, defaultPageSize]);

  const update = useCallback(
    (changes: Record<string, string | number | undefined | null>, resetPage = true) => {
      setSearchParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          for (const [name, value] of Object.entries(changes)) {
            if (value === undefined || value === null || value === '') next.delete(name);
            else next.set(name, String(value));
          }
          if (resetPage && !('page' in changes)) next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setSearchParams],
  );

  const setSearch = useCallback((q: string) => update({ q: q.trim() }), [update]);
  const setFilter = useCallback((name: string, value: string | undefined) => update({ [name]: value }), [update]);
  const setPage = useCallback(
    (page: number, pageSize: number) => update({ page: page > 1 ? page : undefined, size: pageSize === defaultPageSize ? undefined : pageSize }, false),
    [update, defaultPageSize],
  );
  const reset = useCallback(
    () => update(Object.fromEntries(['q', 'page', 'size', ...filterNames].map((name) => [name, undefined]))),
    [update, filterNames],
  );

  return { params, setSearch, setFilter, setPage, reset, pageSizeOptions: allowedPageSizes };
}
