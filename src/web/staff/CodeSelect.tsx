import { Select, TreeSelect } from 'antd';
import { codeLabel, type CodeEntry, type CodeTable } from '../../standard/index.ts';
import { useI18n } from '../shared/I18nProvider';
import { codesOf, joinCodes } from './staff-form-model';

type CodeOption = { value: string; label: string; search: string };
type CodeNode = { value: string; title: string; search: string; children?: CodeNode[] };

const searchText = (entry: CodeEntry) => [entry.code, entry.label, ...entry.aliases].join(' ').toUpperCase();
const matches = (input: string, search: unknown) => typeof search === 'string' && search.includes(input.trim().toUpperCase());

// Built once per table: 国籍/地区 has some 250 entries and every form shows a dozen tables.
const optionCache = new Map<string, CodeOption[]>();
const treeCache = new Map<string, CodeNode[]>();

function optionsOf(table: CodeTable): CodeOption[] {
  let options = optionCache.get(table.id);
  if (!options) {
    options = table.entries.map((entry) => ({ value: entry.code, label: codeLabel(entry), search: searchText(entry) }));
    optionCache.set(table.id, options);
  }
  return options;
}

function treeOf(table: CodeTable): CodeNode[] {
  let tree = treeCache.get(table.id);
  if (!tree) {
    const nodes = new Map(table.entries.map((entry): [string, CodeNode] => [entry.code, { value: entry.code, title: codeLabel(entry), search: searchText(entry) }]));
    tree = [];
    for (const entry of table.entries) {
      const node = nodes.get(entry.code)!;
      const parent = entry.parent ? nodes.get(entry.parent) : undefined;
      if (parent) parent.children = [...(parent.children ?? []), node];
      else tree.push(node);
    }
    treeCache.set(table.id, tree);
  }
  return tree;
}

type Props = {
  table: CodeTable;
  multiple: boolean;
  value?: string | null;
  onChange?: (value: string | null) => void;
  id?: string;
  status?: 'error' | 'warning';
};

/**
 * A code of a code table, searchable by code, name and the table's other names: a tree for tree tables
 * (学历, 职务), several codes for 政治面貌 (kept as '01,03' in table order).
 */
export function CodeSelect({ table, multiple, value, onChange, id, status }: Props) {
  const { t } = useI18n();
  const codes = codesOf(value);
  const change = (next: string | string[] | null | undefined) => {
    if (Array.isArray(next)) onChange?.(joinCodes(next, table));
    else onChange?.(next ?? null);
  };
  const common = { id, status, allowClear: true, placeholder: t('staff.searchCode'), style: { width: '100%' } };

  if (table.isTree) {
    return (
      <TreeSelect<string | string[], CodeNode>
        {...common}
        value={multiple ? codes : (codes[0] ?? undefined)}
        onChange={change}
        multiple={multiple}
        treeData={treeOf(table)}
        showSearch={{ filterTreeNode: (input, node) => matches(input, node.search) }}
        popupMatchSelectWidth={false}
        listHeight={360}
      />
    );
  }
  return (
    <Select<string | string[], CodeOption>
      {...common}
      value={multiple ? codes : (codes[0] ?? undefined)}
      onChange={change}
      mode={multiple ? 'multiple' : undefined}
      options={optionsOf(table)}
      showSearch={{ filterOption: (input, option) => matches(input, option?.search) }}
    />
  );
}
