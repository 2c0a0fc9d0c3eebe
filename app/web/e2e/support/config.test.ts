/**
 * @jest-environment node
 */
import { readE2eConfig } from './config';

test('with E2E_REQUIRED=1 a missing setting is an error, not a silent skip', () => {
  expect(() => readE2eConfig({ E2E_REQUIRED: '1' }, '/tmp')).toThrow(/E2E_BASE_URL/);
  expect(() =>
    readE2eConfig({ E2E_REQUIRED: '1', E2E_BASE_URL: 'https://localhost:8443' }, '/tmp'),
  ).toThrow(/E2E_ADMIN_CREDENTIALS_FILE, E2E_API_STOP_CMD, E2E_API_START_CMD/);
});

test('without E2E_REQUIRED an unset base URL means no config (the journeys skip loudly)', () => {
  expect(readE2eConfig({}, '/tmp')).toBeNull();
  expect(readE2eConfig({ E2E_BASE_URL: 'http://127.0.0.1:8080' }, '/tmp')).toMatchObject({
    baseUrl: 'http://127.0.0.1:8080',
    admin: null,
    apiStop: null,
  });
});
