import { App, DatePicker, Form, Input, Modal, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText } from '../app/api-client';
import { useI18n } from '../app/i18n/I18nProvider';
import { markTaskDone, type UnitTask } from './campaign-api';

/** 标记完成: the day a manual task was done and a note (what was done, the document issued). */
export function MarkDoneModal({ unitCode, task, today, onClose }: { unitCode: string; task: UnitTask | null; today: string; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ doneOn: Dayjs; note: string }>();
  const save = useMutation({
    mutationFn: (values: { doneOn: Dayjs; note: string }) => markTaskDone(unitCode, task!.key, { doneOn: values.doneOn.format('YYYY-MM-DD'), note: values.note.trim() }),
    onSuccess: () => {
      void message.success(t('task.markedDone'));
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      form.resetFields();
      onClose();
    },
    onError: (error) => void message.error(errorText(error, lang)),
  });
  return (
    <Modal
      open={task !== null}
      title={t('task.markDone')}
      okText={t('task.markDone')}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      destroyOnHidden
      data-testid="mark-done-modal"
    >
      {task && (
        <Typography.Paragraph>
          {task.task}
          {task.due && <Typography.Text type="secondary">{` · ${t('task.due')} ${task.due}`}</Typography.Text>}
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" initialValues={{ doneOn: dayjs(today) }} onFinish={(values) => save.mutate(values)} preserve={false}>
        <Form.Item name="doneOn" label={t('task.doneOn')} rules={[{ required: true, message: t('task.doneOnRequired') }]}>
          <DatePicker disabledDate={(day) => day.isAfter(dayjs(today), 'day')} data-testid="done-on" />
        </Form.Item>
        <Form.Item name="note" label={t('task.note')} rules={[{ required: true, whitespace: true, min: 2, message: t('task.noteRequired') }]}>
          <Input.TextArea rows={3} maxLength={1000} placeholder={t('task.notePlaceholder')} data-testid="done-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
