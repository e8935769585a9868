import { applyDecorators, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { ApiKeyScope, Permission } from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, OrgCaller } from '../../common/auth/decorators.js';
import { ApiController, PublicRoute, SignedIn } from '../../common/route.js';
import {
  FHIR_JSON,
  type Bundle,
  type Flag,
  type Observation,
  type Patient,
  type Questionnaire,
  type QuestionnaireResponse,
  type Task,
} from './fhir-types.js';
import { FhirErrors, FhirResult, fhirResource } from './fhir.openapi.js';
import { FhirService } from './fhir.service.js';

/**
 * A FHIR read or search about parents: signed in or a partner key with `apiKey`, rate-limited (429), answered and
 * refused (OperationOutcome) as application/fhir+json.
 */
function FhirRoute(
  path: string,
  permission: Permission,
  apiKey: ApiKeyScope,
  summary: string,
): MethodDecorator {
  return applyDecorators(
    Get(path),
    SignedIn(permission, apiKey),
    Header('Content-Type', FHIR_JSON),
    ApiOperation({ summary }),
  );
}

/** A read of one `resourceType` by id (404 when unknown); named data asks a key for another `apiKey` scope. */
function FhirRead(
  resourceType: string,
  permission: Permission,
  doc: { apiKey?: ApiKeyScope; summary: string; result: string },
): MethodDecorator {
  return applyDecorators(
    FhirRoute(`${resourceType}/:id`, permission, doc.apiKey ?? 'fhir:read', doc.summary),
    FhirResult(resourceType, doc.result),
    FhirErrors(404, 401, 403, 429),
  );
}

/** A search of `resourceType` (400 on a bad parameter), answered as a searchset Bundle. */
function FhirSearch(resourceType: string, permission: Permission, summary: string): MethodDecorator {
  return applyDecorators(
    FhirRoute(resourceType, permission, 'fhir:read', summary),
    FhirResult('Bundle', `A searchset Bundle of ${resourceType}s`),
    FhirErrors(400, 401, 403, 429),
  );
}

/**
 * FHIR R4, read-only. The instrument and the capability statement are public (published text, no personal data);
 * everything about a parent needs a professional or organisation admin of the parent's organisation (the
 * permissions of the console's parent and alert pages, which coordinators and platform admins do not have).
 */
@ApiController('fhir', 'fhir')
export class FhirController {
  constructor(private readonly fhir: FhirService) {}

  @PublicRoute('GET metadata', {
    summary: 'FHIR CapabilityStatement: exactly the reads and searches supported',
    result: fhirResource('CapabilityStatement', 'The capability statement'),
  })
  @Header('Content-Type', FHIR_JSON)
  metadata(): Record<string, unknown> {
    return this.fhir.capabilityStatement();
  }

  @PublicRoute('GET Questionnaire/:id', {
    summary: 'The EPDS as a FHIR Questionnaire (epds-fr, epds-en), LOINC-coded, points as ordinalValue',
    result: fhirResource('Questionnaire', 'The EPDS Questionnaire'),
  })
  @Header('Content-Type', FHIR_JSON)
  @FhirErrors(404)
  questionnaire(@Param('id') id: string): Questionnaire {
    return this.fhir.questionnaire(id);
  }

  @FhirRead('Patient', 'parents.read', {
    // Named data: a key needs the scope that reads named parents, not fhir:read alone.
    apiKey: 'parents:read',
    summary: 'A parent: identifier and name (audited like the console identity reveal)',
    result: 'The parent',
  })
  patient(@Param('id') id: string, @OrgCaller() { scope, audit }: OrgCaller): Promise<Patient> {
    return this.fhir.patient(scope, id, audit);
  }

  @FhirSearch(
    'QuestionnaireResponse',
    'parents.read',
    'Search EPDS responses: patient, authored, _count, _offset',
  )
  searchResponses(@Query() query: Record<string, unknown>, @CurrentOrg() scope: OrgScope): Promise<Bundle> {
    return this.fhir.search(scope, 'QuestionnaireResponse', query);
  }

  @FhirRead('QuestionnaireResponse', 'parents.read', {
    summary: 'An EPDS response with its instrument version and language',
    result: 'The response',
  })
  questionnaireResponse(
    @Param('id') id: string,
    @CurrentOrg() scope: OrgScope,
  ): Promise<QuestionnaireResponse> {
    return this.fhir.questionnaireResponse(scope, id);
  }

  @FhirSearch('Observation', 'parents.read', 'Search EPDS totals: patient, date, code, _count, _offset')
  searchObservations(
    @Query() query: Record<string, unknown>,
    @CurrentOrg() scope: OrgScope,
  ): Promise<Bundle> {
    return this.fhir.search(scope, 'Observation', query);
  }

  @FhirRead('Observation', 'parents.read', {
    summary: 'An EPDS total (LOINC 99046-5) with the band as interpretation',
    result: 'The EPDS total',
  })
  observation(@Param('id') id: string, @CurrentOrg() scope: OrgScope): Promise<Observation> {
    return this.fhir.observation(scope, id);
  }

  @FhirSearch('Flag', 'parents.read', 'Search item-10 flags: patient, _count, _offset')
  searchFlags(@Query() query: Record<string, unknown>, @CurrentOrg() scope: OrgScope): Promise<Bundle> {
    return this.fhir.search(scope, 'Flag', query);
  }

  @FhirRead('Flag', 'parents.read', {
    summary: 'The flag of a response with item 10 positive',
    result: 'The flag',
  })
  flag(@Param('id') id: string, @CurrentOrg() scope: OrgScope): Promise<Flag> {
    return this.fhir.flag(scope, id);
  }

  @FhirSearch('Task', 'alerts.read', 'Search alert follow-ups: patient, status, _count, _offset')
  searchTasks(@Query() query: Record<string, unknown>, @CurrentOrg() scope: OrgScope): Promise<Bundle> {
    return this.fhir.search(scope, 'Task', query);
  }

  @FhirRead('Task', 'alerts.read', {
    summary: 'An alert follow-up, its status mapped from the workflow',
    result: 'The follow-up',
  })
  task(@Param('id') id: string, @CurrentOrg() scope: OrgScope): Promise<Task> {
    return this.fhir.task(scope, id);
  }
}
