import { Body, Res } from '@nestjs/common';
import type { ScreeningSourceStats, ScreeningSourceView, ScreeningSourceWidget } from '@lien/shared';
import type { Response } from 'express';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, OrgCaller } from '../../common/auth/decorators.js';
import { ApiController, IdParam, Route } from '../../common/route.js';
import { CreateScreeningSourceDto } from './dto/create-screening-source.dto.js';
import { ScreeningSourcesService } from './screening-sources.service.js';

/** The answer's type of each QR code format. */
const QR_CONTENT_TYPE = { svg: 'image/svg+xml; charset=utf-8', png: 'image/png' } as const;

/** Sources of self-screenings (partner sites, leaflets): org admins create them and download their QR code. */
@ApiController('screening', 'api/screening-sources')
export class ScreeningSourcesController {
  constructor(private readonly sources: ScreeningSourcesService) {}

  @Route('POST', 'organisation.settings.write', {
    summary: 'Create a source (name, partner, optional code); 409 when the code is taken',
    errors: [400, { 409: 'source_code_taken: the code is already used' }],
    result: 'ScreeningSourceView',
  })
  create(
    @Body() body: CreateScreeningSourceDto,
    @OrgCaller() { scope, audit }: OrgCaller,
  ): Promise<ScreeningSourceView> {
    return this.sources.create(scope, body, audit);
  }

  @Route('GET', 'reports.read', {
    summary: 'Sources with screenings, positive rate and contact requests (1–4 hidden)',
    result: { schema: 'ScreeningSourceStats', isArray: true },
  })
  list(@CurrentOrg() scope: OrgScope): Promise<ScreeningSourceStats[]> {
    return this.sources.list(scope);
  }

  @Route('GET :id/qr.svg', 'organisation.settings.write', {
    summary: "QR code of the source's page (SVG)",
    errors: [404],
    result: { contentType: 'image/svg+xml', description: 'The QR code as SVG' },
  })
  async qrSvg(
    @IdParam('Screening source') id: string,
    @CurrentOrg() scope: OrgScope,
    @Res() response: Response,
  ): Promise<void> {
    await this.sendQrCode(scope, id, 'svg', response);
  }

  @Route('GET :id/qr.png', 'organisation.settings.write', {
    summary: "QR code of the source's page (PNG, 512 px)",
    errors: [404],
    result: { contentType: 'image/png', description: 'The QR code as a 512 px PNG' },
  })
  async qrPng(
    @IdParam('Screening source') id: string,
    @CurrentOrg() scope: OrgScope,
    @Res() response: Response,
  ): Promise<void> {
    await this.sendQrCode(scope, id, 'png', response);
  }

  @Route('GET :id/widget', 'organisation.settings.write', {
    summary: 'The widget snippet to paste on a partner site (iframe, automatic height)',
    errors: [404],
    result: 'ScreeningSourceWidget',
  })
  widget(
    @IdParam('Screening source') id: string,
    @CurrentOrg() scope: OrgScope,
  ): Promise<ScreeningSourceWidget> {
    return this.sources.widget(scope, id);
  }

  private async sendQrCode(
    scope: OrgScope,
    id: string,
    format: keyof typeof QR_CONTENT_TYPE,
    response: Response,
  ): Promise<void> {
    const image = await this.sources.qrCode(scope, id, format);
    response
      .status(200)
      .set({ 'Content-Type': QR_CONTENT_TYPE[format], 'Cache-Control': 'no-store' })
      .send(image);
  }
}
