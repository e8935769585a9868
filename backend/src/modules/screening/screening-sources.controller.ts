import { applyDecorators, Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ScreeningSourceStats, ScreeningSourceView, ScreeningSourceWidget } from '@lien/shared';
import type { Response } from 'express';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { UuidParamPipe } from '../../common/auth/uuid-param.pipe.js';
import { ApiErrors, ApiResult } from '../../common/openapi.js';
import type { AuditContext } from '../audit/audit.service.js';
import { CreateScreeningSourceDto } from './dto/create-screening-source.dto.js';
import { ScreeningSourcesService } from './screening-sources.service.js';

/** A QR code answer (an image, not JSON; `ApiResultText` covers text types only). */
const ApiQrCode = (contentType: 'image/svg+xml' | 'image/png', description: string): MethodDecorator =>
  applyDecorators(
    ApiProduces(contentType),
    ApiResponse({
      status: 200,
      description,
      content: {
        [contentType]: {
          schema: contentType === 'image/png' ? { type: 'string', format: 'binary' } : { type: 'string' },
        },
      },
    }),
  );

/** Sources of self-screenings (partner sites, leaflets): org admins create them and download their QR code. */
@ApiTags('screening')
@ApiBearerAuth()
@Controller('api/screening-sources')
export class ScreeningSourcesController {
  constructor(private readonly sources: ScreeningSourcesService) {}

  @Post()
  @RequirePermission('organisation.settings.write')
  @ApiOperation({ summary: 'Create a source (name, partner, optional code); 409 when the code is taken' })
  @ApiResult('ScreeningSourceView', { status: 201 })
  @ApiErrors(400, 401, 403, { 409: 'source_code_taken: the code is already used' })
  create(
    @Body() body: CreateScreeningSourceDto,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<ScreeningSourceView> {
    return this.sources.create(scope, body, audit);
  }

  @Get()
  @RequirePermission('reports.read')
  @ApiOperation({ summary: 'Sources with screenings, positive rate and contact requests (1–4 hidden)' })
  @ApiResult('ScreeningSourceStats', { isArray: true })
  @ApiErrors(401, 403)
  list(@CurrentOrg() scope: OrgScope): Promise<ScreeningSourceStats[]> {
    return this.sources.list(scope);
  }

  @Get(':id/qr.svg')
  @RequirePermission('organisation.settings.write')
  @ApiOperation({ summary: "QR code of the source's page (SVG)" })
  @ApiQrCode('image/svg+xml', 'The QR code as SVG')
  @ApiErrors(401, 403, 404)
  async qrSvg(
    @Param('id', new UuidParamPipe('Screening source')) id: string,
    @CurrentOrg() scope: OrgScope,
    @Res() response: Response,
  ): Promise<void> {
    const svg = await this.sources.qrCode(scope, id, 'svg');
    response
      .status(200)
      .set({ 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'no-store' })
      .send(svg);
  }

  @Get(':id/qr.png')
  @RequirePermission('organisation.settings.write')
  @ApiOperation({ summary: "QR code of the source's page (PNG, 512 px)" })
  @ApiQrCode('image/png', 'The QR code as a 512 px PNG')
  @ApiErrors(401, 403, 404)
  async qrPng(
    @Param('id', new UuidParamPipe('Screening source')) id: string,
    @CurrentOrg() scope: OrgScope,
    @Res() response: Response,
  ): Promise<void> {
    const png = await this.sources.qrCode(scope, id, 'png');
    response.status(200).set({ 'Content-Type': 'image/png', 'Cache-Control': 'no-store' }).send(png);
  }

  @Get(':id/widget')
  @RequirePermission('organisation.settings.write')
  @ApiOperation({ summary: 'The widget snippet to paste on a partner site (iframe, automatic height)' })
  @ApiResult('ScreeningSourceWidget')
  @ApiErrors(401, 403, 404)
  widget(
    @Param('id', new UuidParamPipe('Screening source')) id: string,
    @CurrentOrg() scope: OrgScope,
  ): Promise<ScreeningSourceWidget> {
    return this.sources.widget(scope, id);
  }
}
