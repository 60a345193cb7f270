import { useState } from 'react';
import { App, Button, Card, Input, Result, Space, Spin, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { downloadFile, errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { IssueTableView } from './IssueTableView';
import { ReportStatusTag } from './ReportStatusTag';
import { chinaTime, getWeeklyReport, reportKeys, saveRemarks, signWeeklyReport, submitWeeklyReport, weeklyReportExportUrl, type SignatureStep, type WeeklyReport } from './reports-api';
import './weekly-report.css';

const formTitle = '教职工基础信息采集工作周报表';

/** One issue of the weekly report in the attachment's layout: figures, 备注, the three signatures, submit, export, print. */
export function WeeklyReportPage() {
  const { t, lang } = useI18n();
  const params = useParams();
  const code = params.code ?? '';
  const issueNo = Number(params.issue);
  const report = useQuery({ queryKey: reportKeys.issue(code, issueNo), queryFn: ({ signal }) => getWeeklyReport(code, issueNo, signal) });

  if (report.error) return <Result status="warning" title={errorText(report.error, lang)} />;
  if (!report.data) return <div className="rc-page-center"><Spin /></div>;
  const data = report.data;
  const dataIssue = data.issue.issueNo === 2 || data.issue.issueNo === 3;

  return (
    <div className="rc-page rc-weekly-form" data-testid="weekly-report-page">
      <Space className="rc-no-print" style={{ marginBottom: 12 }} wrap>
        <Link to={`/units/${code}/weekly-reports`}>← {t('weekly.title')}</Link>
        <ReportStatusTag state={data} />
        <Button onClick={() => downloadFile(weeklyReportExportUrl(code, issueNo))} data-testid="weekly-export">{t('weekly.export')}</Button>
        <Button onClick={() => window.print()}>{t('weekly.print')}</Button>
      </Space>
      <Card>
        <div className="rc-weekly-title">{formTitle}</div>
        <div className="rc-weekly-header">
          <span>{data.unit.kind === 'prefecture' ? '市（州）' : '填报单位'}：<strong>{data.unit.name}</strong></span>
          <span>{data.figures.subunitLabel}：<strong>{data.figures.subunitCount}</strong></span>
          <span>{t('weekly.issue', { no: data.issue.issueNo })}（{data.issue.date}）{data.issue.content}</span>
        </div>
        <div className="rc-weekly-header">
          <span>{t('weekly.asOf')}：{chinaTime(data.figures.asOf)}</span>
          {data.figures.live ? (
            <Tag color="orange" data-testid="weekly-live">{t('weekly.live')}</Tag>
          ) : (
            <Tag color="blue" data-testid="weekly-frozen">{Date.parse(data.figures.asOf) < Date.parse(data.issue.dueAt) ? t('weekly.frozenAtSignature') : t('weekly.frozen')}</Tag>
          )}
          <span>{t('weekly.due')}：{chinaTime(data.issue.dueAt)}</span>
        </div>
        <IssueTableView table={data.table} firstHeading={dataIssue ? '学校类型' : '单位'} />
        <Remarks code={code} report={data} />
        <Signatures code={code} report={data} />
      </Card>
    </div>
  );
}

function useRefresh(code: string, issueNo: number) {
  const queryClient = useQueryClient();
  return (next: WeeklyReport) => {
    queryClient.setQueryData(reportKeys.issue(code, issueNo), next);
    return queryClient.invalidateQueries({ queryKey: reportKeys.list(code), exact: true });
  };
}

function Remarks({ code, report }: { code: string; report: WeeklyReport }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [text, setText] = useState(report.remarks ?? '');
  const refresh = useRefresh(code, report.issue.issueNo);
  const signed = report.signatures.some((signature) => signature.signerName);
  const save = useMutation({
    mutationFn: () => saveRemarks(code, report.issue.issueNo, text),
    onSuccess: (next) => void refresh(next).then(() => message.success(next.revoked.length ? t('weekly.remarksRevoked') : t('weekly.remarksSaved'))),
    onError: (error) => message.error(errorText(error, lang)),
  });
  return (
    <div style={{ marginBottom: 16 }}>
      <Typography.Text strong>{t('weekly.remarks')}</Typography.Text>
      <div className="rc-weekly-remarks-edit">
        <Input.TextArea value={text} onChange={(event) => setText(event.target.value)} autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} disabled={!report.abilities.editRemarks} data-testid="weekly-remarks" />
        {report.abilities.editRemarks && (
          <Space style={{ marginTop: 8 }}>
            <Button onClick={() => setText(report.suggestedRemarks)} disabled={!report.suggestedRemarks || text === report.suggestedRemarks} data-testid="weekly-suggest-remarks">{t('weekly.suggestRemarks')}</Button>
            <Button onClick={() => save.mutate()} loading={save.isPending} disabled={text === (report.remarks ?? '')} data-testid="weekly-save-remarks">{t('weekly.saveRemarks')}</Button>
            {signed && <Typography.Text type="warning">{t('weekly.remarksWarning')}</Typography.Text>}
          </Space>
        )}
      </div>
      <div className="rc-weekly-remarks-print">{report.remarks}</div>
    </div>
  );
}

function Signatures({ code, report }: { code: string; report: WeeklyReport }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [name, setName] = useState('');
  const refresh = useRefresh(code, report.issue.issueNo);
  const onError = (error: unknown) => message.error(errorText(error, lang));
  const sign = useMutation({
    mutationFn: (step: SignatureStep) => signWeeklyReport(code, report.issue.issueNo, step, name.trim()),
    onSuccess: (next) => void refresh(next).then(() => { setName(''); message.success(t('weekly.signed')); }),
    onError,
  });
  const submit = useMutation({
    mutationFn: () => submitWeeklyReport(code, report.issue.issueNo),
    onSuccess: (next) => void refresh(next).then(() => message.success(t('weekly.submitted'))),
    onError,
  });
  return (
    <>
      <table className="rc-weekly-signatures" data-testid="weekly-signatures">
        <tbody>
          {report.signatures.map((signature) => (
            <tr key={signature.step} data-testid={`weekly-signature-${signature.step}`}>
              <th>{lang === 'zh' ? signature.label.zh : signature.label.en}</th>
              <td>
                {signature.signerName ? (
                  <Space>
                    <strong>{signature.signerName}</strong>
                    <Typography.Text type="secondary">{signature.signedAt ? chinaTime(signature.signedAt) : ''}</Typography.Text>
                  </Space>
                ) : report.abilities.sign === signature.step ? (
                  <Space className="rc-no-print">
                    <Input placeholder={t('weekly.signerName')} value={name} onChange={(event) => setName(event.target.value)} maxLength={40} style={{ width: 200 }} data-testid="weekly-signer-name" />
                    <Button type="primary" disabled={!name.trim()} loading={sign.isPending} onClick={() => sign.mutate(signature.step)} data-testid="weekly-sign">{t('weekly.sign')}</Button>
                  </Space>
                ) : (
                  <Typography.Text type="secondary" className="rc-no-print">{t('weekly.waiting')}</Typography.Text>
                )}
              </td>
            </tr>
          ))}
          <tr><th>{t('weekly.seal')}</th><td /></tr>
          <tr><th>{t('weekly.date')}</th><td>{report.submittedAt ? chinaTime(report.submittedAt, false) : ''}</td></tr>
        </tbody>
      </table>
      {report.abilities.submit && (
        <Button type="primary" className="rc-no-print" style={{ marginTop: 16 }} loading={submit.isPending} onClick={() => submit.mutate()} data-testid="weekly-submit">{t('weekly.submit')}</Button>
      )}
    </>
  );
}
