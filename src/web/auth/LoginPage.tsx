import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { BrandMark } from '../shared/BrandMark';
import { login } from './auth-api';
import type { LoginState } from './RequireSession';
import { useSession } from './SessionProvider';

type Credentials = { username: string; password: string };

/** Only same-site paths are followed after signing in. */
function safeTarget(from: string | undefined): string {
  return from && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login') ? from : '/';
}

/** /login: username and password, with the API's reason when it refuses (wrong password, locked, disabled). */
export function LoginPage() {
  const { t, lang } = useI18n();
  const { session, signIn } = useSession();
  const navigate = useNavigate();
  const state = (useLocation().state ?? {}) as LoginState;
  const target = safeTarget(state.from);
  const notice =
    state.reason === 'session_expired' ? t('login.sessionExpired') : state.reason === 'unauthenticated' && state.from ? t('login.signInAgain') : null;
  const mutation = useMutation({
    mutationFn: login,
    onSuccess: (next) => {
      signIn(next);
      navigate(target, { replace: true });
    },
  });

  if (session && !mutation.isPending) return <Navigate to={target} replace />;

  return (
    <div className="rc-login">
      <div className="rc-login-language">
        <LanguageSwitch size="small" />
      </div>
      <Card className="rc-login-card" variant="borderless">
        <div className="rc-login-brand">
          <BrandMark size={48} />
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>{t('app.name')}</Typography.Title>
            <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
          </div>
        </div>
        <Typography.Paragraph type="secondary" className="rc-login-welcome">{t('login.welcome')}</Typography.Paragraph>
        {notice && !mutation.error && <Alert className="rc-login-alert" type="warning" showIcon title={notice} />}
        {mutation.error && (
          <Alert
            className="rc-login-alert"
            type="error"
            showIcon
            title={errorText(mutation.error, lang)}
            data-testid="login-error"
          />
        )}
        <Form<Credentials> layout="vertical" requiredMark={false} onFinish={(values) => mutation.mutate(values)} disabled={mutation.isPending}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} placeholder={t('login.usernamePlaceholder')} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={mutation.isPending}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
      <Typography.Text type="secondary" className="rc-login-footer">{t('login.footer')}</Typography.Text>
    </div>
  );
}
