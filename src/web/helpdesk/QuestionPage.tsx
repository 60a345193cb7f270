import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Result, Space, Spin, Tag, Timeline, Typography, Upload } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Link, useParams } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import {
  answerQuestion,
  attachFile,
  attachmentUrl,
  closeQuestion,
  escalateQuestion,
  followUpQuestion,
  getThread,
  helpdeskKeys,
  publishToFaq,
  type QuestionThread,
} from './helpdesk-api';
import { QuestionStatusTag } from './QuestionStatusTag';

const kb = (size: number) => (size < 1024 * 1024 ? `${Math.max(1, Math.round(size / 1024))} KB` : `${(size / 1024 / 1024).toFixed(1)} MB`);

/** A question's thread (text shown as typed, never as markup) and what this unit may do with it. */
export function QuestionPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const id = Number(useParams().id);
  const queryClient = useQueryClient();
  const thread = useQuery({ queryKey: helpdeskKeys.thread(id), queryFn: ({ signal }) => getThread(id, signal), enabled: Number.isSafeInteger(id) });
  const [reply, setReply] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const act = useMutation({
    mutationFn: (action: () => Promise<unknown>) => action(),
    onSuccess: () => {
      setError(null);
      setReply('');
      setNote('');
      void queryClient.invalidateQueries({ queryKey: helpdeskKeys.all });
      void message.success(t('helpdesk.done'));
    },
    onError: (cause) => setError(errorText(cause, lang)),
  });

  if (thread.error) return <Result status="warning" title={errorText(thread.error, lang)} />;
  if (!thread.data) return <div className="rc-page-center"><Spin /></div>;
  const question: QuestionThread = thread.data;
  const { abilities } = question;

  return (
    <div className="rc-page" data-testid="question-page">
      <Card
        title={<Space><Link to="/helpdesk">{t('helpdesk.title')}</Link><span>/</span><span data-testid="question-title">{question.title}</span></Space>}
        extra={<QuestionStatusTag status={question.status} />}
        className="rc-section"
      >
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('helpdesk.asker')}>{question.askerName}</Descriptions.Item>
          <Descriptions.Item label={t('helpdesk.holder')}><span data-testid="question-holder">{question.holderName}</span></Descriptions.Item>
          <Descriptions.Item label={t('helpdesk.field.category')}><Tag>{t(`helpdesk.category.${question.category}`)}</Tag></Descriptions.Item>
        </Descriptions>
        {question.faqId !== null && <Alert type="success" showIcon message={<Link to="/faq">{t('helpdesk.published')}</Link>} style={{ marginTop: 12 }} />}
      </Card>

      <Card title={t('helpdesk.thread')} className="rc-section">
        <Timeline
          data-testid="question-thread"
          items={question.messages.map((entry) => ({
            color: entry.kind === 'answered' ? 'green' : entry.kind === 'escalated' ? 'purple' : entry.kind === 'closed' ? 'gray' : 'blue',
            children: (
              <div data-testid={`message-${entry.kind}`}>
                <Typography.Text strong>{t(`helpdesk.kind.${entry.kind}`, { unit: entry.system ? `${entry.unitName}（${t('helpdesk.system')}）` : entry.unitName })}</Typography.Text>
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>{dayjs(entry.createdAt).format('YYYY-MM-DD HH:mm')}</Typography.Text>
                {entry.body && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{entry.body}</Typography.Paragraph>}
              </div>
            ),
          }))}
        />
        {question.attachments.length > 0 && (
          <div data-testid="question-attachments">
            <Typography.Text strong>{t('helpdesk.attachments')}：</Typography.Text>
            {question.attachments.map((file) => (
              <div key={file.id}>
                <a href={attachmentUrl(file.id)} download={file.name}>{file.name}</a>
                <Typography.Text type="secondary"> {kb(file.size)}</Typography.Text>
              </div>
            ))}
          </div>
        )}
      </Card>

      {(abilities.answer || abilities.escalate || abilities.followUp || abilities.close || abilities.publish || abilities.attach) && (
        <Card className="rc-section">
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="question-error" />}
          <Form layout="vertical">
            {(abilities.answer || abilities.followUp) && (
              <Form.Item label={abilities.answer ? t('helpdesk.answer') : t('helpdesk.followUp')}>
                <Input.TextArea rows={4} maxLength={5000} value={reply} onChange={(event) => setReply(event.target.value)} placeholder={t('helpdesk.answerPlaceholder')} data-testid="reply-text" />
              </Form.Item>
            )}
            {abilities.escalate && (
              <Form.Item label={t('helpdesk.escalateNote')}>
                <Input maxLength={1000} value={note} onChange={(event) => setNote(event.target.value)} data-testid="escalate-note" />
              </Form.Item>
            )}
            <Space wrap>
              {abilities.answer && (
                <Button type="primary" disabled={!reply.trim()} loading={act.isPending} onClick={() => act.mutate(() => answerQuestion(id, reply.trim()))} data-testid="answer-button">{t('helpdesk.answer')}</Button>
              )}
              {abilities.followUp && (
                <Button disabled={!reply.trim()} loading={act.isPending} onClick={() => act.mutate(() => followUpQuestion(id, reply.trim()))} data-testid="follow-up-button">{t('helpdesk.followUp')}</Button>
              )}
              {abilities.escalate && (
                <Button disabled={!note.trim()} loading={act.isPending} onClick={() => act.mutate(() => escalateQuestion(id, note.trim()))} data-testid="escalate-button">{t('helpdesk.escalate')}</Button>
              )}
              {abilities.publish && (
                <Button loading={act.isPending} onClick={() => act.mutate(() => publishToFaq(id))} data-testid="publish-button">{t('helpdesk.publish')}</Button>
              )}
              {abilities.attach && (
                <Upload showUploadList={false} beforeUpload={(file) => { act.mutate(() => attachFile(id, file)); return false; }} accept=".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.txt">
                  <Button data-testid="attach-button">{t('helpdesk.attach')}</Button>
                </Upload>
              )}
              {abilities.close && (
                <Button danger loading={act.isPending} onClick={() => act.mutate(() => closeQuestion(id))} data-testid="close-button">{t('helpdesk.close')}</Button>
              )}
            </Space>
          </Form>
        </Card>
      )}
    </div>
  );
}
