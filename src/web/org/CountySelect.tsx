import { useQueries, useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useI18n } from '../shared/I18nProvider';
import type { UnitRef } from '../auth/auth-api';
import { useCurrentUser } from '../auth/SessionProvider';
import { childrenQuery } from './unit-queries';

type Option = { value: string; label: string };
type Group = { label: string; title: string; options: Option[] };

const countyLabel = (unit: { code: string; name: string }) => `${unit.name}（${unit.code}）`;
const allOfKind = (kind: 'prefecture' | 'county') => ({ kind, pageSize: 500 });

/**
 * The counties the user may place a school in: a county admin's own county, a prefecture admin's
 * counties, or every county of the province grouped by prefecture (one request per prefecture).
 */
function useVisibleCounties(unit: UnitRef): { options: (Option | Group)[]; loading: boolean } {
  const prefectures = useQuery({ ...childrenQuery(unit.code, allOfKind('prefecture')), enabled: unit.kind === 'province' });
  const ownCounties = useQuery({ ...childrenQuery(unit.code, allOfKind('county')), enabled: unit.kind === 'prefecture' });
  const prefectureItems = unit.kind === 'province' ? (prefectures.data?.items ?? []) : [];
  const perPrefecture = useQueries({
    queries: prefectureItems.map((prefecture) => childrenQuery(prefecture.code, allOfKind('county'))),
  });

  switch (unit.kind) {
    case 'county':
      return { options: [{ value: unit.code, label: countyLabel(unit) }], loading: false };
    case 'prefecture':
      return { options: (ownCounties.data?.items ?? []).map((county) => ({ value: county.code, label: countyLabel(county) })), loading: ownCounties.isPending };
    case 'province':
      return {
        options: prefectureItems.map((prefecture, index) => ({
          label: prefecture.name,
          title: prefecture.name,
          options: (perPrefecture[index]?.data?.items ?? []).map((county) => ({ value: county.code, label: countyLabel(county) })),
        })),
        loading: prefectures.isPending || perPrefecture.some((result) => result.isPending),
      };
    default:
      return { options: [], loading: false };
  }
}

/** 所在县市区: a searchable select of the counties within the user's jurisdiction. */
export function CountySelect({ value, onChange, id }: { value?: string; onChange?: (value: string) => void; id?: string }) {
  const { t } = useI18n();
  const user = useCurrentUser();
  const { options, loading } = useVisibleCounties(user.unit);
  return (
    <Select<string, Option | Group>
      id={id}
      value={value}
      onChange={(next) => onChange?.(next)}
      options={options}
      loading={loading}
      placeholder={t('school.countyPlaceholder')}
      showSearch={{ optionFilterProp: 'label' }}
      data-testid="county-select"
    />
  );
}
