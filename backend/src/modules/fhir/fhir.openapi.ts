import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiSuccess, schemaRef, type ContentResult } from '../../common/openapi.js';

/** FHIR's own media type: answers and errors alike (the charset is added on the wire). */
const FHIR_MEDIA = 'application/fhir+json';

type FhirErrorStatus = 400 | 401 | 403 | 404 | 429;

const FHIR_ERROR_MEANING: Record<FhirErrorStatus, string> = {
  400: 'Invalid search parameter (issue code `invalid`, `expression` names the parameter)',
  401: 'Missing, expired or revoked token or API key (issue code `login`)',
  403: 'The role, or the API key’s scopes or address, do not allow this (issue code `forbidden`)',
  404: 'Not found, or outside the caller’s organisation (issue code `not-found`)',
  429: 'API key rate limit: wait for the `Retry-After` header (issue code `throttled`)',
};

/**
 * The success answer of a FHIR route: a FHIR R4 resource of `resourceType`, as `application/fhir+json` (`result` of
 * a `@PublicRoute`). The resources follow the R4 definitions (validated in fhir-mappers.spec.ts), so only their
 * type is restated here.
 */
export function fhirResource(resourceType: string, description: string): ContentResult {
  return {
    contentType: FHIR_MEDIA,
    description,
    schema: {
      type: 'object',
      required: ['resourceType'],
      properties: { resourceType: { type: 'string', enum: [resourceType] } },
      additionalProperties: true,
      externalDocs: { url: `https://hl7.org/fhir/R4/${resourceType.toLowerCase()}.html` },
    },
  };
}

/** The success answer of the signed-in FHIR bundles (`FhirRead`, `FhirSearch`): reads and searches, 200. */
export function FhirResult(resourceType: string, description: string): MethodDecorator {
  return ApiSuccess(fhirResource(resourceType, description), 200);
}

/** FHIR error answers, each an OperationOutcome as `application/fhir+json`. */
export function FhirErrors(...statuses: FhirErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: FHIR_ERROR_MEANING[status],
        content: { [FHIR_MEDIA]: { schema: schemaRef('OperationOutcome') } },
      }),
    ),
  );
}
