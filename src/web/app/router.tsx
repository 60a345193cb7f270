import { lazy, Suspense } from 'react';
import { Spin } from 'antd';
import { createBrowserRouter } from 'react-router-dom';
import { RequireSession } from '../auth/RequireSession';
import { AppLayout } from './AppLayout';
import { NotFoundPage } from '../shared/NotFoundPage';

// Pages load on first visit, so the sign-in page does not wait for the tables and forms.
const LoginPage = lazy(() => import('../auth/LoginPage').then((module) => ({ default: module.LoginPage })));
const HomePage = lazy(() => import('../campaign/HomePage').then((module) => ({ default: module.HomePage })));
const UnitPage = lazy(() => import('./UnitPage').then((module) => ({ default: module.UnitPage })));
const AuditPage = lazy(() => import('../audit/AuditPage').then((module) => ({ default: module.AuditPage })));
const AccountsPage = lazy(() => import('../accounts/AccountsPage').then((module) => ({ default: module.AccountsPage })));
const StaffRecordPage = lazy(() => import('../staff/StaffRecordPage').then((module) => ({ default: module.StaffRecordPage })));
const NewStaffPage = lazy(() => import('../staff/NewStaffPage').then((module) => ({ default: module.NewStaffPage })));
const ImportPage = lazy(() => import('../imports/ImportPage').then((module) => ({ default: module.ImportPage })));
const StandardPage = lazy(() => import('../standard/StandardPage').then((module) => ({ default: module.StandardPage })));
const SubmissionPage = lazy(() => import('../packages/SubmissionPage').then((module) => ({ default: module.SubmissionPage })));
const InboxPage = lazy(() => import('../packages/InboxPage').then((module) => ({ default: module.InboxPage })));
const PackagePage = lazy(() => import('../packages/PackagePage').then((module) => ({ default: module.PackagePage })));
const ConflictsPage = lazy(() => import('../conflicts/ConflictsPage').then((module) => ({ default: module.ConflictsPage })));
const SlipsPage = lazy(() => import('../workflow/SlipsPage').then((module) => ({ default: module.SlipsPage })));
const ProgressPage = lazy(() => import('../progress/ProgressPage').then((module) => ({ default: module.ProgressPage })));
const PlanEditorPage = lazy(() => import('../campaign/PlanEditorPage').then((module) => ({ default: module.PlanEditorPage })));
const BulletinsPage = lazy(() => import('../bulletins/BulletinsPage').then((module) => ({ default: module.BulletinsPage })));
const BulletinPage = lazy(() => import('../bulletins/BulletinPage').then((module) => ({ default: module.BulletinPage })));
const BulletinPrintPage = lazy(() => import('../bulletins/BulletinPrintPage').then((module) => ({ default: module.BulletinPrintPage })));
const ConfirmPage = lazy(() => import('../confirm/ConfirmPage').then((module) => ({ default: module.ConfirmPage })));
const WeeklyReportsPage = lazy(() => import('../reports/WeeklyReportsPage').then((module) => ({ default: module.WeeklyReportsPage })));
const ContactsPage = lazy(() => import('../coordination/ContactsPage').then((module) => ({ default: module.ContactsPage })));
const ContactsChildrenPage = lazy(() => import('../coordination/ContactsChildrenPage').then((module) => ({ default: module.ContactsChildrenPage })));
const WorkingGroupPage = lazy(() => import('../coordination/WorkingGroupPage').then((module) => ({ default: module.WorkingGroupPage })));
const ProvinceGroupPage = lazy(() => import('../coordination/WorkingGroupPage').then((module) => ({ default: module.ProvinceGroupPage })));
const HelpdeskPage = lazy(() => import('../helpdesk/HelpdeskPage').then((module) => ({ default: module.HelpdeskPage })));
const QuestionPage = lazy(() => import('../helpdesk/QuestionPage').then((module) => ({ default: module.QuestionPage })));
const ResourcesPage = lazy(() => import('../resources/ResourcesPage').then((module) => ({ default: module.ResourcesPage })));
const FaqPage = lazy(() => import('../helpdesk/FaqPage').then((module) => ({ default: module.FaqPage })));
const WeeklyReportPage = lazy(() => import('../reports/WeeklyReportPage').then((module) => ({ default: module.WeeklyReportPage })));

export const router = createBrowserRouter([
  {
    path: '/login',
    element: (
      <Suspense fallback={<div className="rc-fullscreen-center"><Spin size="large" /></div>}>
        <LoginPage />
      </Suspense>
    ),
  },
  {
    // The staff member's own page: no account, outside the signed-in layout.
    path: '/confirm',
    element: (
      <Suspense fallback={<div className="rc-fullscreen-center"><Spin size="large" /></div>}>
        <ConfirmPage />
      </Suspense>
    ),
  },
  {
    path: '/',
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <HomePage /> },
      { path: 'units/:code', element: <UnitPage /> },
      { path: 'units/:code/staff/new', element: <NewStaffPage /> },
      { path: 'units/:code/import', element: <ImportPage /> },
      { path: 'units/:code/slips', element: <SlipsPage /> },
      { path: 'units/:code/submission', element: <SubmissionPage /> },
      { path: 'units/:code/inbox', element: <InboxPage /> },
      { path: 'units/:code/audit', element: <AuditPage /> },
      { path: 'units/:code/weekly-reports', element: <WeeklyReportsPage /> },
      { path: 'units/:code/weekly-reports/:issue', element: <WeeklyReportPage /> },
      { path: 'units/:code/conflicts', element: <ConflictsPage /> },
      { path: 'units/:code/contacts', element: <ContactsPage /> },
      { path: 'units/:code/contacts/children', element: <ContactsChildrenPage /> },
      { path: 'units/:code/working-group', element: <WorkingGroupPage /> },
      { path: 'working-group/province', element: <ProvinceGroupPage /> },
      { path: 'units/:code/progress', element: <ProgressPage /> },
      { path: 'packages/:id', element: <PackagePage /> },
      { path: 'staff/:id', element: <StaffRecordPage /> },
      { path: 'standard', element: <StandardPage /> },
      { path: 'helpdesk', element: <HelpdeskPage /> },
      { path: 'helpdesk/questions/:id', element: <QuestionPage /> },
      { path: 'faq', element: <FaqPage /> },
      { path: 'resources', element: <ResourcesPage /> },
      { path: 'campaign/plan', element: <PlanEditorPage /> },
      { path: 'bulletins', element: <BulletinsPage /> },
      { path: 'bulletins/:id', element: <BulletinPage /> },
      { path: 'bulletins/:id/print', element: <BulletinPrintPage /> },
      { path: 'accounts', element: <AccountsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
