import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { ApiErrorDetail } from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { invalidFields, notFound } from '../../common/errors.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { parseMobilePhone } from '../parents/phone.js';
import { UserEntity } from '../users/user.entity.js';
import { OnCallRotaEntity, type StoredRotaEntry } from './on-call-rota.entity.js';
import { onCallAt, readRota, rotaGaps, type RotaEntry, type RotaGap } from './rota.js';

export interface RotaView {
  ackMinutes: number;
  voice: boolean;
  entries: Array<RotaEntry & { phone: string }>;
  /** Where nobody is on call (local time): an urgent alert then pages the organisation admin. */
  gaps: RotaGap[];
}

/** A professional to page now, with the number to page. */
export interface OnCallNow {
  userId: string;
  phone: string;
}

/** The on-call rota of an organisation (org admins), and who is on call at an instant. */
@Injectable()
export class PagingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly encryption: FieldEncryption,
    private readonly audit: AuditService,
  ) {}

  async getRota(scope: OrgScope): Promise<RotaView> {
    const rota = await this.dataSource.manager.findOneBy(OnCallRotaEntity, {
      organisationId: scope.organisationId,
    });
    return this.view(rota);
  }

  async putRota(scope: OrgScope, body: unknown, context: AuditContext): Promise<RotaView> {
    const { organisationId } = scope;
    const organisation = await this.dataSource.manager.findOneBy(OrganisationEntity, { id: organisationId });
    if (!organisation) throw notFound('Organisation');
    const { rota, problems } = readRota(body);
    const details: ApiErrorDetail[] = [...problems];
    const entries: StoredRotaEntry[] = [];
    if (rota) {
      const members = new Set(
        (
          await this.dataSource.manager.find(UserEntity, {
            where: {
              id: In([...new Set(rota.entries.map((entry) => entry.userId))]),
              organisationId,
              active: true,
            },
            select: { id: true },
          })
        ).map((user) => user.id),
      );
      rota.entries.forEach((entry, index) => {
        if (!members.has(entry.userId))
          details.push({
            field: `entries[${index}].userId`,
            message: `entries[${index}].userId must be an active member of your organisation`,
          });
        const phone = parseMobilePhone(entry.phone, organisation.departement);
        if (!phone.ok)
          details.push({
            field: `entries[${index}].phone`,
            message: `entries[${index}].phone ${phone.message}`,
          });
        else
          entries.push({
            userId: entry.userId,
            weekdays: [...entry.weekdays].sort(),
            start: entry.start,
            end: entry.end,
            phoneEnc: this.encryption.encrypt(phone.e164),
          });
      });
    }
    if (details.length > 0 || !rota) throw invalidFields(details);
    const saved = await this.dataSource.transaction(async (manager) => {
      await manager.upsert(
        OnCallRotaEntity,
        { organisationId, ackMinutes: rota.ackMinutes, voice: rota.voice, entries },
        ['organisationId'],
      );
      await this.audit.record(
        context,
        {
          action: 'paging.rota.update',
          targetType: 'organisation',
          targetId: organisationId,
          metadata: { entries: entries.length, ackMinutes: rota.ackMinutes, voice: rota.voice },
        },
        manager,
      );
      return manager.findOneByOrFail(OnCallRotaEntity, { organisationId });
    });
    return this.view(saved);
  }

  /** The professionals on call at `at`, in paging order (empty when the rota has a gap then). */
  async onCall(scope: OrgScope, at: Date): Promise<OnCallNow[]> {
    const { organisationId } = scope;
    const [rota, organisation] = await Promise.all([
      this.dataSource.manager.findOneBy(OnCallRotaEntity, { organisationId }),
      this.dataSource.manager.findOneBy(OrganisationEntity, { id: organisationId }),
    ]);
    if (!rota || !organisation) return [];
    return onCallAt(rota.entries, at, organisation.timeZone).map((entry) => ({
      userId: entry.userId,
      phone: this.encryption.decrypt(entry.phoneEnc),
    }));
  }

  private view(rota: OnCallRotaEntity | null): RotaView {
    const entries = (rota?.entries ?? []).map((entry) => ({
      userId: entry.userId,
      weekdays: entry.weekdays,
      start: entry.start,
      end: entry.end,
      phone: this.encryption.decrypt(entry.phoneEnc),
    }));
    return {
      ackMinutes: rota?.ackMinutes ?? 10,
      voice: rota?.voice ?? false,
      entries,
      gaps: rotaGaps(entries),
    };
  }
}
