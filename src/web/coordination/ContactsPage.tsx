import { useEffect } from 'react';
import { Alert, App, Button, Card, Form, Input, Result, Space, Spin, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { errorText, isApiError } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { unitQuery } from '../org/unit-queries';
import { UnitHeader } from '../org/UnitHeader';
import {
  chinaDateTime,
  contactRoles,
  contactsFieldName,
  coordinationKeys,
  fieldFindings,
  getContacts,
  personFields,
  reportContacts,
  type ContactsInput,
  type UnitContacts,
} from './coordination-api';
import './coordination.css';

const emptyPerson = { name: '', title: '', officePhone: '', mobile: '', email: '' };
const emptyForm: ContactsInput = { department: '', leader: emptyPerson, head: emptyPerson, liaison: emptyPerson };

/** 责任人: the unit's responsible department and its three people (attachment 2); saving reports them. */
export function ContactsPage() {
  const { t, lang } = useI18n();
  const code = useParams().code ?? '';
  const unit = useQuery(unitQuery(code));
  const contacts = useQuery({ queryKey: coordinationKeys.contacts(code), queryFn: ({ signal }) => getContacts(code, signal) });

  if (unit.error || contacts.error) return <Result status="warning" title={errorText(unit.error ?? contacts.error, lang)} />;
  if (!unit.data || !contacts.data) return <div className="rc-page-center"><Spin /></div>;
  const data = contacts.data;
  return (
    <div className="rc-page" data-testid="contacts-page">
      <UnitHeader
        unit={unit.data}
        extra={unit.data.kind === 'province' || unit.data.kind === 'prefecture' ? <Link to={`/units/${code}/contacts/children`}>{t('contacts.children')}</Link> : undefined}
      />
      <Card title={data.form.title} className="rc-section" extra={<ReportState data={data} />}>
        {!data.reports ? (
          <Alert type="info" showIcon title={t('contacts.noReport')} />
        ) : (
          <ContactsForm code={code} data={data} />
        )}
      </Card>
    </div>
  );
}

function ReportState({ data }: { data: UnitContacts }) {
  const { t } = useI18n();
  if (!data.reports) return null;
  if (data.contacts) {
    return (
      <Space data-testid="contacts-state">
        <Tag color="green">{t('contacts.reported')}</Tag>
        <span>{t('contacts.reportedAt', { at: chinaDateTime(data.contacts.reportedAt) })}</span>
      </Space>
    );
  }
  return (
    <Space data-testid="contacts-state">
      <Tag color={data.deadline === 'late' ? 'red' : 'default'}>{t('contacts.missing')}</Tag>
      {data.due && <span>{t('contacts.due', { due: data.due })}</span>}
      {data.deadline === 'late' && <Tag color="red">{t('contacts.late')}</Tag>}
      {data.deadline === 'due_soon' && <Tag color="orange">{t('contacts.dueSoon')}</Tag>}
    </Space>
  );
}

function ContactsForm({ code, data }: { code: string; data: UnitContacts }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ContactsInput>();
  const saved = data.contacts;
  useEffect(() => {
    form.setFieldsValue(saved ? { department: saved.department, leader: saved.leader, head: saved.head, liaison: saved.liaison } : emptyForm);
  }, [form, saved]);

  const report = useMutation({
    mutationFn: (values: ContactsInput) => reportContacts(code, { ...values, version: saved?.version }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: coordinationKeys.contacts(code) });
      message.success(t('contacts.saved'));
    },
    onError: async (error) => {
      if (isApiError(error, 409)) {
        await queryClient.invalidateQueries({ queryKey: coordinationKeys.contacts(code) });
        message.warning(t('contacts.stale'));
        return;
      }
      const findings = fieldFindings(isApiError(error) ? error.details : null, lang).flatMap(({ name, errors }) => {
        const field = contactsFieldName(name);
        return field ? [{ name: field, errors }] : [];
      });
      if (findings.length) form.setFields(findings);
      message.error(errorText(error, lang));
    },
  });

  const editable = data.canEdit;
  return (
    <Form form={form} layout="vertical" disabled={!editable} onFinish={(values) => report.mutate(values)} data-testid="contacts-form" requiredMark={false}>
      {!editable && <Alert type="info" showIcon title={t('contacts.readOnly')} style={{ marginBottom: 16 }} />}
      {data.phonesMasked && <Alert type="warning" showIcon title={t('contacts.masked')} style={{ marginBottom: 16 }} />}
      <Form.Item name="department" label={t('contacts.department')} className="rc-contacts-department">
        <Input maxLength={100} data-testid="contacts-department" />
      </Form.Item>
      <div className="rc-contacts-grid">
        <div className="rc-contacts-head" />
        {personFields.map((field) => (
          <div key={field} className="rc-contacts-head">{t(`contacts.field.${field}`)}</div>
        ))}
        {contactRoles.map((role) => (
          <div key={role} className="rc-contacts-row" data-testid={`contacts-${role}`}>
            <Typography.Text strong className="rc-contacts-role">{t(`contacts.role.${role}`)}</Typography.Text>
            {personFields.map((field) => (
              <Form.Item key={field} name={[role, field]} className="rc-contacts-cell">
                <Input
                  aria-label={`${t(`contacts.role.${role}`)} ${t(`contacts.field.${field}`)}`}
                  placeholder={field === 'officePhone' ? t('contacts.officePhoneHint') : field === 'mobile' ? t('contacts.mobileHint') : undefined}
                  data-testid={`contacts-${role}-${field}`}
                />
              </Form.Item>
            ))}
          </div>
        ))}
      </div>
      {editable && (
        <Button type="primary" htmlType="submit" loading={report.isPending} data-testid="contacts-submit">
          {t('contacts.report')}
        </Button>
      )}
    </Form>
  );
}
