import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { App, Breadcrumb, Button, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, EyeOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { errorText, isApiError } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { NotFoundPage } from '../shared/NotFoundPage';
import { useCurrentUser } from '../auth/SessionProvider';
import { unitQuery } from '../org/unit-queries';
import type { Unit } from '../org/units-api';
import { DeleteStaffModal } from './DeleteStaffModal';
import { revealIdNumber, staffQuery, type StaffRecord } from './staff-api';
import { StaffDetails } from './StaffDetails';
import { StaffEditor } from './StaffEditor';
import { StaffStatusTag } from './StaffStatusTag';
import { ConfirmedViaTag } from './ConfirmedViaTag';
import { CorrectionPanel } from './CorrectionPanel';
import { RecordHistory } from './RecordHistory';
import { WorkflowCard } from './WorkflowCard';

/** Breadcrumb through the school's chain (links inside the user's jurisdiction) to the record. */
function RecordBreadcrumb({ school, name }: { school: Unit; name: string }) {
  const user = useCurrentUser();
  const scopeStart = Math.max(0, school.chain.findIndex((link) => link.code === user.unit.code));
  const items = school.chain.map((link, index) => ({
    key: link.code,
    title: index < scopeStart ? link.name : <Link to={`/units/${link.code}${link.code === school.code ? '?tab=staff' : ''}`}>{link.name}</Link>,
  }));
  return <Breadcrumb items={[...items, { key: 'record', title: name }]} data-testid="staff-breadcrumb" />;
}

function RecordView({ record, school }: { record: StaffRecord; school: Unit }) {
  const { t, lang } = useI18n();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const [mode, setMode] = useState<'view' | 'edit' | 'delete'>('view');
  const reveal = useMutation({ mutationFn: () => revealIdNumber(record.id), onError: (error) => void message.error(errorText(error, lang)) });
  const schoolType = record.schoolType;
  const name = record.values.name ?? String(record.id);

  const askReveal = () =>
    modal.confirm({
      title: t('staff.revealTitle'),
      content: t('staff.revealConfirm'),
      okText: t('staff.revealOk'),
      cancelText: t('common.cancel'),
      onOk: () => reveal.mutateAsync(),
    });

  const actions = [
    record.abilities.reveal && !reveal.data && (
      <Button key="reveal" icon={<EyeOutlined />} onClick={askReveal}>{t('staff.reveal')}</Button>
    ),
    record.abilities.delete && mode === 'view' && (
      <Button key="delete" danger icon={<DeleteOutlined />} onClick={() => setMode('delete')}>{t('staff.delete')}</Button>
    ),
    record.abilities.update && mode !== 'edit' && (
      <Button key="edit" type="primary" icon={<EditOutlined />} onClick={() => setMode('edit')} data-testid="staff-edit">{t('staff.edit')}</Button>
    ),
  ].filter(Boolean);

  return (
    <div className="rc-page">
      <div className="rc-page-header">
        <RecordBreadcrumb school={school} name={name} />
        <div className="rc-page-title-row">
          <Space size="middle" align="center" wrap>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="staff-name">{name}</Typography.Title>
            <StaffStatusTag status={record.status} />
            <ConfirmedViaTag via={record.confirmedVia} />
            {record.findings.length > 0 && <Tag color="warning">{t('staff.col.warnings')} {record.findings.length}</Tag>}
            <Typography.Text type="secondary">{record.schoolName}</Typography.Text>
          </Space>
          {actions.length > 0 && <Space wrap>{actions}</Space>}
        </div>
      </div>
      {reveal.data && <Typography.Text type="warning">{t('staff.revealed')}</Typography.Text>}
      <WorkflowCard record={record} />
      {record.status === 'correction_requested' && <CorrectionPanel record={record} schoolType={schoolType} />}
      {mode === 'edit' ? (
        <StaffEditor record={record} schoolType={schoolType} onDone={() => setMode('view')} />
      ) : (
        <StaffDetails record={record} schoolType={schoolType} revealed={reveal.data} />
      )}
      <RecordHistory staffId={record.id} schoolType={schoolType} schoolCode={record.schoolCode} />
      {mode === 'delete' && (
        <DeleteStaffModal record={record} onClose={() => setMode('view')} onDeleted={() => navigate(`/units/${record.schoolCode}?tab=staff`, { replace: true })} />
      )}
    </div>
  );
}

function RecordLoader({ id }: { id: number }) {
  const { t, lang } = useI18n();
  const record = useQuery(staffQuery(id));
  const school = useQuery({ ...unitQuery(record.data?.schoolCode ?? ''), enabled: Boolean(record.data) });
  const error = record.error ?? school.error;
  if (error) {
    if (isApiError(error, 404)) return <NotFoundPage title={t('staff.notFound')} subTitle={t('staff.notFoundHint', { id })} />;
    return (
      <Result
        status="error"
        title={t('error.loadFailed')}
        subTitle={errorText(error, lang)}
        extra={<Button onClick={() => void record.refetch()}>{t('common.retry')}</Button>}
      />
    );
  }
  if (!record.data || !school.data) {
    return (
      <div className="rc-page">
        <Skeleton active paragraph={{ rows: 12 }} />
      </div>
    );
  }
  return <RecordView record={record.data} school={school.data} />;
}

/** /staff/:id — one staff record: in plain words, its warnings, and the edit form for the school. */
export function StaffRecordPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const number = Number(id);
  if (!Number.isSafeInteger(number) || number <= 0) return <NotFoundPage title={t('staff.notFound')} subTitle={t('staff.notFoundHint', { id })} />;
  return <RecordLoader key={number} id={number} />;
}
