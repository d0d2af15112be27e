export function generate(crdFile: string, istioVersion: string, outDir: string): unknown;
