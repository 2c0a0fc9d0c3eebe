import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from './config';

describe('sink config', () => {
  it('defaults to the lab ports with no credentials', () => {
    expect(loadConfig({})).toEqual({
      host: '0.0.0.0',
      httpPort: 8080,
      smtpPort: 2525,
      webhookToken: undefined,
      smtpUser: undefined,
      smtpPassword: undefined,
    });
  });

  it('reads secrets from files, trimmed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sink-cfg-'));
    fs.writeFileSync(path.join(dir, 'token'), 'tok\n');
    fs.writeFileSync(path.join(dir, 'pw'), 'secret\n');
    expect(
      loadConfig({
        SINK_WEBHOOK_TOKEN_FILE: path.join(dir, 'token'),
        SINK_SMTP_USER: 'alertmanager',
        SINK_SMTP_PASSWORD_FILE: path.join(dir, 'pw'),
      }),
    ).toMatchObject({ webhookToken: 'tok', smtpUser: 'alertmanager', smtpPassword: 'secret' });
  });

  it('rejects an SMTP user without a password file, and a bad port', () => {
    expect(() => loadConfig({ SINK_SMTP_USER: 'a' })).toThrow(/must be set together/);
    expect(() => loadConfig({ SINK_HTTP_PORT: '70000' })).toThrow();
    // Number(text) read these as ports; a setting is decimal digits only.
    for (const text of ['8080 ', '8e3', '0x1f90', ''])
      expect(() => loadConfig({ SINK_HTTP_PORT: text })).toThrow(
        /must be a whole number written in digits/,
      );
    expect(loadConfig({ SINK_SMTP_PORT: '02525' }).smtpPort).toBe(2525);
  });
});
