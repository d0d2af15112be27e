export function generate(crdFile: string, istioVersion: string, outDir: string, gatewayApi?: string): unknown;
export function generateGatewayApi(bundleFile: string, outDir: string): { bundleVersion: string; channel: string | null; kinds: Record<string, unknown> };
