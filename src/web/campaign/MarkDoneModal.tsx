import { useState } from 'react';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Typography, Upload } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { attachTaskFile, markTaskDone, type UnitTask } from './campaign-api';

type MarkedTask = Pick<UnitTask, 'key' | 'task' | 'due'>;

/**
 * 标记完成: the day a manual task was done and a note (what was done, the document issued). With `onBehalfOf`
 * (a school's name), the caller's unit marks the school's task on its behalf (代为标记), and says so.
 */
export function MarkDoneModal({ unitCode, task, today, onClose, onBehalfOf }: { unitCode: string; task: MarkedTask | null; today: string; onClose: () => void; onBehalfOf?: string }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ doneOn: Dayjs; note: string }>();
  const [file, setFile] = useState<File | null>(null);
  const save = useMutation({
    mutationFn: async (values: { doneOn: Dayjs; note: string }) => {
      await markTaskDone(unitCode, task!.key, { doneOn: values.doneOn.format('YYYY-MM-DD'), note: values.note.trim() });
      if (file) await attachTaskFile(unitCode, task!.key, file);
    },
    onSuccess: () => {
      void message.success(t('task.markedDone'));
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      form.resetFields();
      setFile(null);
      onClose();
    },
    onError: (error) => void message.error(errorText(error, lang)),
  });
  return (
    <Modal
      open={task !== null}
      title={onBehalfOf ? t('task.markOnBehalf') : t('task.markDone')}
      okText={onBehalfOf ? t('task.markOnBehalf') : t('task.markDone')}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={() => {
        setFile(null);
        onClose();
      }}
      destroyOnHidden
      data-testid="mark-done-modal"
    >
      {onBehalfOf && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('task.onBehalfNotice', { school: onBehalfOf })} data-testid="on-behalf-notice" />}
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
        <Form.Item label={t('task.file')} extra={t('task.fileHint')}>
          <Upload
            maxCount={1}
            beforeUpload={(chosen) => {
              setFile(chosen);
              return false;
            }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
          >
            <Button icon={<PaperClipOutlined />} data-testid="done-file">{t('task.chooseFile')}</Button>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}
