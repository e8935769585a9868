import { Component, signal, viewChild } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormFeedback } from './form-feedback.component';

@Component({
  imports: [FormFeedback],
  template: `<lien-form-feedback testId="sample" [message]="message()" [error]="error()" />`,
})
class Host {
  readonly message = signal('');
  readonly error = signal<string | null>(null);
  readonly feedback = viewChild.required(FormFeedback);
}

describe('FormFeedback', () => {
  it('hides an empty status, shows a message, and focuses the error once drawn', async () => {
    TestBed.resetTestingModule();
    const fixture = TestBed.createComponent(Host);
    fixture.autoDetectChanges();
    document.body.append(fixture.nativeElement as HTMLElement);
    const element = fixture.nativeElement as HTMLElement;
    const status = element.querySelector<HTMLElement>('[data-testid="sample-status"]')!;
    expect(status.getAttribute('role')).toBe('status');
    expect(status.classList.contains('shown')).toBe(false);
    expect(element.querySelector('[data-testid="sample-error"]')).toBeNull();

    fixture.componentInstance.message.set('Source ajoutée.');
    await fixture.whenStable();
    expect(status.classList.contains('shown')).toBe(true);
    expect(status.textContent?.trim()).toBe('Source ajoutée.');

    fixture.componentInstance.error.set('À vérifier : Nom.');
    fixture.componentInstance.feedback().focusError();
    await fixture.whenStable();
    const error = element.querySelector<HTMLElement>('[data-testid="sample-error"]')!;
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent?.trim()).toBe('À vérifier : Nom.');
    expect(document.activeElement).toBe(error);
    fixture.destroy();
  });
});
