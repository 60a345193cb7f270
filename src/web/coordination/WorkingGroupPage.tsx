import { useEffect } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Result, Select, Space, Spin, Table, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router-dom';
import { errorText, isApiError } from '../shared/api-client';
import './coordination.css';
import { useI18n } from '../shared/I18nProvider';
import { unitQuery } from '../org/unit-queries';
import { UnitHeader } from '../org/UnitHeader';
import { coordinationKeys, fieldFindings, getProvinceGroup, getWorkingGroup, groupFieldName, groupRoles, saveWorkingGroup, type GroupMember, type WorkingGroup } from './coordination-api';

/** 工作组: a unit's working group (leader, deputies, members), edited by its admin. */
export function WorkingGroupPage() {
  const { lang } = useI18n();
  const code = useParams().code ?? '';
  const unit = useQuery(unitQuery(code));
  const group = useQuery({ queryKey: coordinationKeys.group(code), queryFn: ({ signal }) => getWorkingGroup(code, signal) });
  if (unit.error || group.error) return <Result status="warning" title={errorText(unit.error ?? group.error, lang)} />;
  if (!unit.data || !group.data) return <div className="rc-page-center"><Spin /></div>;
  return (
    <div className="rc-page" data-testid="working-group-page">
      <UnitHeader unit={unit.data} />
      <GroupCard group={group.data} queryKey={coordinationKeys.group(code)} />
    </div>
  );
}

/** 省联合工作组: the province's group, shown to everyone signed in (phones masked below the province). */
export function ProvinceGroupPage() {
  const { lang } = useI18n();
  const group = useQuery({ queryKey: coordinationKeys.provinceGroup, queryFn: ({ signal }) => getProvinceGroup(signal) });
  if (group.error) return <Result status="warning" title={errorText(group.error, lang)} />;
  if (!group.data) return <div className="rc-page-center"><Spin /></div>;
  const form = group.data.form;
  return (
    <div className="rc-page" data-testid="province-group-page">
      <GroupCard group={group.data} queryKey={coordinationKeys.provinceGroup} />
      <ProvinceNotes office={form.office} rule={form.rule} posts={form.provinceMemberPosts} />
    </div>
  );
}

function ProvinceNotes({ office, rule, posts }: { office: string; rule: string; posts: string[] }) {
  const { t } = useI18n();
  return (
    <Card className="rc-section" size="small">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('group.office')}>{office}</Descriptions.Item>
        <Descriptions.Item label={t('group.rule')}>{rule}</Descriptions.Item>
        <Descriptions.Item label={t('group.provincePosts')}>{posts.join('；')}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function GroupCard({ group, queryKey }: { group: WorkingGroup; queryKey: readonly unknown[] }) {
  const { t } = useI18n();
  return (
    <Card title={`${group.unit.name} ${group.form.title}`} className="rc-section" data-testid="working-group">
      {group.phonesMasked && <Alert type="warning" showIcon title={t('contacts.masked')} style={{ marginBottom: 16 }} />}
      {group.canEdit ? <GroupEditor group={group} queryKey={queryKey} /> : <GroupTable group={group} />}
    </Card>
  );
}

function GroupTable({ group }: { group: WorkingGroup }) {
  const { t, lang } = useI18n();
  type Row = WorkingGroup['members'][number];
  return (
    <Table
      rowKey={(_: Row, index?: number) => String(index)}
      dataSource={group.members}
      pagination={false}
      size="middle"
      locale={{ emptyText: t('group.empty') }}
      data-testid="working-group-table"
      columns={[
        { title: t('group.role'), key: 'role', width: 110, render: (_: unknown, row: Row) => row.roleLabel[lang] },
        { title: t('group.name'), key: 'name', width: 140, render: (_: unknown, row: Row) => row.name },
        { title: t('group.post'), key: 'post', render: (_: unknown, row: Row) => row.post },
        { title: t('group.phone'), key: 'phone', width: 170, render: (_: unknown, row: Row) => row.phone },
      ]}
    />
  );
}

function GroupEditor({ group, queryKey }: { group: WorkingGroup; queryKey: readonly unknown[] }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ members: GroupMember[] }>();
  useEffect(() => {
    form.setFieldsValue({ members: group.members.map(({ role, name, post, phone }) => ({ role, name, post, phone })) });
  }, [form, group]);
  const save = useMutation({
    mutationFn: (members: GroupMember[]) => saveWorkingGroup(group.unit.code, members, group.version),
    onSuccess: (next) => {
      queryClient.setQueryData(queryKey, next);
      message.success(t('group.saved'));
    },
    onError: async (error) => {
      if (isApiError(error, 409)) {
        await queryClient.invalidateQueries({ queryKey });
        message.warning(t('contacts.stale'));
        return;
      }
      const findings = fieldFindings(isApiError(error) ? error.details : null, lang).flatMap(({ name, errors }) => {
        const field = groupFieldName(name);
        return field ? [{ name: field, errors }] : [];
      });
      if (findings.length) form.setFields(findings);
      message.error(errorText(error, lang));
    },
  });
  return (
    <Form form={form} onFinish={(values) => save.mutate(values.members ?? [])} data-testid="working-group-form">
      <Form.List name="members">
        {(fields, { add, remove }) => (
          <>
            {fields.length === 0 ? (
              <Typography.Paragraph type="secondary">{t('group.empty')}</Typography.Paragraph>
            ) : (
              <div className="rc-group-head">
                <span style={{ width: 110 }}>{t('group.role')}</span>
                <span style={{ width: 140 }}>{t('group.name')}</span>
                <span style={{ width: 300 }}>{t('group.post')}</span>
                <span style={{ width: 170 }}>{t('group.phone')}</span>
              </div>
            )}
            {fields.map((field) => (
              <div key={field.key} className="rc-group-member" data-testid="working-group-member">
                <Form.Item name={[field.name, 'role']} style={{ width: 110 }}>
                  <Select aria-label={t('group.role')} options={groupRoles.map((role) => ({ value: role, label: t(`group.role.${role}`) }))} />
                </Form.Item>
                <Form.Item name={[field.name, 'name']} style={{ width: 140 }}>
                  <Input placeholder={t('group.name')} aria-label={t('group.name')} />
                </Form.Item>
                <Form.Item name={[field.name, 'post']} style={{ width: 300 }}>
                  <Input placeholder={t('group.post')} aria-label={t('group.post')} />
                </Form.Item>
                <Form.Item name={[field.name, 'phone']} style={{ width: 170 }}>
                  <Input placeholder={t('group.phone')} aria-label={t('group.phone')} />
                </Form.Item>
                <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('group.remove')} />
              </div>
            ))}
            <Space>
              <Button icon={<PlusOutlined />} onClick={() => add({ role: fields.length === 0 ? 'leader' : 'member', name: '', post: '', phone: '' })} data-testid="working-group-add">
                {t('group.add')}
              </Button>
              <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="working-group-save">
                {t('group.save')}
              </Button>
            </Space>
          </>
        )}
      </Form.List>
    </Form>
  );
}
