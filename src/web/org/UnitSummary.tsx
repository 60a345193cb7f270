import { Card, Col, Row, Statistic } from 'antd';
import { ApartmentOutlined, BankOutlined, EnvironmentOutlined, TeamOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useI18n } from '../shared/I18nProvider';
import type { MessageKey } from '../shared/i18n/dictionary';
import type { Unit } from './units-api';

type CountCard = { key: keyof Unit['counts']; label: MessageKey; suffix: MessageKey; icon: ReactNode; color: string };

const cards: CountCard[] = [
  { key: 'prefectures', label: 'unit.counts.prefectures', suffix: 'unit.counts.unitPrefectures', icon: <ApartmentOutlined />, color: '#1668dc' },
  { key: 'counties', label: 'unit.counts.counties', suffix: 'unit.counts.unitCounties', icon: <EnvironmentOutlined />, color: '#13a8a8' },
  { key: 'schools', label: 'unit.counts.schools', suffix: 'unit.counts.unitSchools', icon: <BankOutlined />, color: '#d48806' },
  { key: 'expectedStaff', label: 'unit.counts.expectedStaff', suffix: 'unit.counts.unitStaff', icon: <TeamOutlined />, color: '#7cb305' },
];

/** Which counts mean something for a unit of this kind (a county has no counties below it). */
const shownFor: Record<Unit['kind'], CountCard['key'][]> = {
  province: ['prefectures', 'counties', 'schools', 'expectedStaff'],
  prefecture: ['counties', 'schools', 'expectedStaff'],
  county: ['schools', 'expectedStaff'],
  school: [],
};

/** The summary cards of a province, prefecture or county: its subtree's counts. */
export function UnitSummary({ unit }: { unit: Pick<Unit, 'kind' | 'counts'> }) {
  const { t } = useI18n();
  const shown = cards.filter((card) => shownFor[unit.kind].includes(card.key));
  return (
    <Row gutter={[16, 16]}>
      {shown.map((card) => (
        <Col key={card.key} xs={24} sm={12} xl={24 / shown.length}>
          <Card size="small" className="rc-stat-card" data-testid={`count-${card.key}`}>
            <div className="rc-stat-icon" style={{ color: card.color, background: `${card.color}14` }}>
              {card.icon}
            </div>
            <Statistic title={t(card.label)} value={unit.counts[card.key]} suffix={t(card.suffix) || undefined} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}
