/** The error body of every API answer that is not 2xx. */
export interface ApiErrorDetail {
  /** The offending field, as a path: `phone`, `answers[3]`, `settings.quietHours.start`. */
  field: string;
  message: string;
}

export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  details?: ApiErrorDetail[] | Record<string, unknown>;
  /** The request's id (X-Request-Id), to quote when reporting a problem. */
  requestId?: string;
}
