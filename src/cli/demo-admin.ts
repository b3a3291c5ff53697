// The demo admin account as a person at the terminal notices it: a few plain lines
// set apart from the JSON log, after the portal listens (so the address works).
import path from 'node:path';
import type { DemoAdmin } from '../../demo/seed.js';

export function demoAdminBlock(admin: DemoAdmin, publicUrl: string): string {
  const rule = '-'.repeat(60);
  const file = path.relative(process.cwd(), admin.file) || admin.file;
  return [
    '',
    rule,
    `  The demo portal is ready: ${publicUrl}/`,
    `  Back office: ${publicUrl}/login, as the demo admin:`,
    `    e-mail    ${admin.email}`,
    `    password  ${admin.password}`,
    `  (kept in ${file.startsWith('..') ? admin.file : file})`,
    rule,
    '',
    '',
  ].join('\n');
}
