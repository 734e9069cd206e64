import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateServerSettings } from './serverSettings.ts';

test('the department server settings: read, and a wrong value reported by name with the local model kept', () => {
  const good = validateServerSettings({
    endpoint: ' http://llm.radiology.local:8080/v1 ',
    endpointModel: 'radreport-ct',
    endpointFallback: 'local',
    endpointTimeoutMs: 20_000,
  });
  assert.deepEqual(good.problems, []);
  assert.equal(good.settings.endpoint, 'http://llm.radiology.local:8080/v1');
  assert.equal(good.settings.endpointModel, 'radreport-ct');
  assert.equal(good.settings.endpointFallback, 'local');
  assert.equal(good.settings.endpointTimeoutMs, 20_000);

  const bad = validateServerSettings({ endpoint: 'llm.radiology.local:8080', endpointModel: 7, endpointFallback: 'cloud', endpointTimeoutMs: 10 });
  assert.deepEqual(
    bad.problems.map((p) => `${p.path} ${p.message}`),
    [
      'radiologyReport.endpointTimeoutMs must be a whole number from 1000 to 600000, got 10; using the default',
      'radiologyReport.endpoint "llm.radiology.local:8080" must start with http:// or https://; using the local model',
      'radiologyReport.endpointModel must be a model name, got 7; using the default',
      'radiologyReport.endpointFallback must be "none" or "local", got "cloud"; using the default',
    ],
  );
  assert.equal(bad.settings.endpoint, '', 'a URL that cannot be used leaves the local model in charge');
  assert.equal(bad.settings.endpointFallback, 'none');

  // The API key is no setting: one written into settings anyway is not kept.
  const withKey = validateServerSettings({ endpoint: 'https://gateway.hospital.org/llm', endpointApiKey: 'secret' });
  assert.equal(withKey.settings.endpoint, 'https://gateway.hospital.org/llm');
  assert.ok(!JSON.stringify(withKey.settings).includes('secret'));
});
