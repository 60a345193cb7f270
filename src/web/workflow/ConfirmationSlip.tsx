import { useEffect, useState } from 'react';
import dayjs from 'dayjs';
import QRCode from 'qrcode';
import { useI18n } from '../shared/I18nProvider';
import type { IssuedCode } from './workflow-api';

/**
 * The address a slip's QR code opens: the confirmation page with the code filled in. The code rides in the
 * fragment (`#c=`), which browsers never send, so it reaches no server log, proxy or Referer.
 */
export const confirmLink = (code: string) => `${window.location.origin}/confirm#c=${encodeURIComponent(code)}`;

/** One printed slip (确认单): who, the link and its QR code, the one-time code, expiry and what to do. */
export function ConfirmationSlip({ schoolName, slip }: { schoolName: string; slip: IssuedCode }) {
  const { t } = useI18n();
  const link = confirmLink(slip.code);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(link, { margin: 1, width: 360, errorCorrectionLevel: 'M' }).then((url) => live && setQr(url));
    return () => {
      live = false;
    };
  }, [link]);

  return (
    <article className="rc-slip" data-testid="slip" data-staff-id={slip.staffId}>
      <header className="rc-slip-head">
        <div className="rc-slip-title">{t('workflow.slips.title')}</div>
        <div>{schoolName}</div>
      </header>
      <div className="rc-slip-name">{slip.name}</div>
      <div className="rc-slip-body">
        {qr ? <img className="rc-slip-qr" src={qr} alt={link} /> : <div className="rc-slip-qr" />}
        <div className="rc-slip-text">
          <div className="rc-slip-label">{t('workflow.slips.codeLabel')}</div>
          <div className="rc-slip-code" data-testid="slip-code">{slip.code}</div>
          <div>{t('workflow.slips.expires', { date: dayjs(slip.expiresAt).format('YYYY-MM-DD HH:mm') })}</div>
          <div className="rc-slip-link">{link}</div>
        </div>
      </div>
      <p className="rc-slip-instructions">{t('workflow.slips.instructions')}</p>
    </article>
  );
}
