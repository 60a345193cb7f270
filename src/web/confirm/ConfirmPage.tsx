import { useCallback, useEffect, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Result, Skeleton } from 'antd';
import { useLocation, useNavigate } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { CodeEntry } from './CodeEntry';
import { confirmOwnRecord, confirmToken, fetchOwnRecord, sessionLost } from './confirm-api';
import { CorrectionForm } from './CorrectionForm';
import { OwnRecordView } from './OwnRecordView';
import './confirm.css';

type Step = 'record' | 'correct' | 'confirmed' | 'requested';

/** The signed-in part: one's record, then confirm or ask for corrections, then the end screen. */
function OwnRecordSteps({ token, onLost }: { token: string; onLost: (error: unknown) => boolean }) {
  const { t, lang } = useI18n();
  const [step, setStep] = useState<Step>('record');
  const record = useQuery({ queryKey: ['confirm', 'record', token], queryFn: ({ signal }) => fetchOwnRecord(token, signal), retry: false });
  const finish = (done: 'confirmed' | 'requested') => {
    // The code is spent: a reload starts again from the code entry.
    confirmToken.clear();
    setStep(done);
  };
  const confirm = useMutation({ mutationFn: () => confirmOwnRecord(token), onSuccess: () => finish('confirmed'), onError: (error) => void onLost(error) });
  // Outside render: going back to the code entry changes the parent's state.
  useEffect(() => {
    if (record.error) onLost(record.error);
  }, [record.error, onLost]);

  if (step === 'confirmed' || step === 'requested') {
    const confirmed = step === 'confirmed';
    return (
      <Result
        status="success"
        title={t(confirmed ? 'confirm.confirmed' : 'confirm.requested')}
        subTitle={t(confirmed ? 'confirm.confirmedHint' : 'confirm.requestedHint')}
        data-testid="confirm-done"
      />
    );
  }
  if (record.isError) {
    if (sessionLost(record.error)) return null;
    return <Result status="error" title={errorText(record.error, lang)} extra={<Button onClick={() => void record.refetch()}>{t('common.retry')}</Button>} />;
  }
  if (!record.data) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (step === 'correct') {
    return <CorrectionForm token={token} record={record.data} onSent={() => finish('requested')} onBack={() => setStep('record')} onLost={onLost} />;
  }
  return (
    <>
      {confirm.isError && <Alert type="error" showIcon title={errorText(confirm.error, lang)} />}
      <OwnRecordView record={record.data} confirming={confirm.isPending} onConfirm={() => confirm.mutate()} onCorrect={() => setStep('correct')} />
    </>
  );
}

/** The code a slip's link carries: `#c=CODE`, or `?c=CODE` on slips printed before the code moved to the fragment. */
function codeInLink(location: { hash: string; search: string }): string {
  return new URLSearchParams(location.hash.replace(/^#/, '')).get('c') ?? new URLSearchParams(location.search).get('c') ?? '';
}

/**
 * /confirm#c=CODE — the staff member's own page, on their phone, without an account: the code from the
 * printed slip and the ID number's last six characters open their record for this tab only. The code is
 * taken into the form and dropped from the address at once, so it stays in no history entry or bookmark.
 */
export function ConfirmPage() {
  const { t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const [linkCode] = useState(() => codeInLink(location));
  const [token, setToken] = useState(confirmToken.get);
  useEffect(() => {
    if (codeInLink(location)) void navigate(location.pathname, { replace: true });
  }, [location, navigate]);
  const [notice, setNotice] = useState<string | null>(null);

  // A 401 after opening means the session expired or the code is spent: back to the code entry.
  const onLost = useCallback(
    (error: unknown) => {
      if (!sessionLost(error)) return false;
      confirmToken.clear();
      setToken(null);
      setNotice(t('confirm.expired'));
      return true;
    },
    [t],
  );

  return (
    <div className="rc-confirm-page">
      <header className="rc-confirm-header">
        <h1>{t('confirm.title')}</h1>
        <LanguageSwitch size="small" />
      </header>
      <main className="rc-confirm-main">
        {token ? (
          <OwnRecordSteps key={token} token={token} onLost={onLost} />
        ) : (
          <CodeEntry
            initialCode={linkCode}
            notice={notice}
            onOpened={(opened) => {
              confirmToken.set(opened);
              setNotice(null);
              setToken(opened);
            }}
          />
        )}
      </main>
    </div>
  );
}
