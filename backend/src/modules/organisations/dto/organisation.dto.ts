import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, IsTimeZone, Length, Matches } from 'class-validator';
import {
  FRENCH_REGIONS,
  ORGANISATION_KINDS,
  type CreateOrganisationRequest,
  type OrganisationKind,
  type OrganisationSettingsPatch,
  type UpdateOrganisationRequest,
} from '@lien/shared';
import { IsOptionalNotNull } from '../../../common/validation.js';

export const DEPARTEMENT_CODES: readonly string[] = Object.values(FRENCH_REGIONS).flat();
export const REGION_NAMES: readonly string[] = Object.keys(FRENCH_REGIONS);

export class CreateOrganisationDto implements CreateOrganisationRequest {
  @ApiProperty({ example: 'PMI du Pas-de-Calais' })
  @IsString()
  @Length(2, 200)
  name!: string;

  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS)
  kind!: OrganisationKind;

  @ApiProperty({ example: '62', description: 'INSEE département code, overseas included (971–976)' })
  @IsIn(DEPARTEMENT_CODES, {
    message: 'departement must be an INSEE département code such as "62", "2A" or "974"',
  })
  departement!: string;

  @ApiPropertyOptional({
    example: 'Hauts-de-France',
    description: 'Defaults to the region of the département',
  })
  @IsOptional()
  @IsIn(REGION_NAMES, { message: 'region must be a French region name' })
  region?: string;

  @ApiPropertyOptional({
    example: 'Europe/Paris',
    description: 'IANA time zone; defaults from the département',
  })
  @IsOptional()
  @IsTimeZone({ message: 'timeZone must be an IANA time zone such as "Europe/Paris"' })
  timeZone?: string;

  @ApiProperty({ example: 'PMI62', description: '1–11 letters or digits, at least one letter' })
  @Matches(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/, {
    message: 'smsSender must be 1 to 11 letters or digits, with at least one letter',
  })
  smsSender!: string;

  @ApiPropertyOptional({ description: 'Settings merged onto the defaults (same shape as PATCH …/settings)' })
  @IsOptional()
  @IsObject()
  settings?: OrganisationSettingsPatch;
}

export class UpdateOrganisationDto implements UpdateOrganisationRequest {
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @Length(2, 200) name?: string;
  @ApiPropertyOptional({ enum: ORGANISATION_KINDS })
  @IsOptionalNotNull()
  @IsIn(ORGANISATION_KINDS)
  kind?: OrganisationKind;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsIn(DEPARTEMENT_CODES, {
    message: 'departement must be an INSEE département code such as "62", "2A" or "974"',
  })
  departement?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsIn(REGION_NAMES, { message: 'region must be a French region name' })
  region?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsTimeZone({ message: 'timeZone must be an IANA time zone such as "Europe/Paris"' })
  timeZone?: string;
}
