import { AutoComplete, DatePicker, Input, Radio } from 'antd';
import dayjs from 'dayjs';
import { counties, prefectures } from '../../standard/divisions';
import type { FieldDef, SchoolType } from '../../standard/index.ts';
import { useI18n } from '../shared/I18nProvider';
import { CodeSelect } from './CodeSelect';
import { tableOf } from './staff-form-model';

type Props = {
  field: FieldDef;
  schoolType: SchoolType;
  required: boolean;
  value?: string | null;
  onChange?: (value: string | null) => void;
  id?: string;
  status?: 'error' | 'warning';
};

const dateFormats = { date: 'YYYY-MM-DD', yearMonth: 'YYYY-MM' } as const;

// 出生地 suggestions: the Hunan prefectures and counties of the standard (other provinces are typed as codes).
const divisionOptions = [
  ...prefectures.map((prefecture) => ({ value: prefecture.code, label: `${prefecture.code} ${prefecture.name}` })),
  ...counties.map((county) => ({ value: county.code, label: `${county.code} ${county.name}` })),
].sort((a, b) => a.value.localeCompare(b.value));

const textOf = (value: string | null | undefined) => value ?? '';
const orNull = (text: string) => (text === '' ? null : text);

/** The input for one field of the standard, by its type; its value is the canonical string (or null). */
export function StaffFieldInput({ field, schoolType, required, value, onChange, id, status }: Props) {
  const { t } = useI18n();
  switch (field.type) {
    case 'code':
    case 'codes':
    case 'yesNo': {
      const table = tableOf(field, schoolType);
      if (!table) return <Input id={id} status={status} value={textOf(value)} onChange={(event) => onChange?.(orNull(event.target.value))} />;
      if (field.type === 'yesNo' && required) {
        return (
          <Radio.Group
            id={id}
            value={value ?? undefined}
            onChange={(event) => onChange?.(String(event.target.value))}
            options={table.entries.map((entry) => ({ value: entry.code, label: entry.label }))}
          />
        );
      }
      return <CodeSelect id={id} status={status} table={table} multiple={field.type === 'codes'} value={value} onChange={onChange} />;
    }
    case 'date':
    case 'yearMonth': {
      const format = dateFormats[field.type];
      const parsed = value ? dayjs(value, format, true) : null;
      return (
        <DatePicker
          id={id}
          status={status}
          picker={field.type === 'yearMonth' ? 'month' : 'date'}
          format={format}
          placeholder={format}
          value={parsed?.isValid() ? parsed : null}
          onChange={(date) => onChange?.(date ? date.format(format) : null)}
          style={{ width: '100%' }}
        />
      );
    }
    case 'division':
      return (
        <AutoComplete
          id={id}
          status={status}
          value={textOf(value)}
          onChange={(text: string) => onChange?.(orNull(text))}
          options={divisionOptions}
          showSearch={{ filterOption: (input, option) => Boolean(option?.label.includes(input.trim())) }}
          placeholder={t('staff.divisionPlaceholder')}
          allowClear
        />
      );
    case 'text':
      return (
        <Input
          id={id}
          status={status}
          value={textOf(value)}
          onChange={(event) => onChange?.(orNull(event.target.value))}
          maxLength={field.maxLength}
          showCount={field.maxLength !== undefined && field.maxLength > 60}
          className={field.key === 'idNumber' ? 'rc-code' : undefined}
          allowClear
        />
      );
  }
}
