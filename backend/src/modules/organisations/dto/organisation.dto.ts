import { IsIn, IsObject, IsTimeZone, Matches } from 'class-validator';
import {
  FRENCH_REGIONS,
  ORGANISATION_KINDS,
  type CreateOrganisationRequest,
  type OrganisationKind,
  type OrganisationSettingsPatch,
  type UpdateOrganisationRequest,
} from '@lien/shared';
import { EnumField, Field, TextField } from '../../../common/api-fields.js';

export const DEPARTEMENT_CODES: readonly string[] = Object.values(FRENCH_REGIONS).flat();
const REGION_NAMES: readonly string[] = Object.keys(FRENCH_REGIONS);

const IsDepartement = (): PropertyDecorator =>
  IsIn(DEPARTEMENT_CODES, {
    message: 'departement must be an INSEE département code such as "62", "2A" or "974"',
  });
export const IsRegion = (): PropertyDecorator =>
  IsIn(REGION_NAMES, { message: 'region must be a French region name' });
const IsTimeZoneName = (): PropertyDecorator =>
  IsTimeZone({ message: 'timeZone must be an IANA time zone such as "Europe/Paris"' });

export class CreateOrganisationDto implements CreateOrganisationRequest {
  @TextField({ example: 'PMI du Pas-de-Calais', min: 2, max: 200 }) name!: string;
  @EnumField(ORGANISATION_KINDS) kind!: OrganisationKind;
  @Field(
    { example: '62', description: 'INSEE département code, overseas included (971–976)' },
    IsDepartement(),
  )
  departement!: string;

  @Field(
    { optional: true, example: 'Hauts-de-France', description: 'Defaults to the region of the département' },
    IsRegion(),
  )
  region?: string;

  @Field(
    { optional: true, example: 'Europe/Paris', description: 'IANA time zone; defaults from the département' },
    IsTimeZoneName(),
  )
  timeZone?: string;

  @Field(
    { example: 'PMI62', description: '1–11 letters or digits, at least one letter' },
    Matches(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/, {
      message: 'smsSender must be 1 to 11 letters or digits, with at least one letter',
    }),
  )
  smsSender!: string;

  @Field(
    { optional: true, description: 'Settings merged onto the defaults (same shape as PATCH …/settings)' },
    IsObject(),
  )
  settings?: OrganisationSettingsPatch;
}

export class UpdateOrganisationDto implements UpdateOrganisationRequest {
  @TextField({ optional: 'not-null', min: 2, max: 200 }) name?: string;
  @EnumField(ORGANISATION_KINDS, { optional: 'not-null' }) kind?: OrganisationKind;
  @Field({ optional: 'not-null' }, IsDepartement()) departement?: string;
  @Field({ optional: 'not-null' }, IsRegion()) region?: string;
  @Field({ optional: 'not-null' }, IsTimeZoneName()) timeZone?: string;
}
