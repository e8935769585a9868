import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { REFERRAL_RESOURCE_KINDS, type ReferralResourceView } from '@lien/shared';

@ApiSchema({ name: 'ReferralResourceView' })
export class ReferralResourceViewResponse implements ReferralResourceView {
  @ApiProperty({ type: String, format: 'uuid' })
  id!: ReferralResourceView['id'];

  @ApiProperty({ type: String, format: 'uuid', description: 'The organisation whose directory holds it' })
  organisationId!: ReferralResourceView['organisationId'];

  @ApiProperty({ type: String, example: 'Maternité d’Arras' })
  organisationName!: ReferralResourceView['organisationName'];

  @ApiProperty({ type: String, example: 'CMP Arras' })
  name!: ReferralResourceView['name'];

  @ApiProperty({ enum: REFERRAL_RESOURCE_KINDS })
  kind!: ReferralResourceView['kind'];

  @ApiProperty({ type: String, nullable: true })
  address!: ReferralResourceView['address'];

  @ApiProperty({ type: String, nullable: true, description: 'E.164', example: '+33321000000' })
  phone!: ReferralResourceView['phone'];

  @ApiProperty({ type: String, isArray: true, example: ['fr', 'en'] })
  languages!: ReferralResourceView['languages'];

  @ApiProperty({ type: Boolean })
  acceptsNewPatients!: ReferralResourceView['acceptsNewPatients'];

  @ApiProperty({ type: Number, nullable: true })
  usualDelayDays!: ReferralResourceView['usualDelayDays'];

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: ReferralResourceView['updatedAt'];
}
