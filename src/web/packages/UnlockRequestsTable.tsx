import { useState } from 'react';
import { App, Button, Space, Table, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { ReasonModal } from '../workflow/ReasonModal';
import { grantUnlock, listUnlockRequests, packageKeys, refuseUnlock, type UnlockRequest } from './packages-api';

const statusColors: Record<UnlockRequest['status'], string> = { pending: 'gold', granted: 'green', refused: 'red' };

/** The unlock requests (解锁申请) of the units reporting here, granted or refused by the parent. */
export function UnlockRequestsTable({ unitCode }: { unitCode: string }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [refusing, setRefusing] = useState<UnlockRequest | null>(null);
  const requests = useQuery({ queryKey: packageKeys.unlocks(unitCode), queryFn: ({ signal }) => listUnlockRequests(unitCode, signal) });
  const decide = useMutation({
    mutationFn: ({ id, answer, grant }: { id: number; answer?: string; grant: boolean }) => (grant ? grantUnlock(id, answer) : refuseUnlock(id, answer ?? '')),
    onSuccess: () => {
      setRefusing(null);
      void message.success(t('unlock.done'));
      void queryClient.invalidateQueries({ queryKey: packageKeys.unlocks(unitCode) });
    },
    onError: (error) => void message.error(errorText(error, lang)),
  });

  return (
    <>
      <Table
        rowKey="id"
        size="small"
        loading={requests.isLoading}
        dataSource={requests.data?.items ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t('unlock.empty') }}
        data-testid="unlock-requests"
        columns={[
          { title: t('unlock.unit'), dataIndex: 'unitName' },
          { title: t('unlock.reason'), dataIndex: 'reason' },
          { title: t('unlock.status'), dataIndex: 'status', width: 100, render: (status: UnlockRequest['status']) => <Tag color={statusColors[status]}>{t(`unlock.status.${status}`)}</Tag> },
          { title: t('unlock.answer'), dataIndex: 'answer', render: (answer: string | null) => answer ?? t('common.none') },
          { title: t('unlock.expiresAt'), dataIndex: 'expiresAt', width: 150, render: (at: string | null) => (at ? dayjs(at).format('YYYY-MM-DD HH:mm') : t('common.none')) },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 150,
            render: (_: unknown, row: UnlockRequest) =>
              row.abilities.decide && (
                <Space>
                  <Button size="small" type="link" onClick={() => decide.mutate({ id: row.id, grant: true })}>{t('unlock.grant')}</Button>
                  <Button size="small" type="link" danger onClick={() => setRefusing(row)}>{t('unlock.refuse')}</Button>
                </Space>
              ),
          },
        ]}
      />
      <ReasonModal
        title={t('unlock.refuse')}
        open={refusing !== null}
        loading={decide.isPending}
        onCancel={() => setRefusing(null)}
        onSubmit={(answer) => refusing && decide.mutate({ id: refusing.id, answer, grant: false })}
      />
    </>
  );
}
