import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { invalidFields, notFound } from '../../common/errors.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import { ReferralResourceEntity } from './referral-resource.entity.js';
import { readReferralResource, type ReferralResourceInput } from './referral-resource-input.js';

export interface ReferralResourceView extends ReferralResourceInput {
  id: string;
  updatedAt: string;
}

const view = (row: ReferralResourceEntity): ReferralResourceView => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  address: row.address,
  phone: row.phone,
  languages: row.languages,
  acceptsNewPatients: row.acceptsNewPatients,
  usualDelayDays: row.usualDelayDays,
  updatedAt: row.updatedAt.toISOString(),
});

/** The referral directory of an organisation: read by its professionals, kept by its admins. */
@Injectable()
export class ReferralsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  private get repository() {
    return this.dataSource.getRepository(ReferralResourceEntity);
  }

  async list(organisationId: string): Promise<ReferralResourceView[]> {
    const rows = await this.repository.find({ where: { organisationId }, order: { name: 'ASC', id: 'ASC' } });
    return rows.map(view);
  }

  async get(organisationId: string, id: string): Promise<ReferralResourceView> {
    const row = await this.repository.findOneBy({ organisationId, id });
    if (!row) throw notFound('Referral resource');
    return view(row);
  }

  async create(organisationId: string, body: unknown, context: AuditContext): Promise<ReferralResourceView> {
    const { value, problems } = readReferralResource(body, false);
    if (problems.length > 0) throw invalidFields(problems);
    const saved = await this.dataSource.transaction(async (manager) => {
      const row = await manager.save(ReferralResourceEntity, {
        organisationId,
        address: null,
        phone: null,
        languages: [],
        acceptsNewPatients: true,
        usualDelayDays: null,
        ...value,
      });
      await this.record(context, 'referral_resource.create', row.id, manager);
      return row;
    });
    return this.get(organisationId, saved.id);
  }

  async update(
    organisationId: string,
    id: string,
    body: unknown,
    context: AuditContext,
  ): Promise<ReferralResourceView> {
    const { value, problems } = readReferralResource(body, true);
    if (problems.length > 0) throw invalidFields(problems);
    await this.dataSource.transaction(async (manager) => {
      const result = await manager.update(ReferralResourceEntity, { organisationId, id }, value);
      if (!result.affected) throw notFound('Referral resource');
      await this.record(context, 'referral_resource.update', id, manager);
    });
    return this.get(organisationId, id);
  }

  async remove(organisationId: string, id: string, context: AuditContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const result = await manager.delete(ReferralResourceEntity, { organisationId, id });
      if (!result.affected) throw notFound('Referral resource');
      await this.record(context, 'referral_resource.delete', id, manager);
    });
  }

  private record(
    context: AuditContext,
    action: string,
    id: string,
    manager: Parameters<AuditService['record']>[2],
  ): Promise<unknown> {
    return this.audit.record(context, { action, targetType: 'referral_resource', targetId: id }, manager);
  }
}
