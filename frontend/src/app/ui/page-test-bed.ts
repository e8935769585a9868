import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal, type Type } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { MeResponse, Permission } from '@lien/shared';
import { AuthService } from '../core/auth/auth.service';

/** For page specs: a fresh test bed with the HTTP backend under test and "me" holding these permissions. */
export function configurePageTestBed(permissions: readonly Permission[]): void {
  TestBed.resetTestingModule();
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      provideHttpClient(),
      provideHttpClientTesting(),
      {
        provide: AuthService,
        useValue: {
          me: signal<Partial<MeResponse>>({ id: 'me' }),
          permissions: signal(new Set(permissions)),
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

/** Creates a routed page with its `id` route parameter and lets it send its first requests. */
export function openPage<T>(page: Type<T>, id: string): OpenedPage<T> {
  const fixture = TestBed.createComponent(page);
  fixture.componentRef.setInput('id', id);
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
