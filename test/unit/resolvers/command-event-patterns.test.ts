/**
 * Crash recovery confirms a command from the device's event log (device-command.recovery.ts): each
 * command's pattern must find the simulator's wording of that command, and no other command's.
 */
import { describe, expect, it } from 'vitest';
import { DEVICE_COMMANDS } from '../../../src/datasources/uem/uem.bulk.js';
import { EVENT_PATTERN } from '../../../src/resolvers/device-commands/device-command.recovery.js';
import { COMMAND_EVENTS } from '../../../src/simulators/uem/uem.commands.routes.js';

describe('event-log patterns of device commands', () => {
  it.each(DEVICE_COMMANDS)('%s is found by its own pattern only', (command) => {
    const event = COMMAND_EVENTS[command];
    const matching = DEVICE_COMMANDS.filter((c) => EVENT_PATTERN[c].test(event));
    expect(matching).toEqual([command]);
  });
});
