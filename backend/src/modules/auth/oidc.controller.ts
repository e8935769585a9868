import { Body, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { LoginResponse, OidcConfigResponse, OidcLinkStartResponse } from '@lien/shared';
import { Caller } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { notFound } from '../../common/errors.js';
import { ApiController, PublicRoute, Route } from '../../common/route.js';
import type { AuditContext } from '../audit/audit.service.js';
import { OidcExchangeDto } from './dto/auth.dto.js';
import { browserCookieOf, OidcService } from './oidc.service.js';

@ApiController('auth', 'api/auth/oidc')
export class OidcController {
  constructor(private readonly oidc: OidcService) {}

  @PublicRoute('GET config', {
    summary: 'Whether OpenID Connect sign-in is on, and the button label',
    result: 'OidcConfigResponse',
  })
  config(): OidcConfigResponse {
    return this.oidc.publicConfig();
  }

  @PublicRoute('GET start', {
    summary:
      'Redirects to the provider (authorization code + PKCE + state + nonce), binding the flow to this browser ' +
      'with an HttpOnly cookie; 429 too_many_attempts per client address',
    errors: [{ 404: 'OpenID Connect sign-in is off' }, 429],
    result: { redirect: 'Redirect to the OpenID Connect provider' },
  })
  async start(@Res() response: Response, @Audit() audit: AuditContext): Promise<void> {
    const started = await this.oidc.start(audit);
    if (!started) throw notFound('OpenID Connect sign-in');
    response.setHeader('Cache-Control', 'no-store');
    if (started.cookie) response.append('Set-Cookie', started.cookie);
    response.redirect(302, started.url);
  }

  @Route('POST link/start', 'self', {
    status: 200,
    summary:
      'Signed in: start linking an OpenID Connect identity to this account (answers the provider URL and sets the binding cookie)',
    errors: [404, 429],
    result: 'OidcLinkStartResponse',
  })
  async startLink(
    @Caller() { user, audit }: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OidcLinkStartResponse> {
    const started = await this.oidc.startLink(user, audit);
    if (!started) throw notFound('OpenID Connect sign-in');
    response.setHeader('Cache-Control', 'no-store');
    if (started.cookie) response.append('Set-Cookie', started.cookie);
    return { url: started.url };
  }

  @PublicRoute('GET callback', {
    summary:
      'Provider redirect: checks the browser binding, exchanges the code, then redirects to the console with a ' +
      'one-time code in the URL fragment (never tokens); 400 oidc_browser_mismatch without the binding cookie',
    errors: [400],
    result: { redirect: 'Redirect to the console, a one-time code in the URL fragment' },
  })
  async callback(
    @Req() request: Request,
    @Res() response: Response,
    @Audit() audit: AuditContext,
  ): Promise<void> {
    const query = new URL(request.originalUrl, 'http://placeholder').searchParams;
    response.setHeader('Cache-Control', 'no-store');
    // Single use: the binding goes whatever the outcome (also on a refusal, thrown below).
    response.append('Set-Cookie', this.oidc.clearBrowserCookie());
    const outcome = await this.oidc.callback(query, browserCookieOf(request.headers.cookie), audit);
    response.redirect(302, this.oidc.consoleRedirect(outcome));
  }

  @PublicRoute('POST exchange', {
    status: 200,
    summary: 'Exchange the one-time code of the callback (single use, 60 s) for the session tokens',
    description:
      '401 codes: oidc_code_invalid, oidc_account_unavailable, totp_required (send again with totp), totp_invalid, ' +
      'totp_enrolment_required (details.enrolmentToken).',
    errors: [400, 401, 429],
    result: 'LoginResponse',
  })
  exchange(@Body() body: OidcExchangeDto, @Audit() audit: AuditContext): Promise<LoginResponse> {
    return this.oidc.exchange(body.code, body.totp, audit);
  }
}
