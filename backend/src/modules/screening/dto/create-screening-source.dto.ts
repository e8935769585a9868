import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import type { CreateScreeningSourceRequest } from '@lien/shared';
import { Trim } from '../../../common/validation.js';

const TEXT = /^[^\p{Cc}]+$/u;

export class CreateScreeningSourceDto implements CreateScreeningSourceRequest {
  @ApiProperty({ example: 'Leaflet of the Lens maternity' })
  @IsString()
  @Trim()
  @Length(2, 120)
  @Matches(TEXT, { message: 'name must not contain control characters' })
  name!: string;

  @ApiPropertyOptional({ example: 'Maternité de Lens' })
  @IsOptional()
  @IsString()
  @Trim()
  @Length(1, 120)
  @Matches(TEXT, { message: 'partner must not contain control characters' })
  partner?: string;

  @ApiPropertyOptional({
    example: 'maternite-lens',
    description: 'a-z, 0-9 and dashes, 3 to 40; generated when absent',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/, {
    message: 'code must be 3 to 40 lower-case letters, digits or dashes, not starting or ending with a dash',
  })
  code?: string;
}
