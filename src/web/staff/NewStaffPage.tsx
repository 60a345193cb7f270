import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Result, Skeleton, Space } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import type { SchoolType } from '../../standard/index.ts';
import { errorText, isApiError } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { NotFoundPage } from '../shared/NotFoundPage';
import { unitQuery } from '../org/unit-queries';
import { UnitHeader } from '../org/UnitHeader';
import type { Unit } from '../org/units-api';
import { createStaff, findingsOf, staffKeys } from './staff-api';
import { StaffFormFields } from './StaffFormFields';
import { useStaffForm } from './useStaffForm';

function NewStaffForm({ school, schoolType }: { school: Unit; schoolType: SchoolType }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useStaffForm(schoolType, {}, false);
  const mutation = useMutation({
    mutationFn: () => createStaff(school.code, form.state.values),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: staffKeys.all });
      queryClient.setQueryData(staffKeys.one(created.id), created);
      void message.success(t('staff.created', { name: created.values.name ?? '' }));
      navigate(`/staff/${created.id}`, { replace: true });
    },
    onError: (error) => {
      const findings = findingsOf(error);
      if (findings) {
        form.setServerFindings(findings);
        form.showAll();
      }
    },
  });
  const refused = findingsOf(mutation.error);

  const save = () => {
    if (form.errorCount > 0) {
      form.showAll();
      void message.error(t('staff.fixErrors', { count: form.errorCount }));
      return;
    }
    mutation.mutate();
  };

  return (
    <Card
      title={t('staff.newTitle')}
      className="rc-section"
      extra={
        <Space>
          <Button onClick={() => navigate(`/units/${school.code}?tab=staff`)}>{t('common.cancel')}</Button>
          <Button type="primary" icon={<SaveOutlined />} loading={mutation.isPending} onClick={save} data-testid="staff-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Alert type="info" showIcon title={t('staff.formHint')} />
        {refused && <Alert type="error" showIcon title={t('staff.refused', { count: refused.filter((finding) => finding.severity === 'error').length })} />}
        {mutation.error && !refused && <Alert type="error" showIcon title={errorText(mutation.error, lang)} />}
        <StaffFormFields form={form} />
      </Space>
    </Card>
  );
}

/** /units/:code/staff/new — 新增教职工 at a school, with the form generated from the standard. */
export function NewStaffPage() {
  const { t, lang } = useI18n();
  const { code = '' } = useParams();
  const school = useQuery(unitQuery(code));
  if (school.isPending) return <div className="rc-page"><Skeleton active paragraph={{ rows: 12 }} /></div>;
  if (school.isError) {
    if (isApiError(school.error, 404)) return <NotFoundPage title={t('notFound.unit')} subTitle={t('notFound.unitHint', { code })} />;
    return <Result status="error" title={t('error.loadFailed')} subTitle={errorText(school.error, lang)} />;
  }
  const unit = school.data;
  return (
    <div className="rc-page">
      <UnitHeader unit={unit} />
      {unit.kind === 'school' && unit.schoolType !== null && unit.abilities.writeStaff ? (
        <NewStaffForm school={unit} schoolType={unit.schoolType} />
      ) : (
        <Result status="403" title={t('staff.noWrite')} />
      )}
    </div>
  );
}
