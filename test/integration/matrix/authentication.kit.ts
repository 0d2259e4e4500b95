/**
 * API keys for the authentication suite, whose gateway accepts only tokens from the test's own
 * identity provider (so the helper's HS256 `as:` cannot be used there).
 */
import { expectData, type TestGateway } from '../../helpers/gateway.js';

const CREATE = `mutation C($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }`;

/** Creates an external user's key with an admin's bearer token; answers the key and its id. */
export async function createKeyAs(gw: TestGateway, adminToken: string, ownerEmail: string): Promise<{ key: string; id: string }> {
  const result = await gw.gql<{ createApiKey: { key: string; apiKey: { id: string } } }>(CREATE, {
    variables: { input: { ownerEmail, kind: 'EXTERNAL_USER', label: 'auth' } },
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const data = expectData(result, CREATE).createApiKey;
  return { key: data.key, id: data.apiKey.id };
}
