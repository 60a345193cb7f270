import { accountsMessages } from './accounts.messages';
import { auditMessages } from './audit.messages';
import { authMessages } from './auth.messages';
import { campaignMessages } from './campaign.messages';
import { bulletinsMessages } from './bulletins.messages';
import { confirmMessages } from './confirm.messages';
import { importsMessages } from './imports.messages';
import { conflictsMessages } from './conflicts.messages';
import { coordinationMessages } from './coordination.messages';
import { notificationsMessages } from './notifications.messages';
import { helpdeskMessages } from './helpdesk.messages';
import { resourcesMessages } from './resources.messages';
import { orgMessages } from './org.messages';
import { packagesMessages } from './packages.messages';
import { progressMessages } from './progress.messages';
import { reportsMessages } from './reports.messages';
import { staffMessages } from './staff.messages';
import { standardMessages } from './standard.messages';
import { workflowMessages } from './workflow.messages';
import { appMessages } from './app.messages';

export type Lang = 'zh' | 'en';

/** Every UI string, Chinese first; each domain keeps its own strings beside its code. */
export const dictionary = {
  zh: {
    ...appMessages.zh,
    ...authMessages.zh,
    ...orgMessages.zh,
    ...accountsMessages.zh,
    ...auditMessages.zh,
    ...campaignMessages.zh,
    ...bulletinsMessages.zh,
    ...staffMessages.zh,
    ...importsMessages.zh,
    ...standardMessages.zh,
    ...workflowMessages.zh,
    ...confirmMessages.zh,
    ...packagesMessages.zh,
    ...progressMessages.zh,
    ...reportsMessages.zh,
    ...conflictsMessages.zh,
    ...notificationsMessages.zh,
    ...helpdeskMessages.zh,
    ...resourcesMessages.zh,
    ...coordinationMessages.zh,
  },
  en: {
    ...appMessages.en,
    ...authMessages.en,
    ...orgMessages.en,
    ...accountsMessages.en,
    ...auditMessages.en,
    ...campaignMessages.en,
    ...bulletinsMessages.en,
    ...staffMessages.en,
    ...importsMessages.en,
    ...standardMessages.en,
    ...workflowMessages.en,
    ...confirmMessages.en,
    ...packagesMessages.en,
    ...progressMessages.en,
    ...reportsMessages.en,
    ...conflictsMessages.en,
    ...notificationsMessages.en,
    ...helpdeskMessages.en,
    ...resourcesMessages.en,
    ...coordinationMessages.en,
  },
};

export type MessageKey = keyof typeof dictionary.zh;

/** True when a key built at run time (`audit.action.${action}`) names a message. */
export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(dictionary.zh, key);
export type MessageVars = Record<string, string | number>;

/** Looks a string up and fills its `{name}` placeholders. */
export function translate(lang: Lang, key: MessageKey, vars?: MessageVars): string {
  const text: string = dictionary[lang][key] ?? dictionary.zh[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
