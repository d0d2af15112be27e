import { describe, expect, it } from 'vitest';
import { caret, newService, settings130 } from '../support';

const service = newService();

function hoverAt(textWithCaret: string) {
  const { text, offset } = caret(textWithCaret);
  service.open('file:///h.yaml', 1, text);
  return service.hover('file:///h.yaml', offset, settings130);
}

const VS = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - destination: {host: r}\n';

describe('hover', () => {
  it("shows the field's description, type and a link to the field's reference", () => {
    const h = hoverAt(VS + '    retries:\n      perTry|Timeout: 2s\n')!;
    expect(h.markdown).toContain('**perTryTimeout** `string`');
    expect(h.markdown).toMatch(/Timeout per attempt/i);
    expect(h.markdown).toContain('https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry-per_try_timeout');
  });

  it('lists the CEL rules that apply', () => {
    const h = hoverAt(VS + '    time|out: 5s\n')!;
    expect(h.markdown).toContain("duration(self) >= duration('1ms')");
  });

  it('lists allowed values and works on values too', () => {
    const h = hoverAt('apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: a}\nspec:\n  mtls:\n    mode: STR|ICT\n')!;
    expect(h.markdown).toContain('Allowed values: `UNSET`, `DISABLE`, `PERMISSIVE`, `STRICT`');
  });

  it('links top-level spec fields to the kind', () => {
    const h = hoverAt(VS.replace('  hosts:', '  ho|sts:'))!;
    expect(h.markdown).toContain('#VirtualService-hosts');
  });

  it('mentions exclusive groups', () => {
    const h = hoverAt(VS + '    match:\n    - u|ri:\n        prefix: /a\n')!;
    expect(h.markdown).toContain('Set at most one of `exact`, `prefix`, `regex`');
  });

  it('answers nothing outside Istio documents', () => {
    expect(hoverAt('apiVersion: v1\nkind: Service\nmetadata:\n  na|me: a\n')).toBeUndefined();
  });
});
