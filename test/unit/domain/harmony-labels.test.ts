import { describe, expect, it } from 'vitest';
import { roleMatches } from '../../../src/domain/harmony-labels.js';

const role = (name: string, permissions: ('READ' | 'ADMIN' | 'AGENT_INSTALL' | 'API_CONSUMER' | 'APP_DEVELOPER')[], active = true) => ({ name, permissions, active });

describe('roleMatches (the Roles tab search)', () => {
  it('matches the name, the permission labels and the status, in any case', () => {
    expect(roleMatches(role('Field Ops', ['READ']), 'field')).toBe(true);
    expect(roleMatches(role('Field Ops', ['AGENT_INSTALL']), 'Agent Inst')).toBe(true);
    expect(roleMatches(role('Field Ops', ['READ'], false), 'INACTIVE')).toBe(true);
    expect(roleMatches(role('Field Ops', ['READ']), 'inactive')).toBe(false);
    expect(roleMatches(role('Field Ops', ['READ']), 'admin')).toBe(false);
  });

  it('treats underscores and runs of spaces alike, on both sides', () => {
    expect(roleMatches(role('x', ['API_CONSUMER']), 'api_consumer')).toBe(true);
    expect(roleMatches(role('x', ['API_CONSUMER']), 'API   consumer')).toBe(true);
    expect(roleMatches(role('api_admin_role', ['READ']), 'api admin')).toBe(true);
  });

  it('a blank search matches every role', () => {
    expect(roleMatches(role('x', ['READ']), '  ')).toBe(true);
  });
});
