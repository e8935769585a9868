import { applyDecorators, Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApiKeyScope, Permission } from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, OrgCaller } from '../../common/auth/decorators.js';
import { PublicRoute, SignedIn } from '../../common/route.js';
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
import { FhirErrors, FhirResult } from './fhir.openapi.js';
import { FhirService } from './fhir.service.js';

/**
 * A FHIR read (404) or search (400) about parents: signed in or a partner key with `apiKey`, rate-limited (429),
 * answered and refused (OperationOutcome) as application/fhir+json.
 */
function FhirRoute(
  path: string,
  permission: Permission,
  doc: { apiKey: ApiKeyScope; summary: string; errors: (400 | 404)[] },
): MethodDecorator {
  return applyDecorators(
    Get(path),
    SignedIn(permission, doc.apiKey),
    Header('Content-Type', FHIR_JSON),
    ApiOperation({ summary: doc.summary }),
    FhirErrors(...doc.errors, 401, 403, 429),
  );
}

/**
 * FHIR R4, read-only. The instrument and the capability statement are public (published text, no personal data);
 * everything about a parent needs a professional or organisation admin of the parent's organisation (the
 * permissions of the console's parent and alert pages, which coordinators and platform admins do not have).
 */
@ApiTags('fhir')
@Controller('fhir')
export class FhirController {
  constructor(private readonly fhir: FhirService) {}

  @PublicRoute('GET metadata', {
    summary: 'FHIR CapabilityStatement: exactly the reads and searches supported',
  })
  @Header('Content-Type', FHIR_JSON)
  @FhirResult('CapabilityStatement', 'The capability statement')
  metadata(): Record<string, unknown> {
    return this.fhir.capabilityStatement();
  }

  @PublicRoute('GET Questionnaire/:id', {
    summary: 'The EPDS as a FHIR Questionnaire (epds-fr, epds-en), LOINC-coded, points as ordinalValue',
  })
  @Header('Content-Type', FHIR_JSON)
  @FhirResult('Questionnaire', 'The EPDS Questionnaire')
  @FhirErrors(404)
  questionnaire(@Param('id') id: string): Questionnaire {
    return this.fhir.questionnaire(id);
  }

  @FhirRoute('Patient/:id', 'parents.read', {
    // Named data: a key needs the scope that reads named parents, not fhir:read alone.
    apiKey: 'parents:read',
    summary: 'A parent: identifier and name (audited like the console identity reveal)',
    errors: [404],
  })
  @FhirResult('Patient', 'The parent')
  patient(@Param('id') id: string, @OrgCaller() { scope, audit }: OrgCaller): Promise<Patient> {
    return this.fhir.patient(scope, id, audit);
  }

  @FhirRoute('QuestionnaireResponse', 'parents.read', {
    apiKey: 'fhir:read',
    summary: 'Search EPDS responses: patient, authored, _count, _offset',
    errors: [400],
  })
  @FhirResult('Bundle', 'A searchset Bundle of QuestionnaireResponses')
  searchResponses(@Query() query: Record<string, unknown>, @CurrentOrg() scope: OrgScope): Promise<Bundle> {
    return this.fhir.search(scope, 'QuestionnaireResponse', query);
  }

  @FhirRoute('QuestionnaireResponse/:id', 'parents.read', {
    apiKey: 'fhir:read',
    summary: 'An EPDS response with its instrument version and language',
    errors: [404],
  })
  @FhirResult('QuestionnaireResponse', 'The response')
  questionnaireResponse(
    @Param('id') id: string,
    @CurrentOrg() scope: OrgScope,
  ): Promise<QuestionnaireResponse> {
    return this.fhir.questionnaireResponse(scope, id);
  }

  @FhirRoute('Observation', 'parents.read', {
    apiKey: 'fhir:read',
    summary: 'Search EPDS totals: patient, date, code, _count, _offset',
    errors: [400],
  })
  @FhirResult('Bundle', 'A searchset Bundle of Observations')
  searchObservations(
    @Query() query: Record<string, unknown>,
    @CurrentOrg() scope: OrgScope,
  ): Promise<Bundle> {
    return this.fhir.search(scope, 'Observation', query);
  }

  @FhirRoute('Observation/:id', 'parents.read', {
    apiKey: 'fhir:read',
    summary: 'An EPDS total (LOINC 99046-5) with the band as interpretation',
    errors: [404],
  })
  @FhirResult('Observation', 'The EPDS total')
  observation(@Param('id') id: string, @CurrentOrg() scope: OrgScope): Promise<Observation> {
    return this.fhir.observation(scope, id);
  }

  @FhirRoute('Flag', 'parents.read', {
    apiKey: 'fhir:read',
    summary: 'Search item-10 flags: patient, _count, _offset',
    errors: [400],
  })
  @FhirResult('Bundle', 'A searchset Bundle of Flags')
  searchFlags(@Query() query: Record<string, unknown>, @CurrentOrg() scope: OrgScope): Promise<Bundle> {
    return this.fhir.search(scope, 'Flag', query);
  }

  @FhirRoute('Flag/:id', 'parents.read', {
    apiKey: 'fhir:read',
    summary: 'The flag of a response with item 10 positive',
    errors: [404],
  })
  @FhirResult('Flag', 'The flag')
  flag(@Param('id') id: string, @CurrentOrg() scope: OrgScope): Promise<Flag> {
    return this.fhir.flag(scope, id);
  }

  @FhirRoute('Task', 'alerts.read', {
    apiKey: 'fhir:read',
    summary: 'Search alert follow-ups: patient, status, _count, _offset',
    errors: [400],
  })
  @FhirResult('Bundle', 'A searchset Bundle of Tasks')
  searchTasks(@Query() query: Record<string, unknown>, @CurrentOrg() scope: OrgScope): Promise<Bundle> {
    return this.fhir.search(scope, 'Task', query);
  }

  @FhirRoute('Task/:id', 'alerts.read', {
    apiKey: 'fhir:read',
    summary: 'An alert follow-up, its status mapped from the workflow',
    errors: [404],
  })
  @FhirResult('Task', 'The follow-up')
  task(@Param('id') id: string, @CurrentOrg() scope: OrgScope): Promise<Task> {
    return this.fhir.task(scope, id);
  }
}
