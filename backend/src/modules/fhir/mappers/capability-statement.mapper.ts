import { SUPPORTED_EPDS_LANGUAGES } from '@lien/shared';
import { PAGING_PARAMETERS, SEARCH_PARAMETERS } from '../search-params.js';

/** Types that can be read by id, with or without search. */
export const READABLE_TYPES = [
  'Patient',
  'Questionnaire',
  'QuestionnaireResponse',
  'Observation',
  'Flag',
  'Task',
] as const;

/** What /fhir offers, exactly: read everywhere, search-type only where SEARCH_PARAMETERS lists parameters. */
export function toCapabilityStatement(baseUrl: string): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-12-04',
    publisher: 'Lien',
    kind: 'instance',
    software: { name: 'Lien' },
    implementation: { description: 'Lien FHIR R4 API (read-only)', url: `${baseUrl}/fhir` },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    rest: [
      {
        mode: 'server',
        documentation: `Searches page with ${PAGING_PARAMETERS.join(' and ')}; unknown parameters are refused (400 OperationOutcome).`,
        security: {
          description:
            'Bearer access token of a Lien professional or organisation admin; results are limited to their organisation. ' +
            'The Questionnaires and this statement are public.',
        },
        resource: READABLE_TYPES.map((type) => {
          const params = (
            SEARCH_PARAMETERS as Record<
              string,
              readonly { name: string; type: string; documentation: string }[]
            >
          )[type];
          return {
            type,
            interaction: [{ code: 'read' }, ...(params ? [{ code: 'search-type' }] : [])],
            ...(type === 'Questionnaire'
              ? {
                  documentation: `Ids: ${SUPPORTED_EPDS_LANGUAGES.map((language) => `epds-${language}`).join(', ')}`,
                }
              : {}),
            ...(params
              ? {
                  searchParam: params.map(({ name, type: paramType, documentation }) => ({
                    name,
                    type: paramType,
                    documentation,
                  })),
                }
              : {}),
          };
        }),
      },
    ],
  };
}
