import { httpErrors } from '../errors';
import { isPlainObject, type Json } from '../store/attributes';

export const JSON_TYPE = 'application/json';
export const USER_IMPORT_TYPE = 'application/vnd.pingidentity.user.import+json';
export const PASSWORD_SET_TYPE = 'application/vnd.pingidentity.password.set+json';

/** The body as a JSON object, after checking the content type is one the endpoint accepts (else 415). */
export function objectBody(body: unknown, contentType: string, accepted: readonly string[] = [JSON_TYPE]): Json {
  if (!accepted.includes(contentType)) throw httpErrors.unsupportedMediaType(contentType || '(none)', accepted);
  if (!isPlainObject(body)) throw httpErrors.invalidRequest('The request body must be a JSON object.');
  return body;
}

export function requiredString(body: Json, name: string, maxLength: number): string {
  const value = body[name];
  if (value === undefined || value === null || value === '') {
    throw httpErrors.invalidData({ code: 'REQUIRED_VALUE', target: name, message: `${name} is required and cannot be empty.` });
  }
  return checkedString(value, name, maxLength);
}

export function optionalString(body: Json, name: string, maxLength: number): void {
  const value = body[name];
  if (value !== undefined && value !== null) checkedString(value, name, maxLength);
}

function checkedString(value: unknown, name: string, maxLength: number): string {
  if (typeof value !== 'string') {
    throw httpErrors.invalidData({ code: 'INVALID_VALUE', target: name, message: `${name} must be a string.` });
  }
  if (value.length > maxLength) {
    throw httpErrors.invalidData({
      code: 'SIZE_LIMIT_EXCEEDED',
      target: name,
      message: `${name} must be at most ${maxLength} characters.`,
      innerError: { maximumValue: maxLength },
    });
  }
  return value;
}

export function requiredBoolean(body: Json, name: string): boolean {
  const value = body[name];
  if (typeof value !== 'boolean') {
    throw httpErrors.invalidData({ code: 'INVALID_VALUE', target: name, message: `${name} must be true or false.` });
  }
  return value;
}

// RFC 5322-ish: PingOne rejects addresses without a local part and a domain.
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function checkEmail(body: Json): void {
  const email = body.email;
  if (typeof email === 'string' && !EMAIL.test(email)) {
    throw httpErrors.invalidData({ code: 'INVALID_VALUE', target: 'email', message: 'email must be a valid email address.' });
  }
}

export function idReference(body: Json, name: string): string {
  const ref = body[name];
  const id = isPlainObject(ref) ? ref.id : undefined;
  if (typeof id !== 'string' || id === '') {
    throw httpErrors.invalidData({ code: 'REQUIRED_VALUE', target: `${name}.id`, message: `${name}.id is required.` });
  }
  return id;
}
