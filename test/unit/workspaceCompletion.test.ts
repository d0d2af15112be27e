import { describe, expect, it } from 'vitest';
import type { LanguageService } from '../../server/src/service/service';
import { accept, lspList } from '../editor';
import { caret, serviceWith, settings130 } from '../support';

const files: Record<string, string> = {
  'dr.yaml':
    'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: shop}\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n  - name: v2\n    labels: {version: v2}\n',
  'svc.yaml':
    'apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: shop}\nspec:\n  ports: [{name: http, port: 80}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: billing, namespace: pay}\nspec:\n  ports: [{name: http, port: 80}]\n',
  'gw.yaml': 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: public, namespace: edge}\nspec:\n  servers: []\n',
  'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: reviews-v1, namespace: shop}\nspec:\n  template:\n    metadata:\n      labels: {app: reviews, version: v1}\n',
};

function labels(textWithCaret: string): string[] {
  const service = serviceWith(files);
  const { text, offset } = caret(textWithCaret);
  service.open('file:///ws/vs.yaml', 1, text);
  return service.complete('file:///ws/vs.yaml', offset, settings130)?.items.map((i) => i.label) ?? [];
}

/** An editor session: accepting completion items as VS Code does (Ctrl+Space, or the list that opened by itself), typing text at the cursor. */
class Typing {
  text = '';
  private offset = 0;
  private opened = false;
  constructor(private readonly service: LanguageService) {}

  /** Accepts `label` from the list Ctrl+Space shows. */
  accept(label: string): this {
    this.service.open('file:///ws/vs.yaml', 1, this.text);
    const result = this.service.complete('file:///ws/vs.yaml', this.offset, settings130);
    if (!result) throw new Error(`no completion at ${JSON.stringify(this.text.slice(0, this.offset))}`);
    const done = accept(this.text, lspList(this.text, result, true), label);
    this.opened = done.item.command?.command === 'editor.action.triggerSuggest';
    this.text = done.text;
    this.offset = done.offset;
    return this;
  }

  /** Accepts `label` from the list the previous item opened by itself. */
  pick(label: string): this {
    if (!this.opened) throw new Error(`the list for ${label} does not open by itself`);
    return this.accept(label);
  }

  type(text: string): this {
    this.opened = false;
    this.text = this.text.slice(0, this.offset) + text + this.text.slice(this.offset);
    this.offset += text.length;
    return this;
  }

  problems(): string[] {
    return this.service.diagnose('file:///ws/vs.yaml', 2, this.text, settings130).map((p) => `${p.code}: ${p.message}`);
  }
}

const VS = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: shop}\nspec:\n  hosts: [reviews]\n';

describe('completion of values from the workspace', () => {
  it('offers the subsets of the destination host', () => {
    expect(labels(VS + '  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: |\n')).toEqual(['v1', 'v2']);
  });

  it('offers hosts: short in the same namespace, FQDN elsewhere', () => {
    expect(labels(VS + '  http:\n  - route:\n    - destination:\n        host: |\n')).toEqual(['reviews', 'billing.pay.svc.cluster.local']);
  });

  it('offers only the hosts exported to the namespaces the resource is exported to', () => {
    const hidden: Record<string, string> = {
      ...files,
      'ext.yaml': 'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ext, namespace: pay}\nspec:\n  hosts: [api.pay.example]\n  exportTo: [.]\n',
    };
    hidden['svc.yaml'] = files['svc.yaml'].replace('{name: billing, namespace: pay}', '{name: billing, namespace: pay, annotations: {networking.istio.io/exportTo: "pay"}}');
    const offered = (text: string) => {
      const service = serviceWith(hidden);
      const { text: t, offset } = caret(text);
      service.open('file:///ws/vs.yaml', 1, t);
      return service.complete('file:///ws/vs.yaml', offset, settings130)?.items.map((i) => i.label) ?? [];
    };
    expect(offered(VS + '  http:\n  - route:\n    - destination:\n        host: |\n')).toEqual(['reviews']);
    const inPay = VS.replace('namespace: shop', 'namespace: pay') + '  exportTo: [.]\n  http:\n  - route:\n    - destination:\n        host: |\n';
    expect(offered(inPay)).toEqual(['reviews.shop.svc.cluster.local', 'billing', 'api.pay.example']);
  });

  it("offers a VirtualService's own hosts from the workspace, typed or not", () => {
    expect(labels(VS.replace('  hosts: [reviews]\n', '  hosts:\n  - |\n'))).toEqual(['reviews', 'billing.pay.svc.cluster.local']);
    expect(labels(VS.replace('  hosts: [reviews]\n', '  hosts:\n  - rev|\n'))).toEqual(['reviews', 'billing.pay.svc.cluster.local']);
    expect(labels(VS.replace('  hosts: [reviews]\n', '  hosts:\n  - reviews\n  - |\n'))).toEqual(['reviews', 'billing.pay.svc.cluster.local']);
  });

  it('types a VirtualService from an empty file by completion only, and the result is clean', () => {
    const typing = new Typing(serviceWith({ ...files, 'deploy.yaml': files['deploy.yaml'] + '---\n' + files['deploy.yaml'].replace(/v1/g, 'v2') }));
    typing.accept('apiVersion').pick('networking.istio.io/v1').type('\n');
    typing.accept('kind').pick('VirtualService').type('\n');
    typing.accept('metadata').type('reviews-route\n  ').accept('namespace').pick('shop').type('\n');
    typing.accept('spec').accept('hosts').pick('reviews').type('\n  ');
    typing.accept('http').accept('route').pick('reviews').type('\n        ').accept('subset').pick('v2');
    expect(typing.text).toBe(
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews-route\n  namespace: shop\nspec:\n  hosts:\n  - reviews\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v2',
    );
    expect(typing.problems()).toEqual([]);
  });

  it('offers Gateways and mesh in a gateways list', () => {
    expect(labels(VS + '  gateways:\n  - |\n')).toEqual(['mesh', 'edge/public']);
  });

  it('offers namespaces and workload label values', () => {
    expect(labels('apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: p\n  namespace: |\n')).toEqual(['default', 'edge', 'pay', 'shop']);
    expect(labels('apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p, namespace: shop}\nspec:\n  selector:\n    matchLabels:\n      version: |\n')).toEqual(['v1']);
  });
});
