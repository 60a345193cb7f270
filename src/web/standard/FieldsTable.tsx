import { useMemo, useState } from 'react';
import { Input, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { codeTables, codeTableIdOf, fields, schoolTypeLabels, schoolTypes, type FieldDef, type Presence, type SchoolType } from '../../standard/index.ts';
import { useI18n } from '../shared/I18nProvider';

const presenceColors: Record<Presence, string> = { required: 'red', optional: 'blue', conditional: 'orange', absent: 'default' };

/** The code tables a field uses (教职工来源 has one for 高等学校 and one for the others). */
function tablesOf(field: FieldDef): string[] {
  const ids = new Set(schoolTypes.map((schoolType) => codeTableIdOf(field.key, schoolType)).filter((id): id is string => Boolean(id)));
  return [...ids].filter((id) => id in codeTables);
}

/** 字段: every field of the standard in order, with its type, presence per school type, length, 指标解释 and rule. */
export function FieldsTable({ onOpenTable }: { onOpenTable: (tableId: string) => void }) {
  const { t, lang } = useI18n();
  const [search, setSearch] = useState('');
  const shown = useMemo(() => {
    const text = search.trim().toLowerCase();
    if (!text) return fields;
    return fields.filter((field) => [field.label, field.labelEn, field.key, field.explain].some((value) => value.toLowerCase().includes(text)));
  }, [search]);

  const columns: TableColumnsType<FieldDef> = [
    { title: t('standard.col.order'), key: 'order', width: 48, align: 'right', render: (_value, field) => fields.indexOf(field) + 1 },
    {
      title: t('standard.col.field'),
      key: 'field',
      width: 170,
      render: (_value, field) => (
        <div>
          <Typography.Text strong>{field.label}</Typography.Text>
          <div className="rc-muted">{field.labelEn}</div>
          <div className="rc-code rc-muted">{field.key}</div>
        </div>
      ),
    },
    {
      title: t('standard.col.type'),
      key: 'type',
      width: 120,
      render: (_value, field) => (
        <div>
          {t(`standard.type.${field.type}`)}
          {tablesOf(field).map((id) => (
            <div key={id}>
              <Typography.Link onClick={() => onOpenTable(id)}>{codeTables[id].title}</Typography.Link>
            </div>
          ))}
        </div>
      ),
    },
    ...schoolTypes.map((schoolType: SchoolType) => ({
      title: schoolTypeLabels[schoolType][lang],
      key: schoolType,
      width: 84,
      render: (_value: unknown, field: FieldDef) => {
        const presence = field.presence[schoolType];
        return <Tag color={presenceColors[presence]}>{t(`standard.presence.${presence}`)}</Tag>;
      },
    })),
    { title: t('standard.col.maxLength'), dataIndex: 'maxLength', width: 64, align: 'right', render: (length?: number) => length ?? t('common.none') },
    {
      title: t('standard.col.explain'),
      key: 'explain',
      render: (_value, field) => (
        <div className="rc-explain">
          <div>{field.explain || t('common.none')}</div>
          {field.rule && (
            <div className="rc-muted rc-rule">
              {t('standard.col.rule')}：{field.rule}
            </div>
          )}
        </div>
      ),
    },
  ];

  return (
    <div data-testid="standard-fields">
      <Input.Search allowClear placeholder={t('standard.search')} onChange={(event) => setSearch(event.target.value)} style={{ width: 320 }} className="rc-table-toolbar" />
      <Table<FieldDef> rowKey="key" size="small" columns={columns} dataSource={shown} pagination={false} scroll={{ x: 1000 }} />
    </div>
  );
}
