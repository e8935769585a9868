import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { createEnrolmentForm, createOtherParentForm } from './enrolment-form';
import { testIdTyper } from '../ui/spec-helpers';
import { ParentIdentityFieldset } from './parent-identity-fieldset.component';

jest.setTimeout(20_000);

/** The page's use of it: the first parent (with the consent text) and the other parent, the same component. */
@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ParentIdentityFieldset],
  template: `
    <lien-parent-identity-fieldset [group]="first" prefix="enrol" legend="Parent" [showConsentText]="true" />
    <lien-parent-identity-fieldset
      [group]="other"
      prefix="other"
      legend="L’autre parent"
      intro="Avec son propre téléphone"
      fieldsetTestId="enrol-other"
    />
  `,
})
class TwoParents {
  readonly first = createEnrolmentForm(() => '2026-03-10');
  readonly other = createOtherParentForm();
}

describe('ParentIdentityFieldset', () => {
  async function render() {
    TestBed.resetTestingModule();
    const fixture = TestBed.createComponent(TwoParents);
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('renders the same fields for both parents, each bound to its own form', async () => {
    const { fixture, element } = await render();
    const fieldsets = element.querySelectorAll('fieldset');
    expect(fieldsets).toHaveLength(2);
    expect([...fieldsets].map((fieldset) => fieldset.querySelector('legend')?.textContent?.trim())).toEqual([
      'Parent',
      'L’autre parent',
    ]);
    for (const prefix of ['enrol', 'other'])
      for (const field of ['first-name', 'last-name', 'phone', 'role', 'language', 'consent'])
        expect(element.querySelector(`[data-testid="${prefix}-${field}"]`)).not.toBeNull();

    testIdTyper(() => element)('other-phone', '06 98 76 54 32');
    await fixture.whenStable();
    expect(fixture.componentInstance.other.controls.phone.value).toBe('06 98 76 54 32');
    expect(fixture.componentInstance.first.controls.phone.value).toBe('');
    // The hint says how the number will be recorded, under that parent's field only.
    expect(fieldsets[1]!.textContent).toContain('Sera enregistré comme +33698765432');
    expect(fieldsets[0]!.textContent).not.toContain('+33698765432');
  });

  it('shows the consent text once and describes both consent checkboxes with it', async () => {
    const { element } = await render();
    expect(element.querySelectorAll('[data-testid="consent-text"]')).toHaveLength(1);
    const described = [...element.querySelectorAll('input[type="checkbox"]')].map((box) =>
      box.getAttribute('aria-describedby'),
    );
    expect(described).toEqual(['consent-text', 'consent-text']);
  });

  it('names each role group by its visible label and shows each parent’s own errors', async () => {
    const { fixture, element } = await render();
    for (const prefix of ['enrol', 'other']) {
      const group = element.querySelector(`[data-testid="${prefix}-role"]`)!;
      const label = element.querySelector(`#${group.getAttribute('aria-labelledby')}`);
      expect(label?.textContent).toContain('Rôle du parent');
    }
    fixture.componentInstance.other.markAllAsTouched();
    fixture.componentInstance.other.updateValueAndValidity();
    fixture.componentRef.changeDetectorRef.markForCheck();
    await fixture.whenStable();
    fixture.detectChanges();
    const [first, other] = element.querySelectorAll('fieldset');
    expect(other!.textContent).toContain('Le consentement du parent est nécessaire');
    expect(first!.textContent).not.toContain('Le consentement du parent est nécessaire');
  });
});
