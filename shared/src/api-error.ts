/** The error body of every API answer that is not 2xx. */
export interface ApiErrorDetail {
  /**
   * The offending field, as a path: `phone`, `answers[3]`, `settings.quietHours.start`.
   * @example phone
   */
  field: string;
  /** @example must be a mobile number */
  message: string;
}

export interface ApiError {
  /** @example 400 */
  statusCode: number;
  /** @example Bad Request */
  error: string;
  /** @example phone: must be a mobile number */
  message: string;
  /**
   * Stable machine-readable code
   * @example invalid_input
   */
  code?: string;
  /** invalid_input: the fields at fault; other codes: an object (e.g. allowed transitions, retryAfterSeconds) */
  details?: ApiErrorDetail[] | Record<string, unknown>;
  /** The request's id (X-Request-Id), to quote when reporting a problem. */
  requestId?: string;
}
