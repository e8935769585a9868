import { Inject, Injectable } from '@nestjs/common';
import { getEpdsInstrument, isEpdsLanguage } from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { isUuid } from '../../common/auth/uuid-param.pipe.js';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { notFound } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import type {
  Bundle,
  FhirResource,
  Flag,
  Observation,
  Patient,
  Questionnaire,
  QuestionnaireResponse,
  Task,
} from './fhir-types.js';
import { toSearchBundle } from './mappers/bundle.mapper.js';
import { toCapabilityStatement } from './mappers/capability-statement.mapper.js';
import { toFlag, toObservation, toQuestionnaireResponse } from './mappers/clinical.mapper.js';
import { toPatient } from './mappers/patient.mapper.js';
import { toQuestionnaire } from './mappers/questionnaire.mapper.js';
import { toTask } from './mappers/task.mapper.js';
import { FhirRepository, type Page } from './fhir.repository.js';
import { parseSearch, type FhirSearch, type SearchableType } from './search-params.js';

/**
 * The FHIR R4 view of Lien: pure mappers over the organisation's rows. Unknown ids and other organisations'
 * ids are the same 404; the Patient (the only named resource) is read like the console's identity reveal,
 * audited each time.
 */
@Injectable()
export class FhirService {
  private readonly baseUrl: string;

  constructor(
    private readonly repository: FhirRepository,
    private readonly encryption: FieldEncryption,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.baseUrl = config.publicBaseUrl.replace(/\/+$/, '');
  }

  capabilityStatement(): Record<string, unknown> {
    return toCapabilityStatement(this.baseUrl);
  }

  questionnaire(id: string): Questionnaire {
    const language = /^epds-(.+)$/.exec(id)?.[1];
    if (!isEpdsLanguage(language)) throw notFound('Questionnaire');
    return toQuestionnaire(getEpdsInstrument(language), this.baseUrl);
  }

  async patient(scope: OrgScope, id: string, context: AuditContext): Promise<Patient> {
    const parent = isUuid(id) ? await this.repository.findParent(scope.organisationId, id) : null;
    if (!parent) throw notFound('Patient');
    await this.audit.record(context, {
      action: 'parent.read',
      targetType: 'parent',
      targetId: parent.id,
      metadata: { via: 'fhir' },
    });
    return toPatient(
      {
        id: parent.id,
        status: parent.status,
        language: parent.language,
        firstName: this.encryption.decrypt(parent.firstNameEnc),
        lastName: this.encryption.decrypt(parent.lastNameEnc),
        updatedAt: parent.updatedAt,
      },
      this.baseUrl,
    );
  }

  async questionnaireResponse(scope: OrgScope, id: string): Promise<QuestionnaireResponse> {
    return toQuestionnaireResponse(await this.response(scope, id, 'QuestionnaireResponse'), this.baseUrl);
  }

  async observation(scope: OrgScope, id: string): Promise<Observation> {
    return toObservation(await this.response(scope, id, 'Observation'));
  }

  async flag(scope: OrgScope, id: string): Promise<Flag> {
    const flag = toFlag(await this.response(scope, id, 'Flag'), this.baseUrl);
    if (!flag) throw notFound('Flag');
    return flag;
  }

  async task(scope: OrgScope, id: string): Promise<Task> {
    const alert = isUuid(id) ? await this.repository.findAlert(scope.organisationId, id) : null;
    if (!alert) throw notFound('Task');
    return toTask(alert, this.baseUrl);
  }

  async search(scope: OrgScope, type: SearchableType, query: Record<string, unknown>): Promise<Bundle> {
    const search = parseSearch(type, query);
    const { resources, total } = await this.find(scope, type, search);
    return toSearchBundle(
      { type, resources, total, count: search.count, offset: search.offset, query },
      this.baseUrl,
    );
  }

  private async find(
    scope: OrgScope,
    type: SearchableType,
    search: FhirSearch,
  ): Promise<{ resources: FhirResource[]; total: number }> {
    const paging = { offset: search.offset, limit: search.count };
    const mapped = <T>(page: Page<T>, map: (row: T) => FhirResource | null) => ({
      resources: page.rows.map(map).filter((resource): resource is FhirResource => resource !== null),
      total: page.total,
    });
    // Three resources are views of the stored answers: the same search, the Flags only with item 10 positive.
    const responses = (item10Only: boolean) =>
      this.repository.searchResponses(scope.organisationId, {
        parentId: search.patientId,
        dates: search.dates,
        item10Only,
        ...paging,
      });
    switch (type) {
      case 'QuestionnaireResponse':
        return mapped(await responses(false), (row) => toQuestionnaireResponse(row, this.baseUrl));
      case 'Observation':
        if (!search.codeMatches) return { resources: [], total: 0 };
        return mapped(await responses(false), toObservation);
      case 'Flag':
        return mapped(await responses(true), (row) => toFlag(row, this.baseUrl));
      case 'Task':
        return mapped(
          await this.repository.searchAlerts(scope.organisationId, {
            parentId: search.patientId,
            statuses: search.alertStatuses,
            ...paging,
          }),
          (row) => toTask(row, this.baseUrl),
        );
    }
  }

  private async response(scope: OrgScope, id: string, what: string) {
    const response = isUuid(id) ? await this.repository.findResponse(scope.organisationId, id) : null;
    if (!response) throw notFound(what);
    return response;
  }
}
