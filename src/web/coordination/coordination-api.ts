import { apiRequest, apiUrl, type Messages } from '../shared/api-client';

export type ContactRole = 'leader' | 'head' | 'liaison';
export const contactRoles: ContactRole[] = ['leader', 'head', 'liaison'];
export type PersonField = 'name' | 'title' | 'officePhone' | 'mobile' | 'email';
export const personFields: PersonField[] = ['name', 'title', 'officePhone', 'mobile', 'email'];
export type ContactPerson = Record<PersonField, string>;
export type Contacts = { department: string; reportedAt: string; version: number } & Record<ContactRole, ContactPerson>;
export type ContactsInput = { department: string; version?: number } & Record<ContactRole, ContactPerson>;
export type CoordinationUnit = { code: string; name: string; kind: string; schoolType: string | null };

/** GET /api/units/{code}/contacts */
export type UnitContacts = {
  unit: CoordinationUnit;
  reports: boolean;
  due: string | null;
  deadline: 'open' | 'due_soon' | 'late' | null;
  contacts: Contacts | null;
  phonesMasked: boolean;
  canEdit: boolean;
  form: { title: string; header: string[]; roles: string[]; columns: string[] };
};

export type ChildContacts = {
  unit: CoordinationUnit;
  due: string | null;
  deadline: 'open' | 'due_soon' | 'late' | null;
  reported: boolean;
  reportedAt: string | null;
  late: boolean;
  contacts: Contacts | null;
};

export type ChildrenContacts = { unit: CoordinationUnit; reported: number; missing: number; phonesMasked: boolean; items: ChildContacts[] };

export type GroupRole = 'leader' | 'deputy' | 'member';
export const groupRoles: GroupRole[] = ['leader', 'deputy', 'member'];
export type GroupMember = { role: GroupRole; name: string; post: string; phone: string };
export type WorkingGroup = {
  unit: CoordinationUnit;
  members: (GroupMember & { roleLabel: Messages })[];
  version: string;
  phonesMasked: boolean;
  canEdit: boolean;
  form: { title: string; roles: string[]; columns: string[]; provinceMemberPosts: string[]; office: string; rule: string };
};

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

export { chinaDateTime } from '../../standard/normalize.ts';
