import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Modal } from 'antd';
import { errorText } from '../shared/api-client';
import { applyFieldErrors, isFieldError } from '../shared/form-errors';
import { useI18n } from '../shared/I18nProvider';
import { SchoolFields } from './SchoolFields';
import { createSchool, unitKeys, type SchoolInput, type Unit } from './units-api';

const fields = ['code', 'name', 'schoolType', 'countyCode', 'expectedStaff'] as const;

/** 新增学校: a modal form (mounted while open); a county page preselects its county. */
export function CreateSchoolModal({ onClose, pageUnit }: { onClose: () => void; pageUnit: Unit }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SchoolInput>();
  const mutation = useMutation({
    mutationFn: (values: SchoolInput) => createSchool({ ...values, code: values.code.trim(), name: values.name.trim() }),
    onSuccess: (school) => {
      void message.success(t('school.created', { name: school.name }));
      void queryClient.invalidateQueries({ queryKey: unitKeys.all });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error, lang, fields),
  });

  return (
    <Modal
      open
      title={t('school.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      {mutation.error && !isFieldError(mutation.error, fields) && <Alert type="error" showIcon title={errorText(mutation.error, lang)} style={{ marginBottom: 16 }} />}
      <Form<SchoolInput>
        form={form}
        layout="vertical"
        initialValues={{ schoolType: 'k12', countyCode: pageUnit.kind === 'county' ? pageUnit.code : undefined }}
        onFinish={(values) => mutation.mutate(values)}
        data-testid="create-school-form"
      >
        <SchoolFields withCode />
      </Form>
    </Modal>
  );
}
