import { useState } from 'react';
import { Card, Tabs, Typography } from 'antd';
import { codeTables, fields } from '../../standard/index.ts';
import { useI18n } from '../shared/I18nProvider';
import { CodeTablesList } from './CodeTablesList';
import { FieldsTable } from './FieldsTable';

/** /standard — 指标解释: the record standard's fields and code tables, generated from src/standard only. */
export function StandardPage() {
  const { t } = useI18n();
  const [tab, setTab] = useState<'fields' | 'tables'>('fields');
  const [openTables, setOpenTables] = useState<string[]>([]);
  const tableCount = Object.keys(codeTables).length;

  const openTable = (id: string) => {
    setOpenTables((open) => (open.includes(id) ? open : [...open, id]));
    setTab('tables');
    // After the tab has rendered the panel.
    window.setTimeout(() => document.getElementById(`code-table-${id}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
  };

  return (
    <div className="rc-page">
      <div className="rc-page-header">
        <Typography.Title level={3} style={{ margin: 0 }}>{t('standard.title')}</Typography.Title>
        <Typography.Text type="secondary">{t('standard.subtitle', { fields: fields.length, tables: tableCount })}</Typography.Text>
      </div>
      <Card className="rc-section">
        <Tabs
          activeKey={tab}
          onChange={(key) => setTab(key as 'fields' | 'tables')}
          items={[
            { key: 'fields', label: t('standard.fields', { count: fields.length }), children: <FieldsTable onOpenTable={openTable} /> },
            { key: 'tables', label: t('standard.codeTables', { count: tableCount }), children: <CodeTablesList open={openTables} onOpenChange={setOpenTables} /> },
          ]}
        />
      </Card>
    </div>
  );
}
