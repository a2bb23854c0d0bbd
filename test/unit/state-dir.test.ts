import { describe, expect, it } from 'vitest';
import { stateDir } from '../../src/state/state-dir.js';

describe('stateDir', () => {
  it('uses XDG_STATE_HOME when it is absolute', () => {
    expect(stateDir({ XDG_STATE_HOME: '/var/x', HOME: '/home/a' })).toBe('/var/x/dbx-proxy');
  });
  it('falls back to ~/.local/state for an unset or relative XDG_STATE_HOME', () => {
    expect(stateDir({ HOME: '/home/a' })).toBe('/home/a/.local/state/dbx-proxy');
    expect(stateDir({ XDG_STATE_HOME: 'rel', HOME: '/home/a' })).toBe('/home/a/.local/state/dbx-proxy');
  });
});
