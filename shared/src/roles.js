/** Who a console user is. Coordinators see aggregates only; platform admins manage organisations. */
export const USER_ROLES = ['professional', 'org_admin', 'coordinator', 'platform_admin'];
/** The parent's role changes the EPDS thresholds (fathers score lower). */
export const PARENT_ROLES = ['mother', 'father', 'co_parent'];
export const ORGANISATION_KINDS = ['pmi', 'maternity', 'other'];
