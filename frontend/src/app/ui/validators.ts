import { Validators, type ValidatorFn } from '@angular/forms';

/*
 * Angular's static validators as plain functions. They use no `this`, but the type-checked lint rule
 * (unbound-method) cannot know that when they are passed by reference.
 */
export const required: ValidatorFn = (control) => Validators.required(control);
export const email: ValidatorFn = (control) => Validators.email(control);
/** A box that must be ticked (a consent). */
export const requiredTrue: ValidatorFn = (control) => Validators.requiredTrue(control);
