/**
 * `@PingOneAttribute('name.given')` maps a column to a PingOne attribute path when its property name or embedded
 * path doesn't already spell it (e.g. a flat `givenName` property). Without it, the column's property path is the
 * attribute path: `name.given` for an embedded `name: Name { given }`, `costCenter` for a custom attribute.
 */
const paths = new WeakMap<object, Map<string, string>>();

export function PingOneAttribute(path: string): PropertyDecorator {
  if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(path)) {
    throw new TypeError(`@PingOneAttribute(${JSON.stringify(path)}): use a dotted PingOne attribute path such as 'name.given'.`);
  }
  return (target, propertyKey) => {
    const map = paths.get(target.constructor) ?? new Map<string, string>();
    map.set(String(propertyKey), path);
    paths.set(target.constructor, map);
  };
}

/** The declared path for a property of a class (or of one of its base classes). */
export function declaredAttributePath(target: object | string, propertyName: string): string | undefined {
  if (typeof target === 'string') return undefined;
  for (let cls: unknown = target; typeof cls === 'function' && cls !== Function.prototype; cls = Object.getPrototypeOf(cls)) {
    const path = paths.get(cls)?.get(propertyName);
    if (path) return path;
  }
  return undefined;
}
