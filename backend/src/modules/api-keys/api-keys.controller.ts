import { Body } from '@nestjs/common';
import type { ApiKeyView, CreatedApiKey } from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, OrgCaller } from '../../common/auth/decorators.js';
import { ApiController, IdParam, Route } from '../../common/route.js';
import { ApiKeysService } from './api-keys.service.js';
import { CreateApiKeyDto } from './dto/api-key.dto.js';

@ApiController('integrations', 'api/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Route('POST', 'integrations.manage', {
    summary: 'Create a partner API key (the key is in this answer only)',
    errors: [400],
    result: 'CreatedApiKey',
  })
  create(
    @Body() body: CreateApiKeyDto,
    @OrgCaller() { scope, user, audit }: OrgCaller,
  ): Promise<CreatedApiKey> {
    return this.keys.create(scope, user, body, audit);
  }

  @Route('GET', 'integrations.manage', {
    summary: 'The organisation’s API keys (prefix only, never the key)',
    result: { schema: 'ApiKeyView', isArray: true },
  })
  list(@CurrentOrg() scope: OrgScope): Promise<ApiKeyView[]> {
    return this.keys.list(scope);
  }

  @Route('DELETE :id', 'integrations.manage', {
    summary: 'Revoke an API key: refused (401) from its next request on',
    errors: [400, 404, { 409: 'already_revoked: the key was revoked before' }],
    result: { schema: 'ApiKeyView', description: 'The key, now revoked' },
  })
  revoke(@IdParam('API key') id: string, @OrgCaller() { scope, audit }: OrgCaller): Promise<ApiKeyView> {
    return this.keys.revoke(scope, id, audit);
  }
}
