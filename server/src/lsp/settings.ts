// The `istio.*` settings as the server uses them, read defensively from whatever the client sent.
import { DEFAULT_ISTIO_VERSION, DIAGNOSTICS_SCOPES, ISTIO_VERSIONS, type IstioSettings } from '../../../shared/protocol';

export type RawSettings = Partial<{ [K in keyof IstioSettings]: unknown }> | null | undefined;

export function readSettings(raw: RawSettings): IstioSettings {
  const version = ISTIO_VERSIONS.find((v) => v === raw?.version) ?? DEFAULT_ISTIO_VERSION;
  const validate = raw?.validate as { enable?: unknown } | undefined;
  const scope = (raw?.diagnostics as { scope?: unknown } | undefined)?.scope;
  const exclude = Array.isArray(raw?.exclude) ? raw.exclude.filter((g): g is string => typeof g === 'string' && g !== '') : [];
  const text = (value: unknown, fallback: string) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback);
  return {
    version,
    validate: { enable: validate?.enable !== false },
    exclude,
    clusterDomain: text(raw?.clusterDomain, 'cluster.local'),
    defaultNamespace: text(raw?.defaultNamespace, 'default'),
    diagnostics: { scope: DIAGNOSTICS_SCOPES.find((s) => s === scope) ?? 'workspace' },
  };
}
