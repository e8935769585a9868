// jest: Angular's test environment without zone.js (the console is zoneless).
import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

setupZonelessTestEnv();

// jsdom says "en-US"; the console's users are French: specs start from a French browser unless they say otherwise.
Object.defineProperty(window.navigator, 'language', { value: 'fr-FR', configurable: true });

// jsdom has no canvas (charts): a silent "no context" instead of a "not implemented" error on the console.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;
