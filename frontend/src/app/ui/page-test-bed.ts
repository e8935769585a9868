import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal, type Provider, type Type } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter, type Routes } from '@angular/router';
import type { MeResponse, Permission } from '@lien/shared';
import { AuthService } from '../core/auth/auth.service';

/** What a page spec may add to the test bed: more of "me", more of the AuthService stand-in, more providers. */
export interface PageTestBedOptions {
  /** Fields of "me" besides its id (its organisation…). */
  me?: Partial<MeResponse>;
  /** More members of the AuthService stand-in (an access token, `refresh`…). */
  auth?: Record<string, unknown>;
  /** More providers (a fake event source…). */
  providers?: Provider[];
  /** The routes the page may navigate to (none by default). */
  routes?: Routes;
}

/** For specs of what the browser remembers (the language, the session): a fresh test bed and empty storage. */
export function resetTestBedAndStorage(): void {
  sessionStorage.clear();
  localStorage.clear();
  TestBed.resetTestingModule();
}

/** For page specs: a fresh test bed with the HTTP backend under test and "me" holding these permissions. */
export function configurePageTestBed(
  permissions: readonly Permission[],
  options: PageTestBedOptions = {},
): void {
  TestBed.resetTestingModule();
  TestBed.configureTestingModule({
    providers: [
      provideRouter(options.routes ?? []),
      provideHttpClient(),
      provideHttpClientTesting(),
      ...(options.providers ?? []),
      {
        provide: AuthService,
        useValue: {
          ...options.auth,
          me: signal<Partial<MeResponse>>({ id: 'me', ...options.me }),
          can: (permission: Permission) => permissions.includes(permission),
        },
      },
    ],
  });
}

export interface OpenedPage<T> {
  fixture: ComponentFixture<T>;
  element: HTMLElement;
  backend: HttpTestingController;
}

/**
 * Creates a routed page (with its `id` route parameter when it has one) and lets it send its first requests;
 * they stay pending until the spec answers them.
 */
export function openPage<T>(page: Type<T>, id?: string): OpenedPage<T> {
  const fixture = TestBed.createComponent(page);
  if (id !== undefined) fixture.componentRef.setInput('id', id);
  fixture.detectChanges();
  TestBed.tick();
  return {
    fixture,
    element: fixture.nativeElement as HTMLElement,
    backend: TestBed.inject(HttpTestingController),
  };
}

/** Lets the resources see their answers (promise callbacks) and run the effects, without waiting for stability. */
export async function tick(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
  TestBed.tick();
}

/** The cells of a table (a chart's accessible table…) with that `data-testid`, row by row. */
export function tableRows(root: ParentNode, testId: string): string[][] {
  return [...root.querySelectorAll(`[data-testid="${testId}"] tr`)].map((row) =>
    [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? ''),
  );
}
