import type { ReactNode } from 'react';
import { Breadcrumb, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../shared/I18nProvider';
import { useLabels } from '../shared/useLabels';
import { useCurrentUser } from '../auth/SessionProvider';
import type { Unit } from './units-api';

export const kindColors: Record<Unit['kind'], string> = { province: 'red', prefecture: 'geekblue', county: 'cyan', school: 'gold' };

/** Breadcrumb from the unit's chain (links only inside the user's jurisdiction), its name, kind and code. */
export function UnitHeader({ unit, extra }: { unit: Unit; extra?: ReactNode }) {
  const { t } = useI18n();
  const labels = useLabels();
  const user = useCurrentUser();
  const scopeStart = Math.max(0, unit.chain.findIndex((link) => link.code === user.unit.code));
  const last = unit.chain.length - 1;
  const items = unit.chain.map((link, index) => ({
    key: link.code,
    title:
      index === last ? (
        link.name
      ) : index < scopeStart ? (
        <span title={t('unit.outOfScope')}>{link.name}</span>
      ) : (
        <Link to={`/units/${link.code}`}>{link.name}</Link>
      ),
  }));

  return (
    <div className="rc-page-header">
      <Breadcrumb items={items} data-testid="unit-breadcrumb" />
      <div className="rc-page-title-row">
        <Space size="middle" align="center" wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>{unit.name}</Typography.Title>
          <Tag color={kindColors[unit.kind]}>{labels.kind(unit.kind)}</Tag>
          {unit.schoolType && <Tag>{labels.schoolType(unit.schoolType)}</Tag>}
          <Typography.Text type="secondary" className="rc-code">{unit.code}</Typography.Text>
        </Space>
        {extra && <Space wrap>{extra}</Space>}
      </div>
    </div>
  );
}
