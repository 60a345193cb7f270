import { Tag } from 'antd';
import { useI18n } from '../shared/I18nProvider';
import type { ImportStatus } from './imports-api';

const colors: Record<ImportStatus, string> = { checking: 'processing', previewed: 'gold', committed: 'green', failed: 'red' };
const isImportStatus = (status: string): status is ImportStatus => Object.hasOwn(colors, status);

/** 检查中 / 待确认 / 已导入 / 失败. */
export function ImportStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  if (!isImportStatus(status)) return <Tag>{status}</Tag>;
  return <Tag color={colors[status]}>{t(`staffImport.status.${status}`)}</Tag>;
}
