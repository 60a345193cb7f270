import { Collapse, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { codeTableIdOf, codeTables, fields, schoolTypes, type CodeEntry, type CodeTable } from '../../standard/index.ts';
import { useI18n } from '../shared/I18nProvider';

type EntryRow = CodeEntry & { children?: EntryRow[] };

/** A tree table's entries nested under their parents (antd's Table shows `children` as a tree). */
function rowsOf(table: CodeTable): EntryRow[] {
  if (!table.isTree) return table.entries;
  const rows = new Map<string, EntryRow>(table.entries.map((entry) => [entry.code, { ...entry }]));
  const roots: EntryRow[] = [];
  for (const entry of table.entries) {
    const row = rows.get(entry.code)!;
    const parent = entry.parent ? rows.get(entry.parent) : undefined;
    if (parent) parent.children = [...(parent.children ?? []), row];
    else roots.push(row);
  }
  return roots;
}

/** The labels of the fields that use each table, by table id. */
const usedBy = new Map<string, string[]>();
for (const field of fields) {
  for (const id of new Set(schoolTypes.map((schoolType) => codeTableIdOf(field.key, schoolType)))) {
    if (id) usedBy.set(id, [...(usedBy.get(id) ?? []), field.label]);
  }
}

function EntriesTable({ table }: { table: CodeTable }) {
  const { t } = useI18n();
  const columns: TableColumnsType<EntryRow> = [
    { title: t('standard.col.code'), dataIndex: 'code', width: 140, render: (code: string) => <span className="rc-code">{code}</span> },
    {
      title: t('standard.col.label'),
      dataIndex: 'label',
      render: (label: string, entry) => (
        <Space>
          {label}
          {entry.isCategory && <Tag>{t('standard.category')}</Tag>}
        </Space>
      ),
    },
    { title: t('standard.col.aliases'), dataIndex: 'aliases', render: (aliases: string[]) => aliases.join('、') || t('common.none') },
  ];
  return (
    <Table<EntryRow>
      rowKey="code"
      size="small"
      columns={columns}
      dataSource={rowsOf(table)}
      expandable={{ defaultExpandAllRows: true }}
      pagination={table.entries.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
    />
  );
}

/** 代码表: every code table of the standard, with its standard, source, whether it was verified, and entries. */
export function CodeTablesList({ open, onOpenChange }: { open: string[]; onOpenChange: (keys: string[]) => void }) {
  const { t } = useI18n();
  const tables = Object.values(codeTables);
  return (
    <Collapse
      activeKey={open}
      onChange={(keys) => onOpenChange(Array.isArray(keys) ? keys : [keys])}
      destroyOnHidden
      data-testid="standard-code-tables"
      items={tables.map((table) => ({
        key: table.id,
        label: (
          <Space wrap size="small" id={`code-table-${table.id}`}>
            <Typography.Text strong>{table.title}</Typography.Text>
            <Tag>{t('standard.entries', { count: table.entries.length })}</Tag>
            <Tag color={table.verified === true ? 'green' : table.verified === 'partial' ? 'gold' : 'default'}>
              {t(`standard.verified.${String(table.verified) as 'true' | 'false' | 'partial'}`)}
            </Tag>
            <Typography.Text type="secondary">{t('standard.usedBy', { fields: (usedBy.get(table.id) ?? []).join('、') })}</Typography.Text>
          </Space>
        ),
        children: (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {table.standard && (
              <Typography.Text>
                {t('standard.standard')}：{table.standard}
              </Typography.Text>
            )}
            {table.source && (
              <Typography.Text type="secondary" className="rc-source">
                {t('standard.source')}：{table.source}
              </Typography.Text>
            )}
            <EntriesTable table={table} />
          </Space>
        ),
      }))}
    />
  );
}
