/** Who a console user is. Coordinators see aggregates only; platform admins manage organisations. */
export const USER_ROLES = ['professional', 'org_admin', 'coordinator', 'platform_admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** The parent's role changes the EPDS thresholds (fathers score lower). */
export const PARENT_ROLES = ['mother', 'father', 'co_parent'] as const;
export type ParentRole = (typeof PARENT_ROLES)[number];

export const ORGANISATION_KINDS = ['pmi', 'maternity', 'other'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
