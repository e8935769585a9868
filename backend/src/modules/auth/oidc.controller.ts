import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { OidcConfigResponse } from '@lien/shared';
import { Public } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { notFound } from '../../common/errors.js';
import type { AuditContext } from '../audit/audit.service.js';
import { OidcService } from './oidc.service.js';

@ApiTags('auth')
@Controller('api/auth/oidc')
export class OidcController {
  constructor(private readonly oidc: OidcService) {}

  @Get('config')
  @Public()
  @ApiOperation({ summary: 'Whether OpenID Connect sign-in is on, and the button label' })
  config(): OidcConfigResponse {
    return this.oidc.publicConfig();
  }

  @Get('start')
  @Public()
  @ApiOperation({ summary: 'Redirects to the provider (authorization code + PKCE + state + nonce)' })
  async start(@Res() response: Response): Promise<void> {
    const url = await this.oidc.start();
    if (!url) throw notFound('OpenID Connect sign-in');
    response.setHeader('Cache-Control', 'no-store');
    response.redirect(302, url);
  }

  @Get('callback')
  @Public()
  @ApiOperation({
    summary:
      'Provider redirect: exchanges the code, then redirects to the console with tokens in the URL fragment',
  })
  async callback(
    @Req() request: Request,
    @Res() response: Response,
    @Audit() audit: AuditContext,
  ): Promise<void> {
    const query = new URL(request.originalUrl, 'http://placeholder').searchParams;
    const outcome = await this.oidc.callback(query, audit);
    response.setHeader('Cache-Control', 'no-store');
    response.redirect(302, this.oidc.consoleRedirect(outcome));
  }
}
