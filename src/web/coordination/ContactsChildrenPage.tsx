import { Button, Card, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { downloadFile, errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { unitQuery } from '../org/unit-queries';
import { UnitHeader } from '../org/UnitHeader';
import { chinaDateTime, contactsExportUrl, coordinationKeys, getChildrenContacts, type ChildContacts } from './coordination-api';

/** 下级报送情况: which units below have reported their responsible persons, missing and late first; the directory export. */
export function ContactsChildrenPage() {
  const { t, lang } = useI18n();
  const code = useParams().code ?? '';
  const unit = useQuery(unitQuery(code));
  const children = useQuery({ queryKey: coordinationKeys.children(code), queryFn: ({ signal }) => getChildrenContacts(code, signal) });

  if (unit.error || children.error) return <Result status="warning" title={errorText(unit.error ?? children.error, lang)} />;
  if (!unit.data || !children.data) return <div className="rc-page-center"><Spin /></div>;
  const data = children.data;

  return (
    <div className="rc-page" data-testid="contacts-children-page">
      <UnitHeader unit={unit.data} extra={<Link to={`/units/${code}/contacts`}>{t('contacts.title')}</Link>} />
      <Card
        title={t('contacts.children')}
        className="rc-section"
        extra={
          <Button icon={<DownloadOutlined />} onClick={() => downloadFile(contactsExportUrl(code))} disabled={data.items.length === 0} data-testid="contacts-export">
            {t('contacts.export')}
          </Button>
        }
      >
        <Typography.Paragraph data-testid="contacts-summary">{t('contacts.childrenSummary', { reported: data.reported, missing: data.missing })}</Typography.Paragraph>
        <Table
          rowKey={(item: ChildContacts) => item.unit.code}
          dataSource={data.items}
          pagination={false}
          size="middle"
          locale={{ emptyText: t('contacts.noChildren') }}
          data-testid="contacts-children"
          columns={[
            { title: t('contacts.unit'), key: 'unit', render: (_: unknown, item: ChildContacts) => <Link to={`/units/${item.unit.code}/contacts`}>{item.unit.name}</Link> },
            {
              title: t('contacts.status'),
              key: 'status',
              width: 200,
              render: (_: unknown, item: ChildContacts) => (
                <Space size={4}>
                  {item.reported ? <Tag color="green">{t('contacts.reported')}</Tag> : <Tag color={item.late ? 'red' : 'default'}>{t('contacts.missing')}</Tag>}
                  {item.reported && item.late && <Tag color="orange">{t('contacts.lateReport')}</Tag>}
                  {!item.reported && item.deadline === 'late' && <Tag color="red">{t('contacts.late')}</Tag>}
                  {!item.reported && item.deadline === 'due_soon' && <Tag color="orange">{t('contacts.dueSoon')}</Tag>}
                </Space>
              ),
            },
            { title: t('contacts.deadline'), key: 'due', width: 120, render: (_: unknown, item: ChildContacts) => item.due ?? '—' },
            { title: t('contacts.department'), key: 'department', render: (_: unknown, item: ChildContacts) => item.contacts?.department ?? '' },
            {
              title: t('contacts.role.liaison'),
              key: 'liaison',
              render: (_: unknown, item: ChildContacts) => (item.contacts ? `${item.contacts.liaison.name} ${item.contacts.liaison.mobile}` : ''),
            },
            { title: t('contacts.reportedAtColumn'), key: 'at', width: 170, render: (_: unknown, item: ChildContacts) => (item.reportedAt ? chinaDateTime(item.reportedAt) : '') },
          ]}
        />
      </Card>
    </div>
  );
}
