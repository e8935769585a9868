import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import type { AlertEventRequest } from '@lien/shared';
import { AlertEventDialog, eventRequest, type AlertEventDialogData } from './alert-event.dialog';
import { testIdTyper } from '../ui/spec-helpers';
import type { ReferralResource } from './alerts-api';

// Component specs compile Material templates on first use: more than jest's default 5 s on a small machine.
jest.setTimeout(20_000);

const DIRECTORY: ReferralResource[] = [
  {
    id: 'r-cmp',
    name: 'CMP Arras',
    kind: 'cmp',
    address: null,
    phone: null,
    languages: ['fr'],
    acceptsNewPatients: true,
    usualDelayDays: 21,
  },
  {
    id: 'r-umb',
    name: 'Unité mère-bébé de Lille',
    kind: 'mother_baby_unit',
    address: null,
    phone: null,
    languages: ['fr', 'en'],
    acceptsNewPatients: false,
    usualDelayDays: null,
  },
];

describe('AlertEventDialog, the referral step', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    document.body.querySelectorAll('.cdk-overlay-container').forEach((node) => node.remove());
  });

  /** Opens the dialog through the real MatDialog; answers the directory read. */
  async function open(
    data: Partial<AlertEventDialogData> = {},
    directory: ReferralResource[] | 'error' = DIRECTORY,
  ): Promise<{ closed: Promise<AlertEventRequest | undefined>; root: HTMLElement }> {
    const ref = TestBed.inject(MatDialog).open<AlertEventDialog, AlertEventDialogData, AlertEventRequest>(
      AlertEventDialog,
      { data: { type: 'referral', outcomes: [], ...data } },
    );
    const closed = firstValueFrom(ref.afterClosed());
    TestBed.tick();
    const read = backend.expectOne('/api/referral-resources');
    if (directory === 'error') read.flush('down', { status: 503, statusText: 'Unavailable' });
    else read.flush(directory);
    await settle();
    return { closed, root: document.querySelector('lien-alert-event-dialog') as HTMLElement };
  }

  async function settle(): Promise<void> {
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
    TestBed.tick();
  }

  const sectionOrder = (root: HTMLElement): string[] =>
    [...root.querySelectorAll<HTMLElement>('section.route')].map((section) =>
      section.classList.contains('emergency')
        ? 'emergency'
        : section.dataset['testid'] === 'event-directory'
          ? 'directory'
          : 'other',
    );
  const click = async (root: HTMLElement, testId: string): Promise<void> => {
    // A Material radio button is selected through its native input.
    const host = root.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
    (host?.querySelector<HTMLElement>('input') ?? host)!.click();
    await settle();
  };

  /** Chooses an option of a Material select by its text. */
  const pick = async (root: HTMLElement, testId: string, text: string): Promise<void> => {
    (root.querySelector(`[data-testid="${testId}"] .mat-mdc-select-trigger`) as HTMLElement).click();
    await settle();
    const option = [...document.querySelectorAll<HTMLElement>('mat-option')].find(
      (candidate) => candidate.textContent?.trim() === text,
    );
    option!.click();
    await settle();
  };

  it('offers the emergency routes first when item 10 is positive, and records the route chosen', async () => {
    const { closed, root } = await open({ item10Positive: true });
    expect(root.querySelector('[data-testid="event-emergency-first"]')?.textContent).toContain('question 10');
    expect(sectionOrder(root)).toEqual(['emergency', 'directory', 'other']);
    expect(root.querySelector('[data-testid="event-emergency"]')?.textContent).toContain('SAMU (15)');
    expect(root.querySelector('[data-testid="event-emergency"]')?.textContent).toContain(
      'Psychiatrie de secteur (CMP)',
    );
    await click(root, 'event-emergency-samu');
    await click(root, 'event-submit');
    expect(await closed).toEqual({ type: 'referral', to: 'samu' });
  });

  it('puts the directory first otherwise, filterable by kind, with new patients and the usual delay', async () => {
    const { closed, root } = await open();
    expect(sectionOrder(root)).toEqual(['directory', 'emergency', 'other']);
    expect(root.querySelector('[data-testid="event-emergency-first"]')).toBeNull();
    const cmp = root.querySelector('[data-testid="event-resource-r-cmp"]')?.textContent ?? '';
    expect(cmp).toContain('CMP Arras');
    expect(cmp).toContain('Accepte de nouveaux patients');
    expect(cmp).toContain('délai habituel : 21 j');
    expect(root.querySelector('[data-testid="event-resource-r-umb"]')?.textContent).toContain(
      'N’accepte pas de nouveaux patients',
    );

    // The kind filter keeps the mother-baby units only.
    await pick(root, 'event-directory-kind', 'Unité mère-bébé');
    expect(root.querySelector('[data-testid="event-resource-r-cmp"]')).toBeNull();
    await click(root, 'event-resource-r-umb');
    await click(root, 'event-submit');
    expect(await closed).toEqual({ type: 'referral', resourceId: 'r-umb' });
  });

  it('says when the directory cannot be read, and still allows a category with free text', async () => {
    const { closed, root } = await open({}, 'error');
    expect(root.querySelector('[data-testid="event-directory-failed"]')).not.toBeNull();
    await click(root, 'event-submit');
    expect(root.querySelector('[data-testid="event-referral-required"]')).not.toBeNull();
    await click(root, 'event-referral-category');
    await pick(root, 'event-referral-to', 'Autre destination');
    await click(root, 'event-submit');
    // "Other" needs the destination in words: the dialog stays open.
    expect(TestBed.inject(MatDialog).openDialogs).toHaveLength(1);
    testIdTyper(() => root)('event-destination', 'Dr Lambert, psychiatre à Lens');
    await settle();
    await click(root, 'event-submit');
    expect(await closed).toEqual({
      type: 'referral',
      to: 'other',
      destination: 'Dr Lambert, psychiatre à Lens',
    });
  });
});

describe('eventRequest for a referral', () => {
  const values = {
    note: '',
    outcome: '',
    channel: 'phone',
    to: '',
    closeOutcome: '',
    choice: '',
    destination: '',
  };

  it('turns the choice into the API body', () => {
    expect(eventRequest('referral', values)).toBeNull();
    expect(eventRequest('referral', { ...values, choice: 'resource:r1', to: 'gp', note: ' RDV ' })).toEqual({
      type: 'referral',
      resourceId: 'r1',
      note: 'RDV',
    });
    expect(eventRequest('referral', { ...values, choice: 'emergency_department' })).toEqual({
      type: 'referral',
      to: 'emergency_department',
    });
    expect(
      eventRequest('referral', { ...values, choice: 'category', to: 'other', destination: '  ' }),
    ).toBeNull();
    expect(
      eventRequest('referral', { ...values, choice: 'category', to: 'gp', destination: ' Dr B ' }),
    ).toEqual({
      type: 'referral',
      to: 'gp',
      destination: 'Dr B',
    });
  });
});
