// One place that turns configuration into Temporal connection settings, for the API's client
// and the worker alike: dev server, self-hosted cluster with mTLS, or Temporal Cloud (API key).
import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import type { Config } from '../config';
import { AesGcmPayloadCodec } from './payload-codec';

export function temporalConnectionOptions(config: Config): { address: string; tls?: TLSConfig | boolean; apiKey?: string } {
  const { tls, address, apiKey } = config.temporal;
  if (!tls.enabled) return { address, apiKey };
  const tlsConfig: TLSConfig = {
    serverNameOverride: tls.serverName,
    serverRootCACertificate: tls.caPath ? fs.readFileSync(tls.caPath) : undefined,
    clientCertPair:
      tls.certPath && tls.keyPath ? { crt: fs.readFileSync(tls.certPath), key: fs.readFileSync(tls.keyPath) } : undefined,
  };
  return { address, apiKey, tls: tlsConfig };
}

/** Payloads and failures both pass through the encrypting codec (see failure-converter.ts). */
export function temporalDataConverter(config: Config) {
  return {
    payloadCodecs: [new AesGcmPayloadCodec(config.payloadEncryption)],
    failureConverterPath: require.resolve('./failure-converter'),
  };
}

/**
 * What a prebuilt workflow bundle (`bundleWorkflowCode`: tests, production images) must be built
 * with. Failures the workflow code raises (its own failure, an update's refusal, an activity's
 * failure it rethrows) are converted inside the workflow sandbox by the converter bundled there: a
 * bundle without this one would write their messages to the history in clear. A worker given
 * `workflowsPath` bundles it from its data converter by itself.
 */
export const WORKFLOW_BUNDLE_CONVERTERS = { failureConverterPath: require.resolve('./failure-converter') } as const;
