import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { AuthService } from './auth.service';
import { RETRIED, SKIP_AUTH } from './auth-context';

/** Same-origin API calls only: the token never goes to another host. */
function isApiRequest(url: string): boolean {
  return url.startsWith('/api/');
}

/**
 * Adds `Authorization: Bearer …` to API calls. On a 401, refreshes the session once (shared by concurrent
 * requests) and retries the request with the new token; if the refresh fails the session ends.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (!isApiRequest(request.url) || request.context.get(SKIP_AUTH)) return next(request);
  const auth = inject(AuthService);
  const token = auth.accessToken();
  const authorised = token ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : request;
  return next(authorised).pipe(
    catchError((error: unknown) => {
      if (
        !(error instanceof HttpErrorResponse) ||
        error.status !== 401 ||
        !token ||
        request.context.get(RETRIED) ||
        request.url === '/api/auth/logout'
      ) {
        return throwError(() => error);
      }
      return from(auth.refresh()).pipe(
        switchMap((fresh) => {
          if (!fresh) return throwError(() => error);
          const retry = request.clone({
            setHeaders: { Authorization: `Bearer ${fresh}` },
            context: request.context.set(RETRIED, true),
          });
          return next(retry);
        }),
      );
    }),
  );
};
