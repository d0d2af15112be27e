// The preview's weight field: a weight is sent only once the field holds one; until then the
// field says it is invalid (aria-invalid and the `invalid` class, which the theme's error border
// styles) and nothing is rebalanced.

export const MAX_WEIGHT = 100;

/**
 * The weight typed into the field: a whole number from 0 to 100, digits only. Undefined for
 * anything else, the empty field included (`Number('')` is 0, which would send weight 0).
 */
export function parseWeight(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return undefined;
  const weight = Number(trimmed);
  return weight <= MAX_WEIGHT ? weight : undefined;
}

/** What of an `<input type="number">` the check needs (a DOM element has all of it). */
export interface WeightField {
  value: string;
  /** Set by the browser when the typed text is no number (`1e`, `-`): `value` is then ''. */
  validity?: { badInput: boolean };
  title: string;
  classList: { toggle(name: string, force: boolean): unknown };
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
}

const HINT = `A weight is a whole number from 0 to ${MAX_WEIGHT}`;

/** Marks the field valid or invalid and returns the weight it holds, if any. */
export function checkWeightField(field: WeightField): number | undefined {
  const weight = field.validity?.badInput ? undefined : parseWeight(field.value);
  const invalid = weight === undefined;
  field.classList.toggle('invalid', invalid);
  if (invalid) field.setAttribute('aria-invalid', 'true');
  else field.removeAttribute('aria-invalid');
  field.title = invalid ? HINT : '';
  return weight;
}
