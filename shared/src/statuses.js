/** Lifecycle vocabularies shared by the API and the console. */
export const PARENT_STATUSES = ['active', 'opted_out', 'withdrawn'];
export const INVITATION_STATUSES = ['planned', 'sent', 'opened', 'completed', 'expired', 'cancelled', 'skipped'];
/** `unknown`: the request left but no answer came back; it is checked with the provider before any resend. */
export const SMS_STATUSES = [
    'pending',
    'sending',
    'unknown',
    'queued',
    'sent',
    'delivered',
    'undelivered',
    'failed',
    'cancelled',
];
export const EPDS_BANDS = ['low', 'moderate', 'high'];
export const ALERT_SEVERITIES = ['urgent', 'high', 'moderate', 'low'];
export const ALERT_REASONS = ['item10', 'high_score', 'moderate_score', 'anxiety', 'no_response'];
export const ALERT_STATUSES = [
    'open',
    'acknowledged',
    'contacted',
    'unreachable',
    'referred',
    'in_care',
    'closed',
];
export const ALERT_EVENT_TYPES = [
    'acknowledge',
    'assign',
    'note',
    'contact_attempt',
    'referral',
    'in_care',
    'close',
];
export const REFERRAL_TARGETS = [
    'gp',
    'midwife',
    'psychiatrist',
    'pmi_psychologist',
    'perinatal_psychiatry_unit',
    'association',
];
export const CLOSE_OUTCOMES = ['in_care', 'declined', 'false_alarm', 'moved', 'unreachable'];
export const RESPONSE_CHANNELS = ['web_form', 'api'];
