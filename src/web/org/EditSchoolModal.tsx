import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Modal } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { ApiError, errorText } from '../shared/api-client';
import { applyFieldErrors, isFieldError } from '../shared/form-errors';
import { useI18n } from '../shared/I18nProvider';
import { useLabels } from '../shared/useLabels';
import { SchoolFields } from './SchoolFields';
import { unitQuery } from './unit-queries';
import { unitKeys, updateSchool, type SchoolInput, type SchoolPatch, type Unit } from './units-api';

type Values = Omit<SchoolInput, 'code'>;
const fields = ['name', 'schoolType', 'countyCode', 'expectedStaff'] as const;

const valuesOf = (school: Unit): Partial<Values> => ({
  name: school.name,
  schoolType: school.schoolType ?? undefined,
  countyCode: school.countyCode ?? undefined,
  expectedStaff: school.expectedStaff ?? undefined,
});

/** Only the fields the user changed, against the version they were editing. */
function patchOf(school: Unit, values: Values): SchoolPatch {
  const current = valuesOf(school);
  const patch: SchoolPatch = { version: school.version };
  if (values.name.trim() !== current.name) patch.name = values.name.trim();
  if (values.schoolType !== current.schoolType) patch.schoolType = values.schoolType;
  if (values.countyCode !== current.countyCode) patch.countyCode = values.countyCode;
  if (values.expectedStaff !== current.expectedStaff) patch.expectedStaff = values.expectedStaff;
  return patch;
}

/**
 * 编辑学校信息 with optimistic locking: the PATCH carries the version shown and only the changed fields.
 * When someone else saved first (409 stale_version) the form keeps the user's input and offers to load the
 * latest version: fields the user did not touch take the new values, the user's edits stay.
 */
export function EditSchoolModal({ school, onClose }: { school: Unit; onClose: () => void }) {
  const { t, lang } = useI18n();
  const labels = useLabels();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [reloadedVersion, setReloadedVersion] = useState<number | null>(null);
  // The values the user started from; a field still equal to them is one the user has not touched.
  const [baseline, setBaseline] = useState(() => valuesOf(school));
  const mutation = useMutation({
    mutationFn: (patch: SchoolPatch) => updateSchool(school.code, patch),
    onSuccess: (updated) => {
      queryClient.setQueryData(unitKeys.unit(updated.code), updated);
      void queryClient.invalidateQueries({ queryKey: unitKeys.all });
      void message.success(t('school.saved'));
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error, lang, fields),
  });
  const stale = mutation.error instanceof ApiError && mutation.error.code === 'stale_version';

  const save = (values: Values) => {
    const patch = patchOf(school, values);
    if (Object.keys(patch).length === 1) {
      void message.info(t('school.nothingChanged'));
      onClose();
      return;
    }
    setReloadedVersion(null);
    mutation.mutate(patch);
  };

  const reload = async () => {
    const latest = await queryClient.fetchQuery({ ...unitQuery(school.code), staleTime: 0 }).catch(() => null);
    mutation.reset();
    if (!latest) return;
    // Untouched fields take the other person's values; the user's own edits stay.
    const fresh = valuesOf(latest);
    const input = form.getFieldsValue();
    const untouched = fields.filter((field) => input[field] === baseline[field]);
    form.setFieldsValue(Object.fromEntries(untouched.map((field) => [field, fresh[field]])));
    setBaseline(fresh);
    setReloadedVersion(latest.version);
  };

  const shown = valuesOf(school);
  return (
    <Modal
      open
      title={t('school.edit')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={560}
    >
      {stale && (
        <Alert
          type="warning"
          showIcon
          title={t('school.stale')}
          description={t('school.staleHint')}
          action={<Button size="small" icon={<ReloadOutlined />} onClick={() => void reload()}>{t('school.reloadData')}</Button>}
          style={{ marginBottom: 16 }}
          data-testid="stale-alert"
        />
      )}
      {mutation.error && !stale && !isFieldError(mutation.error, fields) && <Alert type="error" showIcon title={errorText(mutation.error, lang)} style={{ marginBottom: 16 }} />}
      {reloadedVersion !== null && !mutation.error && (
        <Alert
          type="info"
          showIcon
          title={t('school.reloaded', { version: reloadedVersion })}
          description={t('school.latestValues', {
            name: shown.name ?? '',
            type: labels.schoolType(shown.schoolType),
            county: school.countyName ?? t('common.none'),
            staff: shown.expectedStaff ?? t('common.none'),
          })}
          style={{ marginBottom: 16 }}
        />
      )}
      <Form<Values> form={form} layout="vertical" initialValues={valuesOf(school)} onFinish={save}>
        <SchoolFields withCode={false} />
      </Form>
    </Modal>
  );
}
