import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditContext } from '../../common/auth/request-context.js';
import { currentRequestId } from '../../common/request-context.js';
import { AuditRepository } from './audit.repository.js';

// Defined beside the `@Audit()` decorator that builds it (common/ never imports a feature).
export type { AuditContext };

export interface AuditRecord {
  action: string;
  targetType?: string;
  targetId?: string;
  /** Ids and field names only, never names, phones, answers or notes. */
  metadata?: Record<string, unknown>;
}

/** Writes the append-only audit log; pass the transaction's manager so the record commits with the change. */
@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditRepository) {}

  async record(context: AuditContext, record: AuditRecord, manager?: EntityManager): Promise<void> {
    await this.repository.append(
      {
        organisationId: context.organisationId,
        actorId: context.actorId,
        ip: context.ip ?? null,
        // Callers without the request at hand (webhooks, jobs a request caused) get it from the async context.
        requestId: context.requestId ?? currentRequestId() ?? null,
        action: record.action,
        targetType: record.targetType ?? null,
        targetId: record.targetId ?? null,
        metadata: record.metadata ?? {},
      },
      manager,
    );
  }
}
