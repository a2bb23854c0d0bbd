import type { Config } from '../config/schema.js';
import { announceDemo, noWorkspaceError, onTerminal, workspaceConfigured } from './workspace-choice.js';

/**
 * Whether `start` must ask its background proxy for the demo workspace. The
 * proxy has no terminal, so the fallback is decided here, where the user
 * is: on a terminal with no workspace configured it is the demo, said so;
 * without one it is the same error as `serve`'s.
 */
export function chooseDemo(config: Config): boolean {
  if (config.demo || workspaceConfigured(config)) return false;
  if (!onTerminal()) throw noWorkspaceError();
  announceDemo();
  return true;
}
