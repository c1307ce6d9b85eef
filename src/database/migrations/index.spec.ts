import { readdirSync } from 'node:fs';
import { MIGRATIONS } from './index.js';

describe('MIGRATIONS', () => {
  it('lists every migration file in this folder, in timestamp order', () => {
    const files = readdirSync(import.meta.dirname)
      .filter((file) => /^\d{13}-\w+\.ts$/.test(file))
      .sort();
    const expected = files.map((file) => {
      const [, timestamp, name] = /^(\d{13})-(\w+)\.ts$/.exec(file) as RegExpExecArray;
      return `${name}${timestamp}`;
    });
    expect(MIGRATIONS.map((migration) => migration.name)).toEqual(expected);
  });
});
