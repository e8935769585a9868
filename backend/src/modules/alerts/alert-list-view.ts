import type { AlertListItem, AlertListParentName } from '@lien/shared';
import type { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import type { AlertEntity } from './alert.entity.js';
import type { AlertListContext } from './alerts.repository.js';
import { toAlertSummary } from './alert-summary.js';

/** "Camille" "Martin" → "C. M."; compound names keep their hyphen ("Marie-Claire" → "M.-C."). */
export function parentInitials(firstName: string, lastName: string): string {
  const initials = (name: string): string =>
    name
      .trim()
      .split(/\s*-\s*/)
      .filter(Boolean)
      .map((part) => `${part.charAt(0).toLocaleUpperCase('fr')}.`)
      .join('-');
  return [initials(firstName), initials(lastName)].filter(Boolean).join(' ');
}

/**
 * One dashboard row: the summary and what lets a professional recognise the case. `parentNames` null (a partner
 * key reading the list) leaves the parent unnamed.
 */
export function toAlertListItem(
  alert: AlertEntity,
  now: Date,
  context: AlertListContext,
  parentNames: AlertListParentName | null,
  encryption: FieldEncryption,
): AlertListItem {
  const parent = alert.parentId ? context.parents.get(alert.parentId) : undefined;
  const response = context.latestResponses.get(alert.id);
  let parentLabel: string | null = null;
  if (parent && parentNames) {
    const firstName = encryption.decrypt(parent.firstNameEnc);
    const lastName = encryption.decrypt(parent.lastNameEnc);
    parentLabel = parentNames === 'full' ? `${firstName} ${lastName}` : parentInitials(firstName, lastName);
  }
  return {
    ...toAlertSummary(alert, now),
    parentLabel,
    parentRole: parent?.role ?? null,
    wave: response?.wave ?? null,
    score: response?.score ?? null,
    band: response?.band ?? null,
    assigneeName: alert.assigneeId ? (context.assigneeNames.get(alert.assigneeId) ?? null) : null,
  };
}
