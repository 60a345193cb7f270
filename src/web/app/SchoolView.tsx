import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Tabs, Tag } from 'antd';
import { EditOutlined, SendOutlined, StopOutlined, TeamOutlined, WarningOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useI18n } from '../shared/I18nProvider';
import { useLabels } from '../shared/useLabels';
import { useCurrentUser } from '../auth/SessionProvider';
import { ImportHistoryTable } from '../imports/ImportHistoryTable';
import { StaffTable } from '../staff/StaffTable';
import { EditSchoolModal } from '../org/EditSchoolModal';
import { CloseSchoolModal } from './CloseSchoolModal';
import { UnitHeader } from '../org/UnitHeader';
import { isInScope, type Unit } from '../org/units-api';

type TabKey = 'staff' | 'imports';
const tabs: TabKey[] = ['staff', 'imports'];

/** The page of a school: its details (and their edit form), its staff records and its imports. */
export function SchoolView({ school }: { school: Unit }) {
  const { t } = useI18n();
  const labels = useLabels();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const [editing, setEditing] = useState(false);
  const [closing, setClosing] = useState(false);
  const user = useCurrentUser();
  const reportingLink = isInScope(school.chain, user.unit.code, school.reportingUnitCode);
  const requested = searchParams.get('tab');
  const active: TabKey = tabs.find((tab) => tab === requested) ?? 'staff';
  const schoolType = (school.schoolType ?? 'k12');

  const actions = [
    <Button key="submission" icon={<SendOutlined />} onClick={() => navigate(`/units/${school.code}/submission`)} data-testid="submission-link">
      {t('submission.link')}
    </Button>,
    <Button key="conflicts" icon={<WarningOutlined />} onClick={() => navigate(`/units/${school.code}/conflicts`)}>
      {t('conflicts.link')}
    </Button>,
    school.abilities.manageAccounts && (
      <Button key="accounts" icon={<TeamOutlined />} onClick={() => navigate(`/accounts?unit=${school.code}`)}>
        {t('unit.accountsLink')}
      </Button>
    ),
    school.abilities.closeSchool && (
      <Button key="close" danger icon={<StopOutlined />} onClick={() => setClosing(true)} data-testid="close-school">
        {t('school.closeAction')}
      </Button>
    ),
    school.abilities.updateSchool && (
      <Button key="edit" type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)}>
        {t('common.edit')}
      </Button>
    ),
  ].filter(Boolean);

  return (
    <div className="rc-page">
      <UnitHeader unit={school} extra={actions.length > 0 ? actions : undefined} />
      {school.closed && (
        <Alert
          type="warning"
          showIcon
          className="rc-section"
          data-testid="school-closed"
          title={
            school.closed.mergedInto
              ? t('school.mergedBanner', { on: school.closed.on, into: school.closed.mergedInto, reason: school.closed.reason ?? '' })
              : t('school.closedBanner', { on: school.closed.on, reason: school.closed.reason ?? '' })
          }
        />
      )}
      <Card title={t('school.details')} className="rc-section" data-testid="school-details">
        <Descriptions
          column={{ xs: 1, md: 2 }}
          bordered
          size="middle"
          items={[
            { key: 'code', label: t('school.code'), children: <span className="rc-code">{school.code}</span> },
            { key: 'name', label: t('school.name'), children: school.name },
            { key: 'type', label: t('school.schoolType'), children: <Tag>{labels.schoolType(school.schoolType)}</Tag> },
            { key: 'county', label: t('school.county'), children: school.countyName ? `${school.countyName}（${school.countyCode}）` : t('common.none') },
            {
              key: 'reporting',
              label: t('school.reportingUnit'),
              children:
                school.reportingUnitName && reportingLink ? (
                  <Link to={`/units/${school.reportingUnitCode}`}>{school.reportingUnitName}</Link>
                ) : (
                  (school.reportingUnitName ?? t('common.none'))
                ),
            },
            { key: 'staff', label: t('school.expectedStaff'), children: school.expectedStaff?.toLocaleString() ?? t('common.none') },
          ]}
        />
      </Card>
      <Card className="rc-section">
        <Tabs
          activeKey={active}
          onChange={(key) => setSearchParams(key === 'staff' ? {} : { tab: key }, { replace: true })}
          destroyOnHidden
          items={[
            { key: 'staff', label: t('staff.tab'), children: <StaffTable school={{ code: school.code, name: school.name, schoolType, abilities: school.abilities }} /> },
            { key: 'imports', label: t('staffImport.history'), children: <ImportHistoryTable schoolCode={school.code} writes={school.abilities.writeStaff} /> },
          ]}
        />
      </Card>
      {editing && <EditSchoolModal school={school} onClose={() => setEditing(false)} />}
      {closing && <CloseSchoolModal school={school} onClose={() => setClosing(false)} />}
    </div>
  );
}
