import { Injectable } from '@nestjs/common';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { isUuid } from '../../common/auth/uuid-param.pipe.js';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { ParentsRepository } from './parents.repository.js';

/**
 * Parents' names for another room's page (the audit log): one query and one decryption per parent for a whole
 * page, never a call per row. Only the organisation's parents are named; an id of another organisation, a
 * parent since purged or a string that is no id is left out. The caller decides who may see names and audits
 * the read (it knows the page and the request).
 */
@Injectable()
export class ParentNames {
  constructor(
    private readonly repository: ParentsRepository,
    private readonly encryption: FieldEncryption,
  ) {}

  /** "First Last" by parent id, for the parents of the scope's organisation among `ids`. */
  async of(scope: OrgScope, ids: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
    const rows = await this.repository.namesOf(scope.organisationId, wanted);
    return new Map(
      rows.map((row) => [
        row.id,
        `${this.encryption.decrypt(row.firstNameEnc)} ${this.encryption.decrypt(row.lastNameEnc)}`,
      ]),
    );
  }
}
