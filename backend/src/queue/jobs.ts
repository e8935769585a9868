/** Queues and their typed jobs. Payloads carry ids only: Redis and queue dashboards are no place for health data. */
export const QUEUES = {
  sms: 'sms',
  alerts: 'alerts',
  email: 'email',
  maintenance: 'maintenance',
  webhooks: 'webhooks',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  /**
   * requestId: the HTTP request that caused the job (enrolment, password reset, urgent answer...), so the worker
   * runs it in that request's context and its log lines trace back to it. Absent for reconciler-made jobs.
   */
  'sms.send': { smsMessageId: string; requestId?: string };
  'alerts.deadline': { alertId: string; requestId?: string };
  'paging.send': { pageId: string };
  'paging.escalate': { alertId: string; step: number };
  'email.send': { emailMessageId: string; requestId?: string };
  'email.reconcile': Record<string, never>;
  'alerts.reconcile': Record<string, never>;
  'alerts.expire-invitations': Record<string, never>;
  'alerts.backfill-notes': Record<string, never>;
  /** Re-creates missing SMS jobs from PostgreSQL. */
  'maintenance.reconcile': Record<string, never>;
  /** The retention purge (RETENTION_DAYS) and the audit partitions. */
  'maintenance.purge': Record<string, never>;
  /** Report rollups: deltas compacted, time-zone changes rebuilt. */
  'maintenance.rollup': Record<string, never>;
  /** Name prefix indexes for parents an older version enrolled without them. */
  'maintenance.backfill-name-prefixes': Record<string, never>;
  'webhooks.deliver': { webhookDeliveryId: string; requestId?: string };
  'webhooks.reconcile': Record<string, never>;
}
export type JobName = keyof JobPayloads;

/** The queue each job runs on (a queue has one consumer: `JobConsumers`). */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  'sms.send': QUEUES.sms,
  'alerts.deadline': QUEUES.alerts,
  'paging.send': QUEUES.alerts,
  'paging.escalate': QUEUES.alerts,
  'alerts.reconcile': QUEUES.alerts,
  'alerts.expire-invitations': QUEUES.alerts,
  'alerts.backfill-notes': QUEUES.alerts,
  'email.send': QUEUES.email,
  'email.reconcile': QUEUES.email,
  'maintenance.reconcile': QUEUES.maintenance,
  'maintenance.purge': QUEUES.maintenance,
  'maintenance.rollup': QUEUES.maintenance,
  'maintenance.backfill-name-prefixes': QUEUES.maintenance,
  'webhooks.deliver': QUEUES.webhooks,
  'webhooks.reconcile': QUEUES.webhooks,
};

/** Deterministic job ids: re-adding the same job is a no-op, so reconcilers can re-enqueue freely. */
export const jobId = {
  sms: (smsMessageId: string): string => `sms-${smsMessageId}`,
  alertDeadline: (alertId: string, dueAtMs: number): string => `alert-${alertId}-${dueAtMs}`,
  page: (pageId: string): string => `page-${pageId}`,
  pageEscalation: (alertId: string, step: number): string => `page-escalate-${alertId}-${step}`,
  email: (emailMessageId: string): string => `email-${emailMessageId}`,
  webhook: (webhookDeliveryId: string): string => `webhook-${webhookDeliveryId}`,
};
