import { Suspense } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Layout, Menu, Spin, Typography } from 'antd';
import { ApartmentOutlined, BarChartOutlined, BookOutlined, FileTextOutlined, HomeOutlined, InboxOutlined, TeamOutlined } from '@ant-design/icons';
import { Outlet, useLocation, useMatch, useNavigate } from 'react-router-dom';
import { ScheduleOutlined, SoundOutlined } from '@ant-design/icons';
import { AuditOutlined } from '@ant-design/icons';
import { CommentOutlined, NotificationOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { ContactsOutlined, PhoneOutlined, SolutionOutlined, UsergroupAddOutlined } from '@ant-design/icons';
import { useCurrentUser } from '../auth/SessionProvider';
import { campaignQuery, campaignsQuery } from '../campaign/campaign-api';
import { unitQuery } from '../org/unit-queries';
import { isUnitCode } from '../org/units-api';
import { UnitTree } from '../org/UnitTree';
import { AppHeader } from './AppHeader';
import { useI18n } from '../shared/I18nProvider';

/** The signed-in frame: header, a sider with the menu and the unit tree, and the page. */
export function AppLayout() {
  const { t } = useI18n();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const location = useLocation();
  // A unit's own pages (its import, a new record) reveal it in the tree too.
  const unitMatch = useMatch('/units/:code/*');
  const unitCode = unitMatch?.params.code && isUnitCode(unitMatch.params.code) ? unitMatch.params.code : undefined;
  // The same query as the unit page (shared cache): its chain opens the tree down to the unit.
  const unit = useQuery({ ...unitQuery(unitCode ?? ''), enabled: Boolean(unitCode) });

  const section = location.pathname.split('/')[1];
  // 工作安排 for the province's admin, also before any campaign runs (it is where one is made); the other
  // entries follow the session's abilities.
  const campaign = useQuery(campaignQuery);
  const campaigns = useQuery(campaignsQuery);
  const { abilities } = user;
  const campaignMenu = section === 'bulletins' ? 'bulletins' : section === 'campaign' ? 'plan' : undefined;
  const coordinationMenu = location.pathname.endsWith('/contacts') ? 'contacts' : location.pathname.endsWith('/contacts/children') ? 'contactsChildren'
    : location.pathname.endsWith('/working-group') ? 'workingGroup' : section === 'working-group' ? 'provinceGroup' : undefined;
  const inInbox = location.pathname.endsWith('/inbox') || section === 'packages';
  const inProgress = location.pathname.endsWith('/progress');
  const inWeekly = location.pathname.includes('/weekly-reports');
  const inAudit = location.pathname.endsWith('/audit');
  const selectedMenu = inAudit ? 'audit' : inWeekly ? 'weekly' : inProgress ? 'progress' : inInbox ? 'inbox' : section === 'units' || section === 'staff' ? 'units' : section === 'accounts' || section === 'standard' || section === 'helpdesk' || section === 'faq' || section === 'resources' ? section : 'home';
  const census = [
    { key: 'home', icon: <HomeOutlined />, label: t('menu.home'), onClick: () => navigate('/') },
    { key: 'units', icon: <ApartmentOutlined />, label: t('menu.myUnit'), onClick: () => navigate(`/units/${user.unit.code}`) },
    { key: 'progress', icon: <BarChartOutlined />, label: t('progress.menu'), onClick: () => navigate(`/units/${user.unit.code}/progress`) },
    ...(abilities.receivePackages
      ? [{ key: 'inbox', icon: <InboxOutlined />, label: t('inbox.menu'), onClick: () => navigate(`/units/${user.unit.code}/inbox`) }]
      : []),
    ...(abilities.weeklyReports
      ? [{ key: 'weekly', icon: <FileTextOutlined />, label: t('weekly.menu'), onClick: () => navigate(`/units/${user.unit.code}/weekly-reports`) }]
      : []),
  ];
  const coordination = [
    ...(abilities.readBulletins ? [{ key: 'bulletins', icon: <SoundOutlined />, label: t('bulletin.menu'), onClick: () => navigate('/bulletins') }] : []),
    ...(campaign.data?.abilities.editPlan || campaigns.data?.abilities.create ? [{ key: 'plan', icon: <ScheduleOutlined />, label: t('plan.menu'), onClick: () => navigate('/campaign/plan') }] : []),
    // 责任人 for the units that report them, 下级责任人报送 for those that receive them, 工作组 for every level.
    ...(abilities.reportContacts
      ? [{ key: 'contacts', icon: <ContactsOutlined />, label: t('contacts.menu'), onClick: () => navigate(`/units/${user.unit.code}/contacts`) }]
      : []),
    ...(abilities.receiveContacts
      ? [{ key: 'contactsChildren', icon: <PhoneOutlined />, label: t('contacts.childrenMenu'), onClick: () => navigate(`/units/${user.unit.code}/contacts/children`) }]
      : []),
    ...(abilities.reportContacts
      ? [{ key: 'workingGroup', icon: <UsergroupAddOutlined />, label: t('group.menu'), onClick: () => navigate(`/units/${user.unit.code}/working-group`) }]
      : []),
    { key: 'provinceGroup', icon: <SolutionOutlined />, label: t('group.provinceMenu'), onClick: () => navigate('/working-group/province') },
  ];
  const help = [
    { key: 'helpdesk', icon: <CommentOutlined />, label: t('helpdesk.menu'), onClick: () => navigate('/helpdesk') },
    { key: 'faq', icon: <QuestionCircleOutlined />, label: t('faq.menu'), onClick: () => navigate('/faq') },
    { key: 'resources', icon: <NotificationOutlined />, label: t('resources.menu'), onClick: () => navigate('/resources') },
    { key: 'standard', icon: <BookOutlined />, label: t('menu.standard'), onClick: () => navigate('/standard') },
  ];
  const administration = abilities.manageAccounts
    ? [
        { key: 'accounts', icon: <TeamOutlined />, label: t('menu.accounts'), onClick: () => navigate('/accounts') },
        { key: 'audit', icon: <AuditOutlined />, label: t('audit.menu'), onClick: () => navigate(`/units/${user.unit.code}/audit`) },
      ]
    : [];
  // Four headed groups, so that some twenty entries read at a glance; a group with nothing for this account is left out.
  const menuItems = [
    { key: 'census', label: t('menu.groupCensus'), children: census },
    { key: 'coordination', label: t('menu.groupCoordination'), children: coordination },
    { key: 'help', label: t('menu.groupHelp'), children: help },
    { key: 'administration', label: t('menu.groupAdministration'), children: administration },
  ]
    .filter((group) => group.children.length > 0)
    .map((group) => ({ type: 'group' as const, ...group }));

  return (
    <Layout className="rc-shell">
      <AppHeader />
      <Layout>
        <Layout.Sider width={280} theme="light" className="rc-sider">
          <Menu mode="inline" selectedKeys={[coordinationMenu ?? campaignMenu ?? selectedMenu]} items={menuItems} className="rc-menu" data-testid="main-menu" />
          <div className="rc-tree-heading">
            <Typography.Text type="secondary">{t('menu.unitTree')}</Typography.Text>
          </div>
          <div className="rc-tree-scroll">
            <UnitTree
              key={user.unit.code}
              root={user.unit}
              selectedCode={unitCode}
              revealChain={unit.data?.chain.map((link) => link.code)}
            />
          </div>
        </Layout.Sider>
        <Layout.Content className="rc-content">
          <Suspense
            fallback={
              <div className="rc-page-center">
                <Spin />
              </div>
            }
          >
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
