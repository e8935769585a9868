import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { DEFAULT_ORGANISATION_SETTINGS, renderSms, smsTemplateProblems } from '@lien/shared';
import { analyseTemplate, sampleLink } from './sms-template';
import { testIdTyper } from '../ui/spec-helpers';
import { SmsTemplateEditor } from './sms-template-editor.component';

@Component({
  imports: [ReactiveFormsModule, SmsTemplateEditor],
  template: `<lien-sms-template-editor
    [formControl]="control"
    label="Invitation"
    organisation="PMI Arras"
    sender="Lien62"
    testId="editor"
  />`,
})
class Host {
  readonly control = new FormControl('{organisation} : bonjour, quelques questions : {link}', {
    nonNullable: true,
  });
}

describe('SMS template editor', () => {
  // The editor counts with a link on this console's own address.
  const link = sampleLink(location.origin);

  function render(): { host: Host; element: HTMLElement; type: (text: string) => Promise<void> } {
    TestBed.resetTestingModule();
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    const element = fixture.nativeElement as HTMLElement;
    const type = async (text: string): Promise<void> => {
      testIdTyper(() => element)('editor', text);
      await fixture.whenStable();
      fixture.detectChanges();
    };
    return { host: fixture.componentInstance, element, type };
  }

  const count = (element: HTMLElement): string =>
    element.querySelector('[data-testid="editor-count"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

  it('counts the message as sent: organisation as SMS name it and a full-length link in place of the placeholders', () => {
    const { element } = render();
    const expected = analyseTemplate(
      '{organisation} : bonjour, quelques questions : {link}',
      { name: 'PMI Arras', smsSender: 'Lien62' },
      link,
    );
    // No health word on a lock screen: the API sends "Arras", so the preview says "Arras".
    expect(expected.text).toBe(`Arras : bonjour, quelques questions : ${link}`);
    expect(element.querySelector('.preview')?.textContent).toContain(expected.text);
    expect(count(element)).toBe(`${expected.units} caractères, GSM-7, 1 SMS`);
    expect(element.querySelector('[data-testid="editor-problems"]')).toBeNull();
  });

  it('previews exactly the text the API sends (the same builder), for every default template and tricky names', () => {
    const organisations = [
      { name: 'PMI Arras', smsSender: 'Lien62' },
      { name: 'PMI du Pas-de-Calais', smsSender: 'Lien62' },
      { name: 'PMI', smsSender: 'Lien57' },
      { name: 'Maternité de l’hôpital Saint-Vincent', smsSender: 'StVincent' },
    ];
    for (const organisation of organisations) {
      for (const [language, templates] of Object.entries(DEFAULT_ORGANISATION_SETTINGS.smsTemplates)) {
        for (const kind of ['invitation', 'reminder'] as const) {
          // What the API's delivery service renders (backend/src/modules/sms/sms-delivery.service.ts).
          const sent = renderSms({
            templates: DEFAULT_ORGANISATION_SETTINGS.smsTemplates,
            language,
            kind,
            organisation,
            link,
          });
          expect(analyseTemplate(templates[kind], organisation, link).text).toBe(sent?.text);
        }
      }
    }
  });

  it('updates live, reports UCS-2 and the extra segments, and passes the value to the form', async () => {
    const { host, element, type } = render();
    await type('{organisation} 🙂 {link}');
    expect(host.control.value).toBe('{organisation} 🙂 {link}');
    expect(count(element)).toContain('UCS-2');
    expect(count(element)).toContain('🙂');

    await type(`${'a'.repeat(160)} {link}`);
    expect(count(element)).toContain('GSM-7, 2 SMS');
  });

  it('lists the problems the API would refuse, in words', async () => {
    const { element, type } = render();
    await type('Résultat de votre dépistage PMI {nom}');
    const problems = [...element.querySelectorAll('[data-testid="editor-problems"] li')].map((item) =>
      item.textContent?.trim(),
    );
    expect(problems).toContain('Le texte doit contenir {link}.');
    expect(problems).toContain('Variable inconnue : {nom}');
    expect(problems).toContain('Mot interdit dans un SMS : « Résultat »');
    expect(problems).toContain('Mot interdit dans un SMS : « PMI »');
  });

  it('finds the same problems as the shared rule', () => {
    expect(smsTemplateProblems('{organisation} : {link}')).toEqual([]);
    expect(smsTemplateProblems('bébé {link}')).toEqual([{ kind: 'forbiddenWord', word: 'bébé' }]);
  });
});
