import { UuidField } from '../../../common/api-fields.js';

export class ReferralsQueryDto {
  @UuidField({
    optional: true,
    format: 'uuid',
    description: 'Only this organisation’s directory (coordinators: an organisation of their territory)',
  })
  organisationId?: string;
}
