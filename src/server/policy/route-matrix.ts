import type { Role } from '../../contract/roles.ts';
import type { UnitKind } from '../../contract/unit-tree.ts';

/**
 * Who may call each route, one row per `METHOD path` of the OpenAPI document.
 *
 * Every route with a unit or a record in its path first hides what lies outside the caller's subtree: such a
 * caller hears 404 with no data, whatever the row says. Among the callers who see the target, those whose unit
 * kind is in `levels` and whose role is in `roles` are allowed; the others hear 403. With a path id, `levels`
 * name units on the target's chain (`target` itself or above it); routes without one act on the caller's own
 * unit (or on a unit given in the query or body, scoped the same way).
 * `route-matrix.test.ts` calls every route as every role at every level and checks it against this table.
 * `school` is a school under a county (中小学、中职、特教); `university` a 高等学校, which reports to the province.
 * A school's admin runs its plan tasks, its accounts and (a university's) attachment 2; its records and
 * packages are its operator's (人事专干), never its admin's.
 */
export type Level = 'province' | 'prefecture' | 'county' | 'school' | 'university';

export type RouteRule =
  /** No session needed. */
  | { public: true; note?: string }
  /** Opened by the confirmation token a staff member receives, never by an account's session. */
  | { confirmationToken: true; note?: string }
  | {
      /** The unit the path names (its `code`, or the unit that holds the record in the path). */
      target?: UnitKind;
      /** Who sees the record when it is not simply the target's subtree and chain above. */
      seenBy?: Level[];
      /** Seen across the province, not only on the target's chain (bulletins). */
      provinceWide?: true;
      levels: Level[];
      roles: Role[];
      /** The route answers 404 to an allowed caller when the thing it names does not exist yet. */
      mayBeAbsent?: string;
      note?: string;
    };

const everyone: Role[] = ['admin', 'operator', 'leader', 'viewer'];
const admins: Role[] = ['admin'];
/** 填表人: the unit's admin or its operator. */
const clerks: Role[] = ['admin', 'operator'];
/** A school's records: its 人事专干 only. */
const recordKeepers: Role[] = ['operator'];
const allLevels: Level[] = ['province', 'prefecture', 'county', 'school', 'university'];
const countyAndAbove: Level[] = ['province', 'prefecture', 'county'];

const signedIn = { levels: allLevels, roles: everyone } as const;
/** Anyone whose subtree holds the target. */
const sees = (target: UnitKind, extra: { mayBeAbsent?: string; note?: string } = {}): RouteRule => ({ target, levels: allLevels, roles: everyone, ...extra });
/** The target unit's own accounts of these roles. */
const own = (target: UnitKind, roles: Role[], extra: { mayBeAbsent?: string; note?: string } = {}): RouteRule => ({ target, levels: [target], roles, ...extra });
/** Admins of the target unit or any unit above it. */
const adminAtOrAbove = (target: UnitKind): RouteRule => ({ target, levels: allLevels.slice(0, allLevels.indexOf(target) + 1), roles: admins });
/** A school's own records: its operator. */
const schoolRecords = (extra: { mayBeAbsent?: string; note?: string } = {}): RouteRule => own('school', recordKeepers, extra);
const provinceAdmin = { levels: ['province'], roles: admins } satisfies RouteRule;

/** Staff records, imports, packages, conflicts and unlock requests belong to a school unless a row says otherwise. */
export const routeMatrix: Record<string, RouteRule> = {
  'GET /api/health': { public: true },
  'POST /api/auth/login': { public: true },
  'POST /api/auth/logout': { ...signedIn, note: 'own session' },
  'GET /api/auth/me': signedIn,
  'POST /api/auth/password': { ...signedIn, note: 'own password' },

  'GET /api/units/{code}': sees('county'),
  'GET /api/units/{code}/children': sees('county'),
  'GET /api/units/{code}/schools': sees('county'),
  'POST /api/schools': { levels: countyAndAbove, roles: admins, note: 'the county in the body is scoped' },
  'GET /api/schools/import-template': signedIn,
  'POST /api/schools/import': { levels: countyAndAbove, roles: admins, note: 'each row\'s county is checked against the caller\'s subtree' },
  'GET /api/schools/{code}': sees('school'),
  // A school's register (name, type, county, expected staff) is kept by the levels above, not by the school.
  'PATCH /api/schools/{code}': { target: 'school', levels: countyAndAbove, roles: admins },
  // 撤销、合并: an admin of a level above the school, never the school itself.
  'POST /api/schools/{code}/close': { target: 'school', levels: countyAndAbove, roles: admins },
  'POST /api/schools/{code}/merge': { target: 'school', levels: countyAndAbove, roles: admins },

  // A school's or university's admin manages its own unit's operator, leader and viewer accounts.
  'GET /api/accounts': { levels: allLevels, roles: admins, note: 'accounts of the own subtree' },
  'POST /api/accounts': { levels: allLevels, roles: admins, note: 'the unit in the body is scoped' },
  'GET /api/accounts/{accountId}': adminAtOrAbove('school'),
  'PATCH /api/accounts/{accountId}': adminAtOrAbove('school'),
  'POST /api/accounts/{accountId}/reset-password': adminAtOrAbove('school'),
  'POST /api/accounts/{accountId}/unlock': adminAtOrAbove('school'),
  // 学校账号: the units in the body (or the query) are scoped like a path's; the credentials of a unit's subtree.
  'GET /api/units/{code}/credentials': adminAtOrAbove('county'),
  'POST /api/accounts/bulk-reset': { levels: allLevels, roles: admins, mayBeAbsent: 'a listed unit that does not exist', note: 'each listed unit is scoped' },
  'POST /api/accounts/bulk-unlock': { levels: allLevels, roles: admins, note: 'each listed unit is scoped' },
  'GET /api/accounts/export': { levels: allLevels, roles: admins, note: 'accounts of the own subtree' },

  'GET /api/campaigns/current': signedIn,
  'PUT /api/campaigns/current/plan': provinceAdmin,
  'GET /api/campaigns': signedIn,
  'POST /api/campaigns': provinceAdmin,
  // A campaign is the province's, read across it: no unit in the path scopes it.
  'GET /api/campaigns/{campaignId}': { provinceWide: true, seenBy: allLevels, levels: allLevels, roles: everyone },
  'POST /api/campaigns/{campaignId}/start': { ...provinceAdmin, provinceWide: true, seenBy: allLevels },
  'POST /api/campaigns/{campaignId}/close': { ...provinceAdmin, provinceWide: true, seenBy: allLevels },
  'PUT /api/campaigns/{campaignId}/plan': { ...provinceAdmin, provinceWide: true, seenBy: allLevels },
  'GET /api/units/{code}/tasks': sees('county'),
  'GET /api/units/{code}/tasks/overdue-children': sees('county'),
  'GET /api/units/{code}/tasks/schools': sees('county'),
  // A school's own manual task (培训): the school's admin (its operator where it has no admin: the test's school
  // has one), or its county on its behalf (代为标记). A county's or a higher level's tasks: its own admin only.
  'POST /api/units/{code}/tasks/{taskKey}/done': { target: 'school', levels: ['county', 'school'], roles: admins, note: 'the school itself, or on its behalf the unit it reports to' },
  'DELETE /api/units/{code}/tasks/{taskKey}/done': { target: 'school', levels: ['county', 'school'], roles: admins, mayBeAbsent: 'the task is not marked done', note: 'the school itself, or on its behalf the unit it reports to' },
  'POST /api/units/{code}/tasks/{taskKey}/file': { target: 'school', levels: ['county', 'school'], roles: admins, note: 'the school itself, or on its behalf the unit it reports to' },
  'GET /api/units/{code}/tasks/{taskKey}/file': sees('school', { mayBeAbsent: 'no file uploaded' }),

  'GET /api/schools/{code}/staff': sees('school'),
  'POST /api/schools/{code}/staff': schoolRecords(),
  // The school's own steps (send for confirmation, confirm on paper, approve, return): its operator.
  'POST /api/schools/{code}/staff/transitions': schoolRecords(),
  'GET /api/schools/{code}/staff/summary': sees('school'),
  'GET /api/schools/{code}/template': sees('school'),
  'GET /api/staff/{staffId}': sees('school'),
  'PATCH /api/staff/{staffId}': schoolRecords(),
  'DELETE /api/staff/{staffId}': schoolRecords(),
  'POST /api/staff/{staffId}/reveal': { target: 'school', levels: countyAndAbove, roles: ['admin', 'operator', 'leader'], note: 'the school sees full ID numbers already' },
  'POST /api/staff/{staffId}/transitions': schoolRecords(),
  'GET /api/staff/{staffId}/history': sees('school'),
  'GET /api/staff/{staffId}/corrections': sees('school'),
  'POST /api/corrections/{correctionId}/accept': schoolRecords(),
  'POST /api/corrections/{correctionId}/reject': schoolRecords(),
  'POST /api/schools/{code}/confirmation-codes': schoolRecords(),

  'POST /api/schools/{code}/imports': schoolRecords(),
  'GET /api/schools/{code}/imports': sees('school'),
  'GET /api/imports/{importId}': sees('school'),
  'GET /api/imports/{importId}/issues': sees('school'),
  'GET /api/imports/{importId}/rows': sees('school'),
  'GET /api/imports/{importId}/annotated': schoolRecords({ mayBeAbsent: 'no annotated workbook yet' }),
  'GET /api/imports/{importId}/original': schoolRecords({ mayBeAbsent: 'no original file stored' }),
  'POST /api/imports/{importId}/commit': schoolRecords(),
  'GET /api/units/{code}/export': sees('county'),

  'POST /api/confirm/session': { public: true, note: 'a code and an ID suffix open one record' },
  'GET /api/confirm/record': { confirmationToken: true },
  'POST /api/confirm/confirm': { confirmationToken: true },
  'POST /api/confirm/corrections': { confirmationToken: true },

  'GET /api/units/{code}/submission': sees('county'),
  'POST /api/units/{code}/signoff': own('county', ['leader']),
  'POST /api/units/{code}/packages': own('county', clerks),
  'GET /api/units/{code}/inbox': sees('county'),
  'GET /api/packages/{packageId}': sees('school'),
  'GET /api/packages/{packageId}/items': sees('school'),
  'GET /api/packages/{packageId}/changes': sees('school'),
  // The school's package is received by its county. The school sees its package, so deciding it is refused (403).
  'POST /api/packages/{packageId}/approve': { target: 'school', levels: ['county'], roles: clerks, note: 'the receiving unit' },
  'POST /api/packages/{packageId}/return': { target: 'school', levels: ['county'], roles: clerks, note: 'the receiving unit' },
  'POST /api/packages/{packageId}/reopen': { target: 'school', levels: countyAndAbove, roles: admins, note: 'the receiving unit or above' },
  'GET /api/units/{code}/national-export': own('province', clerks),
  'POST /api/units/{code}/unlock-requests': own('county', clerks),
  'GET /api/units/{code}/unlock-requests': sees('county'),
  // The school's unlock request is decided by its county; the school sees its request, so deciding it is refused (403).
  'POST /api/unlock-requests/{unlockId}/grant': { target: 'school', levels: ['county'], roles: clerks, note: 'the receiving unit' },
  'POST /api/unlock-requests/{unlockId}/refuse': { target: 'school', levels: ['county'], roles: clerks, note: 'the receiving unit' },

  'GET /api/units/{code}/conflicts': sees('county'),
  // The test's conflict is held and claimed by the same school.
  'POST /api/conflicts/{conflictId}/release': schoolRecords(),
  'POST /api/conflicts/{conflictId}/withdraw': schoolRecords(),

  'GET /api/notifications': { ...signedIn, note: 'own unit\'s' },
  'POST /api/notifications/read': { ...signedIn, note: 'own unit\'s' },
  'GET /api/units/{code}/audit': adminAtOrAbove('county'),
  'GET /api/units/{code}/audit/export': adminAtOrAbove('county'),
  'GET /api/units/{code}/progress': sees('county'),
  'GET /api/units/{code}/progress/trend': sees('county'),

  'GET /api/bulletins': { levels: ['province', 'prefecture', 'university'], roles: everyone },
  'POST /api/bulletins': provinceAdmin,
  'GET /api/bulletins/{bulletinId}': { target: 'province', seenBy: ['province', 'prefecture', 'university'], provinceWide: true, levels: allLevels, roles: everyone },
  'PATCH /api/bulletins/{bulletinId}': { target: 'province', seenBy: ['province', 'prefecture', 'university'], provinceWide: true, ...provinceAdmin },
  'DELETE /api/bulletins/{bulletinId}': { target: 'province', seenBy: ['province', 'prefecture', 'university'], provinceWide: true, ...provinceAdmin },
  'POST /api/bulletins/{bulletinId}/publish': { target: 'province', seenBy: ['province', 'prefecture', 'university'], provinceWide: true, ...provinceAdmin },
  'GET /api/bulletins/{bulletinId}/export': { target: 'province', seenBy: ['province', 'prefecture', 'university'], provinceWide: true, levels: allLevels, roles: everyone },

  'GET /api/units/{code}/weekly-reports': sees('county'),
  'GET /api/units/{code}/weekly-reports/{issue}': sees('county'),
  'PUT /api/units/{code}/weekly-reports/{issue}/remarks': own('county', clerks),
  'POST /api/units/{code}/weekly-reports/{issue}/signatures': own('county', ['admin', 'operator', 'leader'], { note: '填表人, 责任部门负责人 (admin), 主管局领导 (leader)' }),
  'POST /api/units/{code}/weekly-reports/{issue}/submit': own('county', clerks),
  'GET /api/units/{code}/weekly-reports/{issue}/export': sees('county'),
  'GET /api/units/{code}/weekly-reports/{issue}/received': sees('county'),
  'GET /api/units/{code}/weekly-reports/{issue}/received/export': sees('county'),

  // The test's question is asked by the school and held in its county's queue.
  'POST /api/units/{code}/questions': own('county', clerks),
  'GET /api/questions': { ...signedIn, note: 'own unit\'s questions and queue' },
  'GET /api/questions/{questionId}': { target: 'school', seenBy: ['county', 'school'], levels: allLevels, roles: everyone, note: 'the asking unit and the units it has passed through' },
  'POST /api/questions/{questionId}/answer': { target: 'school', seenBy: ['county', 'school'], levels: ['county'], roles: clerks },
  'POST /api/questions/{questionId}/escalate': { target: 'school', seenBy: ['county', 'school'], levels: ['county'], roles: clerks },
  'POST /api/questions/{questionId}/faq': { target: 'school', seenBy: ['county', 'school'], levels: ['county'], roles: clerks },
  'POST /api/questions/{questionId}/close': { target: 'school', seenBy: ['county', 'school'], levels: ['school'], roles: clerks },
  'POST /api/questions/{questionId}/follow-up': { target: 'school', seenBy: ['county', 'school'], levels: ['school'], roles: clerks },
  'POST /api/questions/{questionId}/attachments': { target: 'school', seenBy: ['county', 'school'], levels: ['county', 'school'], roles: clerks },
  'GET /api/question-attachments/{attachmentId}': { target: 'school', seenBy: ['county', 'school'], levels: allLevels, roles: everyone },
  'GET /api/faq': { ...signedIn, note: 'the own chain and subtree' },
  'GET /api/units/{code}/helpdesk-figures': sees('county'),

  'GET /api/resources': { ...signedIn, note: 'the own chain' },
  'POST /api/units/{code}/announcements': own('county', admins),
  'POST /api/units/{code}/library': own('county', admins),
  // The test's library file belongs to the county: its schools read it too.
  'GET /api/library-files/{fileId}': { target: 'county', seenBy: allLevels, levels: allLevels, roles: everyone },
  'DELETE /api/library-files/{fileId}': { target: 'county', seenBy: allLevels, levels: ['county'], roles: admins, note: 'the uploading unit\'s admin' },
  'DELETE /api/faq/{faqId}': { target: 'county', seenBy: allLevels, levels: ['county'], roles: clerks, note: 'the publishing unit\'s admin or operator' },
  'DELETE /api/announcements/{announcementId}': { target: 'county', seenBy: allLevels, levels: ['county'], roles: admins, note: 'the publishing unit\'s admin' },

  'GET /api/units/{code}/contacts': sees('county'),
  'PUT /api/units/{code}/contacts': own('county', admins),
  'GET /api/units/{code}/contacts/children': sees('county'),
  'GET /api/units/{code}/contacts/export': sees('county'),
  'GET /api/units/{code}/working-group': sees('county'),
  'PUT /api/units/{code}/working-group': own('county', admins),
  'GET /api/working-group/province': signedIn,
};
