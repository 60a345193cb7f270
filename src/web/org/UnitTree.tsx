import { useCallback, useEffect, useMemo, useRef, useState, type Key, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App, Tree, type TreeDataNode } from 'antd';
import { ApartmentOutlined, BankOutlined, EllipsisOutlined, EnvironmentOutlined, FlagOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import type { UnitKind, UnitRef } from '../auth/auth-api';
import { listChildren, unitKeys, type UnitListItem } from './units-api';

/** Children are fetched 200 at a time; a “more” node fetches the next page. */
const pageSize = 200;
const moreKey = (code: string) => `more:${code}`;

type Branch = { items: UnitListItem[]; total: number; pages: number };

const kindIcons: Record<UnitKind, ReactNode> = {
  province: <FlagOutlined />,
  prefecture: <ApartmentOutlined />,
  county: <EnvironmentOutlined />,
  school: <BankOutlined />,
};

/**
 * The unit tree of the sider, rooted at the user's unit. Children load lazily when a node opens (never
 * the whole province), and the ancestors of the unit on screen open so it shows selected.
 */
export function UnitTree({ root, selectedCode, revealChain }: { root: UnitRef; selectedCode?: string; revealChain?: string[] }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [branches, setBranches] = useState<Record<string, Branch>>({});
  const [expandedKeys, setExpandedKeys] = useState<Key[]>(root.kind === 'school' ? [] : [root.code]);
  const [loadingMore, setLoadingMore] = useState<string | null>(null);
  const branchesRef = useRef(branches);
  useEffect(() => {
    branchesRef.current = branches;
  }, [branches]);

  const fetchPage = useCallback(
    (code: string, page: number) =>
      queryClient.fetchQuery({
        queryKey: unitKeys.children(code, { page, pageSize }),
        queryFn: ({ signal }) => listChildren(code, { page, pageSize }, signal),
        staleTime: 60_000,
      }),
    [queryClient],
  );

  const loadBranch = useCallback(
    async (code: string, pages = 1) => {
      const results = await Promise.all(Array.from({ length: pages }, (_unused, index) => fetchPage(code, index + 1)));
      const items = results.flatMap((result) => result.items);
      setBranches((previous) => ({ ...previous, [code]: { items, total: results[results.length - 1].total, pages } }));
    },
    [fetchPage],
  );

  const loadMore = async (code: string) => {
    const branch = branchesRef.current[code];
    if (!branch || loadingMore) return;
    setLoadingMore(code);
    try {
      const next = await fetchPage(code, branch.pages + 1);
      setBranches((previous) => ({
        ...previous,
        [code]: { items: [...previous[code].items, ...next.items], total: next.total, pages: branch.pages + 1 },
      }));
    } catch (error) {
      void message.error(errorText(error, lang));
    } finally {
      setLoadingMore(null);
    }
  };

  // When a school is added or a list imported, the loaded branches are fetched again.
  useEffect(
    () =>
      queryClient.getQueryCache().subscribe((event) => {
        if (event.type !== 'updated' || event.action.type !== 'invalidate') return;
        const [scope, code, part] = event.query.queryKey;
        if (scope !== 'units' || part !== 'children' || typeof code !== 'string') return;
        const branch = branchesRef.current[code];
        if (branch) void loadBranch(code, branch.pages).catch(() => undefined);
      }),
    [queryClient, loadBranch],
  );

  const revealKey = revealChain?.join('/') ?? '';
  useEffect(() => {
    const chain = revealKey ? revealKey.split('/') : [];
    const start = chain.indexOf(root.code);
    if (start < 0) return;
    const ancestors = chain.slice(start, -1);
    setExpandedKeys((previous) => (ancestors.every((code) => previous.includes(code)) ? previous : [...new Set([...previous, ...ancestors])]));
  }, [revealKey, root.code]);

  const treeData = useMemo<TreeDataNode[]>(() => {
    const nodeOf = (unit: { code: string; name: string; kind: UnitKind }, leaf: boolean, schools?: number): TreeDataNode => {
      const branch = branches[unit.code];
      const children = branch ? branch.items.map((item) => nodeOf(item, !item.hasChildren, item.kind === 'school' ? undefined : item.counts.schools)) : undefined;
      if (branch && branch.items.length < branch.total) {
        children?.push({
          key: moreKey(unit.code),
          isLeaf: true,
          icon: <EllipsisOutlined />,
          title: (
            <span className="rc-tree-more">
              {loadingMore === unit.code ? t('app.loading') : t('tree.more', { loaded: branch.items.length, total: branch.total })}
            </span>
          ),
        });
      }
      return {
        key: unit.code,
        isLeaf: leaf,
        icon: kindIcons[unit.kind],
        children,
        title: (
          <span className="rc-tree-title" title={`${unit.name}（${unit.code}）`}>
            <span className="rc-tree-name">{unit.name}</span>
            {schools !== undefined && <span className="rc-tree-count">{t('tree.schoolsCount', { count: schools })}</span>}
          </span>
        ),
      };
    };
    return [nodeOf(root, root.kind === 'school')];
  }, [branches, root, loadingMore, t]);

  return (
    <Tree
      className="rc-unit-tree"
      data-testid="unit-tree"
      showIcon
      blockNode
      treeData={treeData}
      expandedKeys={expandedKeys}
      onExpand={(keys) => setExpandedKeys(keys)}
      selectedKeys={selectedCode ? [selectedCode] : []}
      loadData={async (node) => {
        const key = String(node.key);
        if (key.startsWith('more:') || branchesRef.current[key]) return;
        await loadBranch(key);
      }}
      onSelect={(_keys, info) => {
        const key = String(info.node.key);
        if (key.startsWith('more:')) void loadMore(key.slice('more:'.length));
        else navigate(`/units/${key}`);
      }}
    />
  );
}
