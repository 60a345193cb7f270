import { Descriptions, Typography } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../shared/I18nProvider';
import { PackageStatusTag } from './PackageStatusTag';
import type { Package } from './packages-api';

const when = (at: string | null) => (at ? dayjs(at).format('YYYY-MM-DD HH:mm') : '—');

/**
 * A package's facts: version, counts, status (and why it needs review again), how its records were confirmed,
 * its shortfall and whether it was accepted, times, and the return reason when returned.
 */
export function PackageDetails({ pkg }: { pkg: Package }) {
  const { t } = useI18n();
  const items = [
    { key: 'unit', label: t('package.unit'), children: pkg.unitName },
    { key: 'receiver', label: t('package.receiver'), children: pkg.receiverName ?? t('package.ministry') },
    { key: 'version', label: t('package.version'), children: `v${pkg.versionNo}` },
    { key: 'status', label: t('package.status'), children: <PackageStatusTag status={pkg.status} stale={pkg.stale !== null} /> },
    { key: 'records', label: t('package.records'), children: `${pkg.recordCount.toLocaleString()} / ${pkg.expectedCount.toLocaleString()}` },
    ...(pkg.stale && pkg.status !== 'returned'
      ? [
          { key: 'staleCause', label: t('package.staleCause'), children: <Typography.Text type="warning" data-testid="package-stale-cause">{pkg.stale.cause}</Typography.Text>, span: 2 },
          { key: 'staleAt', label: t('package.staleAt'), children: when(pkg.stale.at), span: 2 },
        ]
      : []),
    {
      key: 'confirmations',
      label: t('package.confirmations'),
      children: <span data-testid="package-confirmations">{t('package.confirmationsValue', { phone: pkg.confirmations.phone.toLocaleString(), paper: pkg.confirmations.paper.toLocaleString() })}</span>,
      span: 2,
    },
    ...(pkg.shortfall
      ? [
          {
            key: 'shortfall',
            label: t('package.shortfall'),
            children: (
              <span data-testid="package-shortfall">
                {t('package.shortfallValue', { count: pkg.shortfall.count.toLocaleString() })} ·{' '}
                <Typography.Text type={pkg.shortfall.accepted ? 'success' : 'warning'}>{t(pkg.shortfall.accepted ? 'package.shortfallAccepted' : 'package.shortfallPending')}</Typography.Text>
                {pkg.shortfall.note && `（${pkg.shortfall.note}）`}
              </span>
            ),
            span: 2,
          },
        ]
      : []),
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
