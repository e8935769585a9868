import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import QRCode from 'qrcode';
import {
  RESERVED_SOURCE_CODES,
  countCell,
  rateOfCells,
  type ScreeningSourceStats,
  type ScreeningSourceView,
} from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { conflict, invalid, notFound } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import type { CreateScreeningSourceDto } from './dto/create-screening-source.dto.js';
import type { ScreeningSourceEntity } from './screening-source.entity.js';
import { ScreeningRepository } from './screening.repository.js';

/** Lower-case ASCII slug of a name ("Maternité de Lens" → "maternite-de-lens"). */
export function slugOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30)
    .replace(/-+$/g, '');
}

/** Sources of self-screenings, managed by org admins: create, list with counts, QR code, widget snippet. */
@Injectable()
export class ScreeningSourcesService {
  constructor(
    private readonly repository: ScreeningRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  url(code: string): string {
    return `${this.config.publicBaseUrl}/depistage/${code}`;
  }

  view(source: ScreeningSourceEntity): ScreeningSourceView {
    return {
      id: source.id,
      code: source.code,
      name: source.name,
      partner: source.partner,
      url: this.url(source.code),
      createdAt: source.createdAt.toISOString(),
    };
  }

  async create(
    scope: OrgScope,
    dto: CreateScreeningSourceDto,
    context: AuditContext,
  ): Promise<ScreeningSourceView> {
    if (dto.code && RESERVED_SOURCE_CODES.includes(dto.code))
      throw invalid('code', `"${dto.code}" is reserved`);
    const code = dto.code ?? `${slugOf(dto.name) || 'source'}-${randomBytes(3).toString('hex')}`;
    const source = await this.repository.insertSource({
      organisationId: scope.organisationId,
      code,
      name: dto.name,
      partner: dto.partner ?? null,
    });
    if (!source) throw conflict('source_code_taken', `code "${code}" is already used`, { field: 'code' });
    await this.audit.record(context, {
      action: 'screening_source.create',
      targetType: 'screening_source',
      targetId: source.id,
      metadata: { code },
    });
    return this.view(source);
  }

  /** Each source with its screenings, positive screenings and contact requests (1–4 hidden, as in reports). */
  async list(scope: OrgScope): Promise<ScreeningSourceStats[]> {
    const sources = await this.repository.sourcesOf(scope.organisationId);
    const counts = await this.repository.countsBySource(sources.map((source) => source.id));
    return sources.map((source) => {
      const row = counts.get(source.id) ?? { screenings: 0, positive: 0, contactRequests: 0 };
      const screenings = countCell(row.screenings);
      const positive = countCell(row.positive);
      return {
        source: this.view(source),
        screenings,
        positive,
        positiveRate: rateOfCells(positive, [screenings]),
        contactRequests: countCell(row.contactRequests),
      };
    });
  }

  private async source(scope: OrgScope, id: string): Promise<ScreeningSourceEntity> {
    const source = await this.repository.findSource(scope.organisationId, id);
    if (!source) throw notFound('Screening source');
    return source;
  }

  /** The QR code of the source's page, generated here (no third-party service). */
  async qrCode(scope: OrgScope, id: string, format: 'svg' | 'png'): Promise<string | Buffer> {
    const source = await this.source(scope, id);
    const url = this.url(source.code);
    return format === 'svg'
      ? QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
      : QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 });
  }

  /**
   * The snippet a partner pastes: an iframe of the embeddable page and a few lines that set its height from the
   * page's messages (only from Lien's origin). No cookie, no request to anyone but Lien; the host's CSP needs only
   * `frame-src` of Lien.
   */
  async widget(scope: OrgScope, id: string): Promise<{ url: string; snippet: string }> {
    const source = await this.source(scope, id);
    const origin = new URL(this.config.publicBaseUrl).origin;
    const url = `${this.url(source.code)}?embed=1`;
    const frameId = `lien-depistage-${source.code}`;
    const snippet = `<iframe id="${frameId}" src="${url}" title="Questionnaire EPDS - Lien" style="width:100%;border:0;min-height:600px" loading="lazy" referrerpolicy="no-referrer"></iframe>
<script>
window.addEventListener('message', function (event) {
  if (event.origin !== '${origin}' || !event.data || event.data.lien !== 'height') return;
  var frame = document.getElementById('${frameId}');
  if (frame && event.source === frame.contentWindow) frame.style.height = Math.ceil(event.data.height) + 'px';
});
</script>`;
    return { url, snippet };
  }
}
