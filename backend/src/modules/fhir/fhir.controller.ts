import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { AllowApiKey, CurrentOrg, Public, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import type { AuditContext } from '../audit/audit.service.js';
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
 * FHIR R4, read-only. The instrument and the capability statement are public (published text, no personal data);
 * everything about a parent needs a professional or organisation admin of the parent's organisation (the
 * permissions of the console's parent and alert pages, which coordinators and platform admins do not have).
 */
@ApiTags('fhir')
@Controller('fhir')
export class FhirController {
  constructor(private readonly fhir: FhirService) {}

  @Get('metadata')
  @Public()
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'FHIR CapabilityStatement: exactly the reads and searches supported' })
  @FhirResult('CapabilityStatement', 'The capability statement')
  metadata(): Record<string, unknown> {
    return this.fhir.capabilityStatement();
  }

  @Get('Questionnaire/:id')
  @Public()
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({
    summary: 'The EPDS as a FHIR Questionnaire (epds-fr, epds-en), LOINC-coded, points as ordinalValue',
  })
  @FhirResult('Questionnaire', 'The EPDS Questionnaire')
  @FhirErrors(404)
  questionnaire(@Param('id') id: string): Questionnaire {
    return this.fhir.questionnaire(id);
  }

  @Get('Patient/:id')
  @RequirePermission('parents.read')
  // Named data: a key needs the scope that reads named parents, not fhir:read alone.
  @AllowApiKey('parents:read')
  @ApiBearerAuth()
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'A parent: identifier and name (audited like the console identity reveal)' })
  @FhirResult('Patient', 'The parent')
  @FhirErrors(401, 403, 404, 429)
  patient(
    @Param('id') id: string,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<Patient> {
    return this.fhir.patient(scope, id, audit);
  }

  @Get('QuestionnaireResponse')
  @RequirePermission('parents.read')
  @AllowApiKey('fhir:read')
  @ApiBearerAuth()
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'Search EPDS responses: patient, authored, _count, _offset' })
  @FhirResult('Bundle', 'A searchset Bundle of QuestionnaireResponses')
  @FhirErrors(400, 401, 403, 429)
  searchResponses(@Query() query: Record<string, unknown>, @CurrentOrg() scope: OrgScope): Promise<Bundle> {
    return this.fhir.search(scope, 'QuestionnaireResponse', query);
  }

  @Get('QuestionnaireResponse/:id')
  @RequirePermission('parents.read')
  @AllowApiKey('fhir:read')
  @ApiBearerAuth()
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'An EPDS response with its instrument version and language' })
  @FhirResult('QuestionnaireResponse', 'The response')
  @FhirErrors(401, 403, 404, 429)
  questionnaireResponse(
    @Param('id') id: string,
    @CurrentOrg() scope: OrgScope,
  ): Promise<QuestionnaireResponse> {
    return this.fhir.questionnaireResponse(scope, id);
  }

  @Get('Observation')
  @RequirePermission('parents.read')
  @AllowApiKey('fhir:read')
  @ApiBearerAuth()
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'Search EPDS totals: patient, date, code, _count, _offset' })
  @FhirResult('Bundle', 'A searchset Bundle of Observations')
  @FhirErrors(400, 401, 403, 429)
  searchObservations(
    @Query() query: Record<string, unknown>,
    @CurrentOrg() scope: OrgScope,
  ): Promise<Bundle> {
    return this.fhir.search(scope, 'Observation', query);
  }

  @Get('Observation/:id')
  @RequirePermission('parents.read')
  @AllowApiKey('fhir:read')
  @ApiBearerAuth()
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'An EPDS total (LOINC 99046-5) with the band as interpretation' })
  @FhirResult('Observation', 'The EPDS total')
  @FhirErrors(401, 403, 404, 429)
  observation(@Param('id') id: string, @CurrentOrg() scope: OrgScope): Promise<Observation> {
    return this.fhir.observation(scope, id);
  }

  @Get('Flag')
  @RequirePermission('parents.read')
  @AllowApiKey('fhir:read')
  @ApiBearerAuth()
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'Search item-10 flags: patient, _count, _offset' })
  @FhirResult('Bundle', 'A searchset Bundle of Flags')
  @FhirErrors(400, 401, 403, 429)
  searchFlags(@Query() query: Record<string, unknown>, @CurrentOrg() scope: OrgScope): Promise<Bundle> {
    return this.fhir.search(scope, 'Flag', query);
  }

  @Get('Flag/:id')
  @RequirePermission('parents.read')
  @AllowApiKey('fhir:read')
  @ApiBearerAuth()
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'The flag of a response with item 10 positive' })
  @FhirResult('Flag', 'The flag')
  @FhirErrors(401, 403, 404, 429)
  flag(@Param('id') id: string, @CurrentOrg() scope: OrgScope): Promise<Flag> {
    return this.fhir.flag(scope, id);
  }

  @Get('Task')
  @RequirePermission('alerts.read')
  @AllowApiKey('fhir:read')
  @ApiBearerAuth()
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'Search alert follow-ups: patient, status, _count, _offset' })
  @FhirResult('Bundle', 'A searchset Bundle of Tasks')
  @FhirErrors(400, 401, 403, 429)
  searchTasks(@Query() query: Record<string, unknown>, @CurrentOrg() scope: OrgScope): Promise<Bundle> {
    return this.fhir.search(scope, 'Task', query);
  }

  @Get('Task/:id')
  @RequirePermission('alerts.read')
  @AllowApiKey('fhir:read')
  @ApiBearerAuth()
  @Header('Content-Type', FHIR_JSON)
  @ApiOperation({ summary: 'An alert follow-up, its status mapped from the workflow' })
  @FhirResult('Task', 'The follow-up')
  @FhirErrors(401, 403, 404, 429)
  task(@Param('id') id: string, @CurrentOrg() scope: OrgScope): Promise<Task> {
    return this.fhir.task(scope, id);
  }
}
