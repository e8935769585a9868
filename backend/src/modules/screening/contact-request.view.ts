import type { ContactRequestView } from '@lien/shared';
import type { ContactRequestEntity } from './contact-request.entity.js';

/** The name-free view of a contact request (the alert page; the identity is a separate, audited read). */
export function toContactRequestView(
  request: ContactRequestEntity,
  alertId: string | null,
): ContactRequestView {
  return {
    id: request.id,
    organisationId: request.organisationId,
    alertId,
    routing: request.routing,
    postalCode: request.postalCode,
    departement: request.departement,
    role: request.role,
    language: request.language,
    childAgeWeeks: request.childAgeWeeks,
    pregnant: request.pregnant,
    band: request.band,
    item10Positive: request.item10Positive,
    channel: request.channel,
    timeSlots: [...request.timeSlots],
    consentTextVersion: request.consentTextVersion,
    status: request.status,
    enrolledParentId: request.enrolledParentId,
    createdAt: request.createdAt.toISOString(),
  };
}
