import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { SUPPORTED_EPDS_LANGUAGES, type ContactRequestEnrolRequest } from '@lien/shared';
import { ConsentDto } from '../../parents/dto/parent.dto.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const NAME = /^(?=.*\p{L})[^\p{Cc}]+$/u;
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** What enrolment needs beyond the request (first name, phone, role and language come pre-filled). */
export class EnrolContactRequestDto implements ContactRequestEnrolRequest {
  @ApiProperty({ example: 'Martin' })
  @IsString()
  @Transform(trim)
  @Length(1, 100)
  @Matches(NAME, { message: 'lastName must contain letters and no control characters' })
  lastName!: string;

  @ApiPropertyOptional({ example: '2026-02-26' })
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE, { message: 'birthDate must be a date YYYY-MM-DD' })
  birthDate?: string;

  @ApiPropertyOptional({ example: '2026-06-15' })
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE, { message: 'expectedTermDate must be a date YYYY-MM-DD' })
  expectedTermDate?: string;

  @ApiPropertyOptional({ description: 'Overrides the first name of the request' })
  @IsOptional()
  @IsString()
  @Transform(trim)
  @Length(1, 100)
  @Matches(NAME, { message: 'firstName must contain letters and no control characters' })
  firstName?: string;

  @ApiPropertyOptional({ description: 'Overrides the phone of the request (required if it gave none)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;

  @ApiPropertyOptional({ enum: SUPPORTED_EPDS_LANGUAGES })
  @IsOptional()
  @IsIn(SUPPORTED_EPDS_LANGUAGES)
  language?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all')
  referentUserId?: string;

  @ApiProperty({ type: ConsentDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent!: ConsentDto;
}
