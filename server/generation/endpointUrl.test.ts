import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointUrls } from './endpointUrl.ts';

test('every way of writing the server address names the same chat and models URLs', () => {
  for (const written of [
    'http://llm.radiology.local:8080',
    'http://llm.radiology.local:8080/',
    'http://llm.radiology.local:8080/v1',
    'http://llm.radiology.local:8080/v1/chat/completions',
    'http://llm.radiology.local:8080/v1/completions',
    ' http://llm.radiology.local:8080/v1/models/ ',
  ]) {
    assert.deepEqual(
      endpointUrls(written),
      {
        apiBase: 'http://llm.radiology.local:8080/v1',
        chatCompletions: 'http://llm.radiology.local:8080/v1/chat/completions',
        models: 'http://llm.radiology.local:8080/v1/models',
        displayName: 'llm.radiology.local:8080',
      },
      written,
    );
  }
  // Behind a reverse proxy under a path; the default port is not shown.
  assert.deepEqual(endpointUrls('https://gateway.hospital.org/radiology/llm'), {
    apiBase: 'https://gateway.hospital.org/radiology/llm/v1',
    chatCompletions: 'https://gateway.hospital.org/radiology/llm/v1/chat/completions',
    models: 'https://gateway.hospital.org/radiology/llm/v1/models',
    displayName: 'gateway.hospital.org',
  });
});

test('an address that cannot be used says why', () => {
  assert.throws(() => endpointUrls('llm.radiology.local:8080'), /must start with http/);
  assert.throws(() => endpointUrls('not a url'), /is not a URL/);
  assert.throws(() => endpointUrls('ftp://llm.radiology.local'), /must start with http:\/\/ or https:\/\//);
  assert.throws(() => endpointUrls('https://user:secret@llm.radiology.local'), /Set server API key/);
  assert.throws(() => endpointUrls('http://llm.radiology.local/v1?key=1'), /query/);
});
