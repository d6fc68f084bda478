import type { Json } from './store/attributes';

// By the stored data object: the store never changes a stored document in place, it replaces `StoredResource.data`
// with a new object (Environment.putUser and every handler; store/resource-table.ts), so an entry can't outlive the
// document it was rendered from, and goes with it.
const rendered = new WeakMap<Json, { readonly key: string; readonly text: string }>();

/**
 * `JSON.stringify(render())`, kept for the document `data`: a list page of 200 users is ~400 KB of JSON, which
 * would otherwise be rendered and serialized again on every request. `key` names everything besides `data` the
 * rendering depends on (the API URL and environment in the links); an entry under another key is rendered afresh.
 */
export function renderedJson(data: Json, key: string, render: () => unknown): string {
  const entry = rendered.get(data);
  if (entry?.key === key) return entry.text;
  const text = JSON.stringify(render());
  rendered.set(data, { key, text });
  return text;
}
