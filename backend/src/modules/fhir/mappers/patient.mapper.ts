import type { ParentStatus } from '@lien/shared';
import type { Patient } from '../fhir-types.js';
import { paths } from './codes.js';

/** A parent with the clear name, read only for callers allowed to see identities (the read is audited). */
export interface PatientRecord {
  id: string;
  status: ParentStatus;
  language: string;
  firstName: string;
  lastName: string;
  updatedAt: Date;
}

/** Identifiers and name only: no phone, no birth date of the baby, no address. */
export function toPatient(parent: PatientRecord, baseUrl: string): Patient {
  return {
    resourceType: 'Patient',
    id: parent.id,
    meta: { lastUpdated: parent.updatedAt.toISOString() },
    identifier: [{ use: 'usual', system: `${baseUrl}${paths.parentIdentifier}`, value: parent.id }],
    active: parent.status === 'active',
    name: [{ use: 'official', family: parent.lastName, given: [parent.firstName] }],
    communication: [
      { language: { coding: [{ system: 'urn:ietf:bcp:47', code: parent.language }] }, preferred: true },
    ],
  };
}
