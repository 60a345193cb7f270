import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Space } from 'antd';
import { ReloadOutlined, SaveOutlined } from '@ant-design/icons';
import { fieldsFor, type SchoolType, type StaffValues } from '../../standard/index.ts';
import { ApiError, errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { changedValues } from './staff-form-model';
import { findingsOf, staffKeys, staffQuery, updateStaff, type StaffRecord } from './staff-api';
import { StaffFormFields } from './StaffFormFields';
import { useStaffForm } from './useStaffForm';

type Props = { record: StaffRecord; schoolType: SchoolType; onDone: () => void };

/**
 * 修改 a record: the generated form, checked live; the PATCH sends only the changed fields with the version
 * shown. A 409 keeps the input and offers the latest version (untouched fields take its values); a 422 puts
 * the server's findings under their fields.
 */
export function StaffEditor({ record, schoolType, onDone }: Props) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const form = useStaffForm(schoolType, record.values, true);
  // The record the user started from (replaced by a reload): its version goes with the save.
  const [base, setBase] = useState<StaffRecord>(record);
  const [reloadedVersion, setReloadedVersion] = useState<number | null>(null);

  const mutation = useMutation({
    mutationFn: (values: Partial<StaffValues>) => updateStaff(record.id, base.version, values),
    onSuccess: (updated) => {
      queryClient.setQueryData(staffKeys.one(updated.id), updated);
      void queryClient.invalidateQueries({ queryKey: staffKeys.all });
      void message.success(t('staff.saved'));
      onDone();
    },
    onError: (error) => {
      const findings = findingsOf(error);
      if (findings) {
        form.setServerFindings(findings);
        form.showAll();
      }
    },
  });
  const stale = mutation.error instanceof ApiError && mutation.error.code === 'stale_version';
  const refused = findingsOf(mutation.error);

  const save = () => {
    if (form.errorCount > 0) {
      form.showAll();
      void message.error(t('staff.fixErrors', { count: form.errorCount }));
      return;
    }
    const changes = changedValues(base.values, form.state.values, schoolType);
    if (Object.keys(changes).length === 0) {
      void message.info(t('staff.nothingChanged'));
      onDone();
      return;
    }
    setReloadedVersion(null);
    mutation.mutate(changes);
  };

  const reload = async () => {
    const latest = await queryClient.fetchQuery({ ...staffQuery(record.id), staleTime: 0 }).catch(() => null);
    mutation.reset();
    if (!latest) return;
    // Fields the user has not changed take the other person's values; the user's edits stay.
    const next = { ...form.values };
    for (const field of fieldsFor(schoolType)) {
      if ((form.values[field.key] ?? null) === (base.values[field.key] ?? null)) next[field.key] = latest.values[field.key];
    }
    form.setValues(next);
    setBase(latest);
    setReloadedVersion(latest.version);
  };

  return (
    <Card
      title={t('staff.edit')}
      className="rc-section"
      extra={
        <Space>
          <Button onClick={onDone}>{t('common.cancel')}</Button>
          <Button type="primary" icon={<SaveOutlined />} loading={mutation.isPending} onClick={save} data-testid="staff-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Alert type="info" showIcon title={t('staff.formHint')} />
        {stale && (
          <Alert
            type="warning"
            showIcon
            title={t('staff.stale')}
            description={t('staff.staleHint')}
            action={<Button size="small" icon={<ReloadOutlined />} onClick={() => void reload()}>{t('staff.reloadData')}</Button>}
            data-testid="stale-alert"
          />
        )}
        {refused && <Alert type="error" showIcon title={t('staff.refused', { count: refused.filter((finding) => finding.severity === 'error').length })} />}
        {mutation.error && !stale && !refused && <Alert type="error" showIcon title={errorText(mutation.error, lang)} />}
        {reloadedVersion !== null && !mutation.error && <Alert type="info" showIcon title={t('staff.reloaded', { version: reloadedVersion })} />}
        <StaffFormFields form={form} />
      </Space>
    </Card>
  );
}
