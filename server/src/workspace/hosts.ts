// Istio's host name rules: short names resolve in the namespace of the resource that uses
// them, FQDNs are taken as written, wildcards match by suffix.

export interface HostSettings {
  clusterDomain: string;
  defaultNamespace: string;
}

export const DEFAULT_HOST_SETTINGS: HostSettings = { clusterDomain: 'cluster.local', defaultNamespace: 'default' };

/** `reviews` in `shop` → `reviews.shop.svc.cluster.local`; anything with a dot is used as written. */
export function resolveHost(host: string, namespace: string, settings: HostSettings): string {
  if (host === '*' || host.includes('.')) return host.toLowerCase();
  return `${host}.${namespace}.svc.${settings.clusterDomain}`.toLowerCase();
}

export function serviceFqdn(name: string, namespace: string, settings: HostSettings): string {
  return `${name}.${namespace}.svc.${settings.clusterDomain}`.toLowerCase();
}

/** Namespace of a cluster-local FQDN (`name.ns.svc.<domain>`), if it is one. */
export function clusterNamespace(fqdn: string, settings: HostSettings): string | undefined {
  const suffix = `.svc.${settings.clusterDomain}`;
  if (!fqdn.endsWith(suffix)) return undefined;
  const parts = fqdn.slice(0, -suffix.length).split('.');
  return parts.length === 2 && parts[1] !== '*' ? parts[1] : undefined;
}

/** Does a (possibly wildcard) host pattern match a concrete or wildcard host? */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*' || pattern === host) return true;
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(1);
    if (host.startsWith('*.')) return host.slice(1).endsWith(suffix);
    return host.endsWith(suffix) && host.length > suffix.length;
  }
  return false;
}

/** How specific a host pattern is: exact hosts beat wildcards, longer suffixes beat shorter. */
export function hostSpecificity(pattern: string): number {
  if (pattern === '*') return 0;
  return pattern.startsWith('*') ? pattern.length : 10_000 + pattern.length;
}

/** Is a resource of namespace `owner` with this exportTo visible from `namespace`? */
export function isExportedTo(exportTo: string[] | undefined, owner: string, namespace: string): boolean {
  if (!exportTo || exportTo.length === 0) return true;
  return exportTo.some((e) => e === '*' || e === namespace || (e === '.' && owner === namespace));
}
