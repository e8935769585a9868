import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
import type { ApiErrorDetail } from '@lien/shared';
import { invalidFields } from './errors.js';

function flatten(errors: ValidationError[], parent = ''): ApiErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Strict input: unknown fields are refused, every problem is named by its field path. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => invalidFields(flatten(errors)),
  });
}

export const EMAIL_MAX_LENGTH = 254;
/** One part of an address: no whitespace, no "@". A single character class: linear, no backtracking. */
const EMAIL_PART = /^[^\s@]+$/;

/**
 * `local@domain` with a dot inside the domain, at most 254 characters. The length is checked first and the
 * parts one pass each: the former single regex (`^[^\s@]+@[^\s@]+\.[^\s@]+$`) backtracks quadratically,
 * and a 90 kB field held the event loop for seconds.
 */
export function isEmailAddress(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > EMAIL_MAX_LENGTH) return false;
  const at = value.indexOf('@');
  if (at < 1) return false;
  const domain = value.slice(at + 1);
  return EMAIL_PART.test(value.slice(0, at)) && EMAIL_PART.test(domain) && domain.slice(1, -1).includes('.');
}

/** class-validator's form of `isEmailAddress` (length first, linear time). */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEmailAddress',
      validator: {
        validate: (value: unknown) => isEmailAddress(value),
        defaultMessage: () => `$property must be an email address of at most ${EMAIL_MAX_LENGTH} characters`,
      },
    },
    options,
  );
}

/**
 * `@IsOptional()` for fields that may be left out but never set to null: class-validator's own skips null too,
 * and a patch's `null` then reached a NOT NULL column (a 500). Here null is validated, and refused, like any
 * other wrong value.
 */
export function IsOptionalNotNull(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined, options);
}

/** Trims a string input before it is validated (other values pass through, for the validators to refuse). */
export function Trim(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }): unknown =>
    typeof value === 'string' ? value.trim() : value,
  );
}

/**
 * Several property decorators as one, applied as if written one above the other (the lowest first, as
 * TypeScript does): class-validator then reports a field's errors in the same order as the written stack.
 */
export function stackDecorators(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorator of [...decorators].reverse()) decorator(target, key);
  };
}
