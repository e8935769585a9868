import type { INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';

/** The routes Express actually serves, as `METHOD /path` (Express's `:param` form). */
export function expressRoutes(app: INestApplication): string[] {
  const http = app.getHttpAdapter().getInstance() as unknown as {
    router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
  };
  return http.router.stack
    .filter((layer) => layer.route && typeof layer.route.path === 'string')
    .flatMap((layer) =>
      Object.keys(layer.route?.methods ?? {})
        .filter((method) => method !== '_all')
        .map((method) => `${method.toUpperCase()} ${layer.route?.path ?? ''}`),
    );
}

export type ControllerClass = new (...args: never[]) => object;

/** One route handler Nest mounted: a controller method that carries a route path. */
export interface MountedHandler {
  controller: ControllerClass;
  name: string;
  handler: (...args: unknown[]) => unknown;
}

/** Every route handler of every controller of the app, to read their decorators' metadata. */
export function mountedHandlers(app: INestApplication): MountedHandler[] {
  const scanner = new MetadataScanner();
  const found: MountedHandler[] = [];
  for (const module of app.get(ModulesContainer).values())
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as ControllerClass | null;
      if (!controller || typeof controller !== 'function') continue;
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as MountedHandler['handler'];
        if (Reflect.getMetadata(PATH_METADATA, handler) !== undefined)
          found.push({ controller, name, handler });
      }
    }
  return found;
}
