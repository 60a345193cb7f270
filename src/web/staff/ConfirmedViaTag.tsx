import { Tag } from 'antd';
import { confirmationKinds, confirmedViaLabels, type ConfirmedVia } from '../../contract/record-states';
import { useI18n } from '../shared/I18nProvider';

const colors: Record<ConfirmedVia, string> = { phone: 'blue', paper: 'purple' };

/** How a confirmed record was confirmed: 本人手机确认 or 学校登记纸质签字确认 (nothing for other records). */
export function ConfirmedViaTag({ via }: { via: ConfirmedVia | null }) {
  const { lang } = useI18n();
  if (!via) return null;
  return <Tag color={colors[via]} data-testid="confirmed-via" data-via={via}>{confirmedViaLabels[via][lang]}</Tag>;
}

/** The two kinds as filter options. */
export function useConfirmedViaOptions() {
  const { lang } = useI18n();
  return confirmationKinds.map((kind) => ({ value: kind, label: confirmedViaLabels[kind][lang] }));
}
