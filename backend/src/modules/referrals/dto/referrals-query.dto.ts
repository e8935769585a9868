import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class ReferralsQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only this organisation’s directory (coordinators: an organisation of their territory)',
  })
  @IsOptional()
  @IsUUID('all', { message: 'organisationId must be a UUID' })
  organisationId?: string;
}
