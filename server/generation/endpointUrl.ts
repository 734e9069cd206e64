/**
 * The department server's address as the user writes it (`http://llm.radiology.local:8080`, `…/v1`,
 * `…/v1/chat/completions` or `…/v1/completions`), turned into the URLs the endpoint engine calls. Every form names the
 * same OpenAI-compatible server; conclusions are always asked for through its chat API, so that the server renders the
 * prompt with the model's own chat template (see docs/department-server.md).
 */
export interface EndpointUrls {
  /** The API root, ending in `/v1`. */
  apiBase: string;
  chatCompletions: string;
  models: string;
  /** What the status bar shows: the host, with its port when it is not the scheme's default. */
  displayName: string;
}

const API_SUFFIXES = ['/chat/completions', '/completions', '/models'];

/** Parses an endpoint URL; throws an `Error` whose message says what is wrong with it. */
export function endpointUrls(raw: string): EndpointUrls {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${raw}" is not a URL; write it like http://llm.radiology.local:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`"${raw}" must start with http:// or https://`);
  }
  if (url.username || url.password) {
    throw new Error(
      'the URL must not hold a user name or password; set the API key with "Radiology Report: Set server API key" (or RADREPORT_API_KEY for the CLI)',
    );
  }
  if (url.search || url.hash) throw new Error(`"${raw}" must not have a query or fragment`);
  let path = url.pathname.replace(/\/+$/, '');
  for (const suffix of API_SUFFIXES) {
    if (path.endsWith(suffix)) {
      path = path.slice(0, -suffix.length);
      break;
    }
  }
  if (!/\/v1$/.test(path)) path = `${path}/v1`;
  const apiBase = `${url.origin}${path}`;
  return {
    apiBase,
    chatCompletions: `${apiBase}/chat/completions`,
    models: `${apiBase}/models`,
    displayName: url.host,
  };
}
