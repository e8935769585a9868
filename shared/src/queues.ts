/** GET /api/admin/queues: job counts per queue (platform admins); names only, never job data. */
export interface QueueSummary {
  /** @example sms */
  name: string;
  counts: { waiting: number; active: number; delayed: number; failed: number; completed: number };
  paused: boolean;
}
