import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { WebhookDeliveryStatus, WebhookDeliveryView, WebhookEventType } from '@lien/shared';

export interface EndpointRow {
  id: string;
  organisationId: string;
  url: string;
  description: string | null;
  eventTypes: WebhookEventType[];
  enabled: boolean;
  disabledAt: Date | null;
  failingSince: Date | null;
  createdAt: Date;
}

/** A delivery as the API shows it, its times still dates. */
export interface DeliveryRow extends Omit<
  WebhookDeliveryView,
  'createdAt' | 'lastAttemptAt' | 'deliveredAt'
> {
  createdAt: Date;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
}

/** A pending delivery with what sending it needs. */
export interface DeliveryWork {
  id: string;
  organisationId: string;
  endpointId: string;
  status: WebhookDeliveryStatus;
  payload: unknown;
  url: string;
  secretEnc: string;
  enabled: boolean;
}

const ENDPOINT = `e.id, e.organisation_id AS "organisationId", e.url, e.description, e.event_types AS "eventTypes",
  e.enabled, e.disabled_at AS "disabledAt", e.failing_since AS "failingSince", e.created_at AS "createdAt"`;
const DELIVERY = `d.id, d.endpoint_id AS "endpointId", d.event_type AS "eventType", d.status, d.attempts,
  d.last_status_code AS "lastStatusCode", d.last_error AS "lastError", d.created_at AS "createdAt",
  d.last_attempt_at AS "lastAttemptAt", d.delivered_at AS "deliveredAt"`;

/** Endpoints and the delivery outbox. Tenant methods take the organisation first. */
@Injectable()
export class OutboundWebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertEndpoint(
    organisationId: string,
    endpoint: { url: string; description: string | null; eventTypes: WebhookEventType[]; secretEnc: string },
    createdBy: string | null,
  ): Promise<EndpointRow> {
    const rows = await this.dataSource.query<EndpointRow[]>(
      `INSERT INTO webhook_endpoints AS e (organisation_id, url, description, event_types, secret_enc, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${ENDPOINT}`,
      [
        organisationId,
        endpoint.url,
        endpoint.description,
        endpoint.eventTypes,
        endpoint.secretEnc,
        createdBy,
      ],
    );
    return rows[0]!;
  }

  listEndpoints(organisationId: string): Promise<EndpointRow[]> {
    return this.dataSource.query<EndpointRow[]>(
      `SELECT ${ENDPOINT} FROM webhook_endpoints e WHERE e.organisation_id = $1 ORDER BY e.created_at, e.id`,
      [organisationId],
    );
  }

  async deleteEndpoint(organisationId: string, id: string): Promise<boolean> {
    const [, count] = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM webhook_endpoints WHERE organisation_id = $1 AND id = $2`,
      [organisationId, id],
    );
    return count > 0;
  }

  /** Re-enables a disabled endpoint (its failure clock starts again). */
  async enableEndpoint(organisationId: string, id: string): Promise<EndpointRow | null> {
    const [rows] = await this.dataSource.query<[EndpointRow[], number]>(
      `UPDATE webhook_endpoints e SET enabled = true, disabled_at = NULL, failing_since = NULL
        WHERE e.organisation_id = $1 AND e.id = $2 RETURNING ${ENDPOINT}`,
      [organisationId, id],
    );
    return rows[0] ?? null;
  }

  listDeliveries(
    organisationId: string,
    endpointId: string,
    status: WebhookDeliveryStatus | undefined,
    limit: number,
  ): Promise<DeliveryRow[]> {
    return this.dataSource.query<DeliveryRow[]>(
      `SELECT ${DELIVERY} FROM webhook_deliveries d
        WHERE d.organisation_id = $1 AND d.endpoint_id = $2 AND ($3::text IS NULL OR d.status = $3)
        ORDER BY d.created_at DESC, d.id LIMIT $4`,
      [organisationId, endpointId, status ?? null, limit],
    );
  }

  /** One delivery per enabled endpoint of the organisation that subscribes to the event, in the caller's transaction. */
  async insertDeliveries(
    manager: EntityManager,
    organisationId: string,
    eventType: WebhookEventType,
    payload: unknown,
    createdAt: Date,
  ): Promise<string[]> {
    const rows = await manager.query<Array<{ id: string }>>(
      `INSERT INTO webhook_deliveries (organisation_id, endpoint_id, event_type, payload, created_at)
       SELECT $1::uuid, e.id, $2::text, $3::jsonb, $4::timestamptz FROM webhook_endpoints e
        WHERE e.organisation_id = $1::uuid AND e.enabled AND $2::text = ANY(e.event_types)
       RETURNING id`,
      [organisationId, eventType, JSON.stringify(payload), createdAt],
    );
    return rows.map((row) => row.id);
  }

  async subscribedOrganisations(eventType: WebhookEventType): Promise<Set<string>> {
    const rows = await this.dataSource.query<Array<{ organisation_id: string }>>(
      `SELECT DISTINCT organisation_id FROM webhook_endpoints WHERE enabled AND $1::text = ANY(event_types)`,
      [eventType],
    );
    return new Set(rows.map((row) => row.organisation_id));
  }

  async work(deliveryId: string): Promise<DeliveryWork | null> {
    const rows = await this.dataSource.query<DeliveryWork[]>(
      `SELECT d.id, d.organisation_id AS "organisationId", d.endpoint_id AS "endpointId", d.status, d.payload,
              e.url, e.secret_enc AS "secretEnc", e.enabled
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1`,
      [deliveryId],
    );
    return rows[0] ?? null;
  }

  /** Records a successful attempt and clears the endpoint's failure clock. */
  async markDelivered(work: DeliveryWork, statusCode: number, at: Date): Promise<void> {
    await this.dataSource.query(
      `WITH d AS (
         UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status_code = $2,
                last_error = NULL, last_attempt_at = $3, delivered_at = $3
          WHERE id = $1 AND status = 'pending' RETURNING endpoint_id)
       UPDATE webhook_endpoints SET failing_since = NULL WHERE id IN (SELECT endpoint_id FROM d)`,
      [work.id, statusCode, at],
    );
  }

  /**
   * Records a failed attempt (dead-lettered when `dead`) and starts the endpoint's failure clock if it was not
   * running. Returns when the endpoint has been failing since.
   */
  async markFailed(
    work: DeliveryWork,
    failure: { statusCode: number | null; error: string },
    dead: boolean,
    at: Date,
  ): Promise<Date | null> {
    // An UPDATE … RETURNING answers [rows, count] through TypeORM's postgres driver.
    const [rows] = await this.dataSource.query<[Array<{ failingSince: Date }>, number]>(
      `WITH d AS (
         UPDATE webhook_deliveries SET status = CASE WHEN $4 THEN 'dead' ELSE status END, attempts = attempts + 1,
                last_status_code = $2, last_error = $3, last_attempt_at = $5
          WHERE id = $1 AND status = 'pending' RETURNING endpoint_id)
       UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $5)
        WHERE id IN (SELECT endpoint_id FROM d) RETURNING failing_since AS "failingSince"`,
      [work.id, failure.statusCode, failure.error.slice(0, 200), dead, at],
    );
    return rows[0]?.failingSince ?? null;
  }

  async markDead(deliveryId: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'dead', last_error = $2 WHERE id = $1 AND status = 'pending'`,
      [deliveryId, error],
    );
  }

  /** Disables an endpoint failing since before `failingBefore`; the active org admins to tell, or null if not disabled now. */
  async disableIfFailingSince(
    endpointId: string,
    failingBefore: Date,
    at: Date,
    manager: EntityManager,
  ): Promise<{ organisationId: string; url: string; adminEmails: string[] } | null> {
    const [rows] = await manager.query<[Array<{ organisationId: string; url: string }>, number]>(
      `UPDATE webhook_endpoints SET enabled = false, disabled_at = $3
        WHERE id = $1 AND enabled AND failing_since <= $2
       RETURNING organisation_id AS "organisationId", url`,
      [endpointId, failingBefore, at],
    );
    const disabled = rows[0];
    if (!disabled) return null;
    const admins = await manager.query<Array<{ email: string }>>(
      `SELECT email FROM users WHERE organisation_id = $1 AND role = 'org_admin' AND active ORDER BY email`,
      [disabled.organisationId],
    );
    return { ...disabled, adminEmails: admins.map((admin) => admin.email) };
  }

  /** Deletes delivered and dead deliveries created before `before` (they hold parent ids). */
  async purgeSettledBefore(before: Date): Promise<number> {
    const [, count] = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < $1`,
      [before],
    );
    return count;
  }

  /** Pending deliveries older than `before`, for the reconciler to re-queue (deterministic job ids). */
  async pendingBefore(before: Date, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM webhook_deliveries WHERE status = 'pending' AND created_at < $1 ORDER BY created_at LIMIT $2`,
      [before, limit],
    );
    return rows.map((row) => row.id);
  }
}
