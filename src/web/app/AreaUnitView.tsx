import { useState } from 'react';
import { Button, Card, Tabs } from 'antd';
import { PlusOutlined, SendOutlined, TeamOutlined, UploadOutlined, WarningOutlined } from '@ant-design/icons';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useI18n } from '../shared/I18nProvider';
import { ExportStaffButton } from '../staff/ExportStaffButton';
import { InitialCredentialsButton } from '../accounts/InitialCredentialsButton';
import { ChildUnitsTable } from '../org/ChildUnitsTable';
import { CreateSchoolModal } from '../org/CreateSchoolModal';
import { ImportSchoolsModal } from '../org/ImportSchoolsModal';
import { SchoolsTable } from '../org/SchoolsTable';
import { UnitHeader } from '../org/UnitHeader';
import { UnitSummary } from '../org/UnitSummary';
import type { Unit } from '../org/units-api';

type TabKey = 'children' | 'schools';

/**
 * The page of a province, prefecture or county: counts, its direct children and every school below it.
 * A county's children are its schools, so a county shows the one school list.
 */
export function AreaUnitView({ unit }: { unit: Unit }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const [dialog, setDialog] = useState<'create' | 'import' | null>(null);
  const tabs: TabKey[] = unit.kind === 'county' ? ['schools'] : ['children', 'schools'];
  const requested = searchParams.get('tab');
  const active: TabKey = tabs.find((tab) => tab === requested) ?? tabs[0];

  const actions = [
    <ExportStaffButton key="export" unit={unit} />,
    <Button key="submission" icon={<SendOutlined />} onClick={() => navigate(`/units/${unit.code}/submission`)} data-testid="submission-link">
      {t('submission.link')}
    </Button>,
    <Button key="conflicts" icon={<WarningOutlined />} onClick={() => navigate(`/units/${unit.code}/conflicts`)}>
      {t('conflicts.link')}
    </Button>,
    unit.abilities.manageAccounts && (
      <Button key="accounts" icon={<TeamOutlined />} onClick={() => navigate(`/accounts?unit=${unit.code}`)}>
        {t('unit.accountsLink')}
      </Button>
    ),
    unit.abilities.manageAccounts && <InitialCredentialsButton key="credentials" unitCode={unit.code} />,
    unit.abilities.createSchool && (
      <Button key="import" icon={<UploadOutlined />} onClick={() => setDialog('import')}>
        {t('import.button')}
      </Button>
    ),
    unit.abilities.createSchool && (
      <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => setDialog('create')}>
        {t('school.create')}
      </Button>
    ),
  ].filter(Boolean);

  return (
    <div className="rc-page">
      <UnitHeader unit={unit} extra={actions.length > 0 ? actions : undefined} />
      <UnitSummary unit={unit} />
      <Card className="rc-section">
        <Tabs
          activeKey={active}
          onChange={(key) => setSearchParams(key === tabs[0] ? {} : { tab: key }, { replace: true })}
          destroyOnHidden
          items={tabs.map((key) => ({
            key,
            label: t(key === 'children' ? 'unit.tab.children' : 'unit.tab.schools'),
            children: key === 'children' ? <ChildUnitsTable unit={unit} /> : <SchoolsTable unitCode={unit.code} />,
          }))}
        />
      </Card>
      {dialog === 'create' && <CreateSchoolModal pageUnit={unit} onClose={() => setDialog(null)} />}
      {dialog === 'import' && <ImportSchoolsModal onClose={() => setDialog(null)} />}
    </div>
  );
}
