import { Descriptions, Typography } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../app/i18n/I18nProvider';
import { PackageStatusTag } from './PackageStatusTag';
import type { Package } from './packages-api';

const when = (at: string | null) => (at ? dayjs(at).format('YYYY-MM-DD HH:mm') : '—');

/** A package's facts: version, counts, status, times, and the return reason when returned. */
export function PackageDetails({ pkg }: { pkg: Package }) {
  const { t } = useI18n();
  const items = [
    { key: 'unit', label: t('package.unit'), children: pkg.unitName },
    { key: 'receiver', label: t('package.receiver'), children: pkg.receiverName ?? t('package.ministry') },
    { key: 'version', label: t('package.version'), children: `v${pkg.versionNo}` },
    { key: 'status', label: t('package.status'), children: <PackageStatusTag status={pkg.status} /> },
    { key: 'records', label: t('package.records'), children: `${pkg.recordCount.toLocaleString()} / ${pkg.expectedCount.toLocaleString()}` },
    { key: 'submitted', label: t('package.submittedAt'), children: when(pkg.submittedAt) },
    { key: 'signed', label: t('package.signedAt'), children: when(pkg.signedAt) },
    { key: 'decided', label: t('package.decidedAt'), children: when(pkg.decidedAt) },
    ...(pkg.explanation ? [{ key: 'explanation', label: t('package.explanation'), children: pkg.explanation, span: 2 }] : []),
    ...(pkg.returnCategory
      ? [
          { key: 'category', label: t('package.returnCategory'), children: t(`package.category.${pkg.returnCategory}`) },
          {
            key: 'reason',
            label: t('package.returnReason'),
            children: <Typography.Text type="danger" data-testid="package-return-reason">{pkg.returnReason}</Typography.Text>,
          },
        ]
      : []),
    { key: 'hash', label: t('package.hash'), children: <span className="rc-code">{pkg.contentHash.slice(0, 16)}</span>, span: 2 },
  ];
  return <Descriptions column={{ xs: 1, md: 2 }} bordered size="small" items={items} />;
}
