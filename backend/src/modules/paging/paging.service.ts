import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApiErrorDetail } from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { invalidFields, notFound } from '../../common/errors.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import { parseMobilePhone } from '../parents/phone.js';
import type { OnCallRotaEntity, StoredRotaEntry } from './on-call-rota.entity.js';
import { OnCallRotaRepository } from './on-call-rota.repository.js';
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
    private readonly rotas: OnCallRotaRepository,
    private readonly encryption: FieldEncryption,
    private readonly audit: AuditService,
  ) {}

  async getRota(scope: OrgScope): Promise<RotaView> {
    return this.view(await this.rotas.find(scope.organisationId));
  }

  async putRota(scope: OrgScope, body: unknown, context: AuditContext): Promise<RotaView> {
    const { organisationId } = scope;
    const organisation = await this.rotas.organisation(organisationId);
    if (!organisation) throw notFound('Organisation');
    const { rota, problems } = readRota(body);
    const details: ApiErrorDetail[] = [...problems];
    const entries: StoredRotaEntry[] = [];
    if (rota) {
      const members = await this.rotas.activeMemberIds(
        organisationId,
        rota.entries.map((entry) => entry.userId),
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
      await this.rotas.save(organisationId, manager, {
        ackMinutes: rota.ackMinutes,
        voice: rota.voice,
        entries,
      });
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
      return this.rotas.findWritten(organisationId, manager);
    });
    return this.view(saved);
  }

  /** The professionals on call at `at`, in paging order (empty when the rota has a gap then). */
  async onCall(scope: OrgScope, at: Date): Promise<OnCallNow[]> {
    const { organisationId } = scope;
    const [rota, organisation] = await Promise.all([
      this.rotas.find(organisationId),
      this.rotas.organisation(organisationId),
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
