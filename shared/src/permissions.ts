import type { UserRole } from './roles.js';

/** Every route names one of these (or is explicitly public). The console uses the same map to show menus. */
export const PERMISSIONS = [
  'parents.read',
  'parents.write',
  'invitations.send',
  'alerts.read',
  'alerts.write',
  'reports.read',
  'reports.export',
  'organisation.settings.read',
  'organisation.settings.write',
  'organisations.manage',
  'users.manage',
  'audit.read',
  'outbox.read',
  /** Platform operations: the queue view (Bull Board) and its actions. */
  'platform.operate',
  /** Partner API keys and outbound webhooks of the organisation. */
  'integrations.manage',
  /** The referral directory: read by the organisation's professionals (the alert's referral step). */
  'referrals.read',
  /** Keeping the referral directory: org admins their organisation's, coordinators their territory's. */
  'referrals.manage',
  'self',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const PROFESSIONAL: Permission[] = [
  'parents.read',
  'parents.write',
  'invitations.send',
  'alerts.read',
  'alerts.write',
  'organisation.settings.read',
  'outbox.read',
  'referrals.read',
  'self',
];

export const ROLE_PERMISSIONS: Record<UserRole, readonly Permission[]> = {
  professional: PROFESSIONAL,
  org_admin: [
    ...PROFESSIONAL,
    'organisation.settings.write',
    'integrations.manage',
    'users.manage',
    'audit.read',
    'reports.read',
    'reports.export',
    'referrals.manage',
  ],
  // Coordinators see aggregates for their territory, never a named parent; they keep its referral directory.
  coordinator: ['reports.read', 'reports.export', 'referrals.read', 'referrals.manage', 'self'],
  // Platform admins manage organisations and users; reading a named parent needs membership of the organisation.
  platform_admin: [
    'organisations.manage',
    'platform.operate',
    'users.manage',
    'reports.read',
    'reports.export',
    'audit.read',
    'self',
  ],
};

export function roleHasPermission(role: UserRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
