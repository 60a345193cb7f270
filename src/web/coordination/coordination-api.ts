import { apiRequest, apiUrl, type Messages } from '../shared/api-client';
import { contactRoles, personFields, type ChildrenContacts, type ContactRole, type Contacts, type ContactsBody, type GroupMember, type PersonField, type UnitContacts, type WorkingGroup } from '../../contract/coordination.schema';

export { contactRoles, groupRoles, personFields } from '../../contract/coordination.schema';
export type {
  ChildContacts,
  ChildrenContacts,
  ContactPerson,
  ContactRole,
  Contacts,
  CoordinationUnit,
  GroupMember,
  GroupRole,
  PersonField,
  UnitContacts,
  WorkingGroup,
} from '../../contract/coordination.schema';
/** PUT /api/units/{code}/contacts */
export type ContactsInput = ContactsBody;

const unitBase = (code: string) => `/api/units/${encodeURIComponent(code)}`;

export const coordinationKeys = {
  contacts: (code: string) => ['contacts', code] as const,
  children: (code: string) => ['contacts', code, 'children'] as const,
  group: (code: string) => ['working-group', code] as const,
  provinceGroup: ['working-group', 'province'] as const,
};

export const getContacts = (code: string, signal?: AbortSignal) => apiRequest<UnitContacts>(`${unitBase(code)}/contacts`, { signal });
export const reportContacts = (code: string, body: ContactsInput) => apiRequest<Contacts>(`${unitBase(code)}/contacts`, { method: 'PUT', body });
export const getChildrenContacts = (code: string, signal?: AbortSignal) => apiRequest<ChildrenContacts>(`${unitBase(code)}/contacts/children`, { signal });
export const contactsExportUrl = (code: string) => apiUrl(`${unitBase(code)}/contacts/export`);
export const getWorkingGroup = (code: string, signal?: AbortSignal) => apiRequest<WorkingGroup>(`${unitBase(code)}/working-group`, { signal });
export const getProvinceGroup = (signal?: AbortSignal) => apiRequest<WorkingGroup>('/api/working-group/province', { signal });
export const saveWorkingGroup = (code: string, members: GroupMember[], version: string) =>
  apiRequest<WorkingGroup>(`${unitBase(code)}/working-group`, { method: 'PUT', body: { members, version } });

/** The server's findings (`details: [{ field: 'liaison.mobile', messages }]`) as antd field paths and texts. */
export function fieldFindings(details: unknown, lang: 'zh' | 'en'): { name: (string | number)[]; errors: string[] }[] {
  if (!Array.isArray(details)) return [];
  return details
    .filter((detail): detail is { field: string; messages?: Messages; message?: string } => typeof detail?.field === 'string')
    .map((detail) => ({
      name: detail.field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
      errors: [detail.messages?.[lang] ?? detail.message ?? ''],
    }));
}

/** A finding's path as a field of the contacts form: the department, or one person's column. */
export function contactsFieldName(path: (string | number)[]): ['department'] | [ContactRole, PersonField] | undefined {
  if (path.length === 1 && path[0] === 'department') return ['department'];
  const role = contactRoles.find((known) => known === path[0]);
  const field = personFields.find((known) => known === path[1]);
  return path.length === 2 && role && field ? [role, field] : undefined;
}

const memberFields = ['role', 'name', 'post', 'phone'] as const;

/** A finding's path as a field of the working group form: the whole list, or one member's column. */
export function groupFieldName(path: (string | number)[]): ['members'] | ['members', number, keyof GroupMember] | undefined {
  if (path.length === 1 && path[0] === 'members') return ['members'];
  const [list, index, key] = path;
  const field = memberFields.find((known) => known === key);
  return path.length === 3 && list === 'members' && typeof index === 'number' && field ? ['members', index, field] : undefined;
}

export { chinaDateTime } from '../../standard/normalize.ts';
