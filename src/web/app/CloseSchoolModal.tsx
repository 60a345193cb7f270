import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Radio } from 'antd';
import { chinaDay } from '../../standard/normalize.ts';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { packageKeys } from '../packages/packages-api';
import { closeSchool, mergeSchool, unitKeys, type Unit } from '../org/units-api';

type Values = { how: 'merge' | 'close'; into?: string; closedOn: string; reason: string };

/**
 * 撤销或合并学校 (a level above the school): merged, its records move with their history to the receiving
 * school; closed, it must hold no records. Either way it leaves the expected set and the missing lists, and
 * every approved package above it needs review again.
 */
export function CloseSchoolModal({ school, onClose }: { school: Unit; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [how, setHow] = useState<Values['how']>('merge');
  const mutation = useMutation({
    mutationFn: (values: Values): Promise<Unit | (Unit & { moved: number })> => {
      const input = { closedOn: values.closedOn, reason: values.reason.trim(), version: school.version };
      return values.how === 'merge' ? mergeSchool(school.code, { ...input, into: values.into!.trim() }) : closeSchool(school.code, input);
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(unitKeys.unit(updated.code), updated);
      void queryClient.invalidateQueries({ queryKey: unitKeys.all });
      void queryClient.invalidateQueries({ queryKey: packageKeys.all });
      void message.success('moved' in updated ? t('school.merged', { count: updated.moved }) : t('school.closed'));
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('school.closeTitle', { name: school.name })}
      okText={t(how === 'merge' ? 'school.mergeOk' : 'school.closeOk')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((values) => mutation.mutate(values))}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('school.closeIntro')} style={{ marginBottom: 16 }} />
      {mutation.error && <Alert type="error" showIcon title={errorText(mutation.error, lang)} style={{ marginBottom: 16 }} data-testid="close-school-error" />}
      <Form form={form} layout="vertical" initialValues={{ how: 'merge', closedOn: chinaDay(new Date()) }} onValuesChange={(changed: Partial<Values>) => changed.how && setHow(changed.how)}>
        <Form.Item name="how" label={t('school.closeHow')}>
          <Radio.Group
            options={[
              { value: 'merge', label: t('school.closeHow.merge') },
              { value: 'close', label: t('school.closeHow.close') },
            ]}
          />
        </Form.Item>
        {how === 'merge' && (
          <Form.Item name="into" label={t('school.mergeInto')} rules={[{ required: true, pattern: /^\d{10}$/, message: t('school.mergeIntoRequired') }]}>
            <Input maxLength={10} placeholder="4301021001" data-testid="merge-into" />
          </Form.Item>
        )}
        <Form.Item name="closedOn" label={t('school.closedOn')} rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('school.closedOnRequired') }]}>
          <Input type="date" data-testid="closed-on" />
        </Form.Item>
        <Form.Item name="reason" label={t('school.closeReason')} rules={[{ required: true, whitespace: true, message: t('school.closeReasonRequired') }]}>
          <Input.TextArea rows={2} maxLength={500} data-testid="close-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
