import { useMemo, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Input, Select, Typography } from 'antd';
import { fieldByKey, type FieldKey } from '../../standard/index.ts';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { findingsOf } from '../staff/staff-api';
import { formState, type FormValues } from '../staff/staff-form-model';
import { FindingList } from '../staff/StaffFormFields';
import { StaffFieldInput } from '../staff/StaffFieldInput';
import { requestCorrections, type OwnRecord } from './confirm-api';

type Props = { token: string; record: OwnRecord; onSent: () => void; onBack: () => void; onLost: (error: unknown) => boolean };

/** 申请更正: the person picks the wrong items, gives each its new value and a note; the standard checks as they type. */
export function CorrectionForm({ token, record, onSent, onBack, onLost }: Props) {
  const { t, lang } = useI18n();
  const schoolType = record.schoolType;
  const original = useMemo(() => {
    const values: FormValues = {};
    for (const field of record.fields) values[field.key] = field.value;
    return values;
  }, [record]);
  const [picked, setPicked] = useState<FieldKey[]>([]);
  const [edits, setEdits] = useState<FormValues>({});
  const [notes, setNotes] = useState<Partial<Record<FieldKey, string>>>({});
  const [tried, setTried] = useState(false);
  const state = useMemo(() => formState({ ...original, ...edits }, schoolType, new Date()), [original, edits, schoolType]);
  const findingsOfField = (key: FieldKey) => state.findings.filter((finding) => finding.field === key);
  const unchanged = picked.filter((key) => (state.values[key] ?? null) === (original[key] ?? null));
  const errors = picked.flatMap(findingsOfField).filter((finding) => finding.severity === 'error');

  const send = useMutation({
    mutationFn: () =>
      requestCorrections(
        token,
        picked.map((key) => ({ field: key, value: state.values[key] ?? null, note: notes[key]?.trim() || undefined })),
      ),
    onSuccess: onSent,
    onError: (error) => void onLost(error),
  });
  const serverFindings = findingsOf(send.error);
  const submit = () => {
    setTried(true);
    if (picked.length === 0 || unchanged.length > 0 || errors.length > 0) return;
    send.mutate();
  };
  const label = (key: FieldKey) => (lang === 'en' ? fieldByKey[key].labelEn : fieldByKey[key].label);

  return (
    <div className="rc-confirm-card" data-testid="confirm-correction">
      <Typography.Text strong>{t('confirm.pickFields')}</Typography.Text>
      <Select<FieldKey[]>
        mode="multiple"
        size="large"
        value={picked}
        onChange={setPicked}
        optionFilterProp="label"
        options={record.fields.map((field) => ({ value: field.key, label: lang === 'en' ? field.labelEn : field.label }))}
        style={{ width: '100%' }}
        data-testid="confirm-pick"
      />
      {picked.map((key) => {
        const own = record.fields.find((field) => field.key === key);
        const findings = findingsOfField(key);
        const status = findings.some((finding) => finding.severity === 'error') ? 'error' : findings.length > 0 ? 'warning' : undefined;
        return (
          <div key={key} className="rc-confirm-edit" data-testid={`confirm-edit-${key}`}>
            <Typography.Text strong>{label(key)}</Typography.Text>
            <Typography.Text type="secondary">{t('confirm.current', { value: own?.display || t('common.none') })}</Typography.Text>
            <label htmlFor={`confirm-${key}`}>{t('confirm.newValue')}</label>
            <StaffFieldInput
              id={`confirm-${key}`}
              field={fieldByKey[key]}
              schoolType={schoolType}
              required={state.required.has(key)}
              value={edits[key] ?? original[key] ?? null}
              onChange={(value) => setEdits((previous) => ({ ...previous, [key]: value }))}
              status={status}
            />
            {findings.length > 0 && <FindingList findings={findings} />}
            {tried && unchanged.includes(key) && <div className="rc-finding-error">{t('confirm.unchanged')}</div>}
            <label htmlFor={`confirm-note-${key}`}>{t('confirm.note')}</label>
            <Input
              id={`confirm-note-${key}`}
              size="large"
              placeholder={t('confirm.notePlaceholder')}
              value={notes[key] ?? ''}
              maxLength={200}
              onChange={(event) => setNotes((previous) => ({ ...previous, [key]: event.target.value }))}
            />
          </div>
        );
      })}
      {tried && picked.length === 0 && <Alert type="warning" showIcon title={t('confirm.nothing')} />}
      {tried && errors.length > 0 && <Alert type="error" showIcon title={t('confirm.fixErrors', { count: errors.length })} />}
      {serverFindings && <FindingList findings={serverFindings} />}
      {send.isError && !serverFindings && <Alert type="error" showIcon title={errorText(send.error, lang)} />}
      <div className="rc-confirm-actions">
        <Button type="primary" block size="large" loading={send.isPending} onClick={submit} data-testid="confirm-submit">
          {t('confirm.submit')}
        </Button>
        <Button block size="large" onClick={onBack}>{t('confirm.back')}</Button>
      </div>
    </div>
  );
}
