/** 角色: what an account may do within its unit. */
export const roles = ['admin', 'operator', 'leader', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '管理员', en: 'Administrator' },
  operator: { zh: '操作员（人事专干）', en: 'Operator' },
  leader: { zh: '负责人', en: 'Leader' },
  viewer: { zh: '查看者', en: 'Viewer' },
};
