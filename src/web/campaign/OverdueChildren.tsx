import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Skeleton, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { WarningOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { overdueChildrenQuery, type OverdueChild } from './campaign-api';

/** 下级逾期: the units reporting here with tasks past their date, most overdue first. */
export function OverdueChildren({ unitCode }: { unitCode: string }) {
  const { t, lang } = useI18n();
  const overdue = useQuery(overdueChildrenQuery(unitCode));
  const columns: TableColumnsType<OverdueChild> = [
    { title: t('overdue.unit'), dataIndex: 'name', width: 220, render: (name: string, row) => <Link to={`/units/${row.code}`}>{name}</Link> },
    {
      title: t('overdue.tasks'),
      key: 'tasks',
      render: (_value, row) => (
        <Space direction="vertical" size={2}>
          {row.tasks.map((task) => (
            <span key={task.key}>
              {task.task} <Tag color="red">{t('task.lateBy', { days: task.daysLate })}</Tag>
              <Typography.Text type="secondary">{t('task.due')} {task.due}</Typography.Text>
            </span>
          ))}
        </Space>
      ),
    },
  ];
  const children = overdue.data?.children ?? [];
  return (
    <Card
      className="rc-section"
      title={<Typography.Text type={children.length > 0 ? 'danger' : undefined}><WarningOutlined /> {t('overdue.title', { count: children.length })}</Typography.Text>}
      data-testid="overdue-children"
    >
      {overdue.isPending && <Skeleton active />}
      {overdue.isError && <Alert type="error" showIcon title={errorText(overdue.error, lang)} />}
      {overdue.data && children.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('overdue.none')} />}
      {children.length > 0 && <Table<OverdueChild> rowKey="code" size="small" columns={columns} dataSource={children} pagination={children.length > 10 ? { pageSize: 10 } : false} />}
    </Card>
  );
}
