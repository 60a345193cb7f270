import { useState } from 'react';
import { Alert, App, Form, Input, Modal, Select, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { askQuestion, attachFile, helpdeskKeys, questionCategories, type QuestionCategory } from './helpdesk-api';

type Values = { title: string; body: string; category: QuestionCategory };

/** 提问: title, text, category and an optional attachment; the question goes to the unit above. */
export function AskQuestionModal({ unitCode, open, onClose }: { unitCode: string; open: boolean; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [error, setError] = useState<string | null>(null);
  const ask = useMutation({
    mutationFn: async (values: Values) => {
      const question = await askQuestion(unitCode, { title: values.title.trim(), body: values.body.trim(), category: values.category });
      const file = files[0]?.originFileObj;
      if (file) {
        try {
          await attachFile(question.id, file);
        } catch (cause) {
          // The question stands; the refused file is named on its page.
          message.error(errorText(cause, lang));
        }
      }
      return question;
    },
    onSuccess: (question) => {
      void queryClient.invalidateQueries({ queryKey: helpdeskKeys.all });
      setFiles([]);
      onClose();
      navigate(`/helpdesk/questions/${question.id}`);
    },
    onError: (cause) => setError(errorText(cause, lang)),
  });
  const required = (field: string) => ({ required: true, whitespace: true, message: t('helpdesk.required', { field }) });
  return (
    <Modal
      title={t('helpdesk.askTitle')}
      open={open}
      destroyOnHidden
      confirmLoading={ask.isPending}
      okText={t('helpdesk.ask')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((values) => ask.mutate(values))}
      okButtonProps={{ id: 'ask-submit' }}
    >
      <Typography.Paragraph type="secondary">{t('helpdesk.askHint')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="ask-error" />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ category: 'indicator' }}>
        <Form.Item name="category" label={t('helpdesk.field.category')} rules={[{ required: true }]}>
          <Select options={questionCategories.map((category) => ({ value: category, label: t(`helpdesk.category.${category}`) }))} data-testid="ask-category" />
        </Form.Item>
        <Form.Item name="title" label={t('helpdesk.field.title')} rules={[required(t('helpdesk.field.title'))]}>
          <Input maxLength={100} showCount data-testid="ask-title" />
        </Form.Item>
        <Form.Item name="body" label={t('helpdesk.field.body')} rules={[required(t('helpdesk.field.body'))]}>
          <Input.TextArea rows={5} maxLength={5000} showCount data-testid="ask-body" />
        </Form.Item>
        <Form.Item label={t('helpdesk.field.attachment')} extra={t('helpdesk.attachmentHint')}>
          <Upload
            maxCount={1}
            fileList={files}
            beforeUpload={() => false}
            onChange={({ fileList }) => setFiles(fileList.slice(-1))}
            accept=".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.txt"
          >
            <a data-testid="ask-attach">{t('helpdesk.attach')}</a>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}
