import type { ResourceName } from './attribute-catalog';

/*
 * What apps call PingOne's attributes. A ported entity says `firstName`, `phone` or `city`; PingOne says
 * `name.given`, `primaryPhone`, `address.locality`. Edit distance alone finds the nearest spelling (`firstName` →
 * `nickname`), not the same meaning, so "did you mean" looks here first. Keys are normalized (lower case, without
 * `_`, `-`, `.` and spaces); each value lists the PingOne paths in the order they are suggested.
 */
const PHONE = ['primaryPhone', 'mobilePhone'];
const CREATED = ['createdAt'];
const UPDATED = ['updatedAt'];

const USERS: Readonly<Record<string, readonly string[]>> = {
  firstname: ['name.given'],
  givenname: ['name.given'],
  forename: ['name.given'],
  fname: ['name.given'],
  first: ['name.given'],
  lastname: ['name.family'],
  familyname: ['name.family'],
  surname: ['name.family'],
  lname: ['name.family'],
  last: ['name.family'],
  middlename: ['name.middle'],
  middle: ['name.middle'],
  name: ['name.formatted'],
  fullname: ['name.formatted'],
  displayname: ['name.formatted'],
  formattedname: ['name.formatted'],
  prefix: ['name.honorificPrefix'],
  honorific: ['name.honorificPrefix'],
  salutation: ['name.honorificPrefix'],
  suffix: ['name.honorificSuffix'],
  nick: ['nickname'],
  alias: ['nickname'],
  phone: PHONE,
  phonenumber: PHONE,
  telephone: PHONE,
  tel: PHONE,
  telephonenumber: PHONE,
  workphone: ['primaryPhone'],
  officephone: ['primaryPhone'],
  mobile: ['mobilePhone'],
  mobilenumber: ['mobilePhone'],
  mobilephonenumber: ['mobilePhone'],
  cell: ['mobilePhone'],
  cellphone: ['mobilePhone'],
  mail: ['email'],
  emailaddress: ['email'],
  login: ['username'],
  loginname: ['username'],
  user: ['username'],
  handle: ['username'],
  active: ['enabled'],
  isactive: ['enabled'],
  isenabled: ['enabled'],
  disabled: ['enabled'],
  isdisabled: ['enabled'],
  jobtitle: ['title'],
  position: ['title'],
  job: ['title'],
  employeetype: ['type'],
  usertype: ['type'],
  kind: ['type'],
  category: ['type'],
  street: ['address.streetAddress'],
  address: ['address.streetAddress'],
  streetaddress: ['address.streetAddress'],
  address1: ['address.streetAddress'],
  addressline1: ['address.streetAddress'],
  city: ['address.locality'],
  town: ['address.locality'],
  locality: ['address.locality'],
  state: ['address.region'],
  province: ['address.region'],
  county: ['address.region'],
  region: ['address.region'],
  zip: ['address.postalCode'],
  zipcode: ['address.postalCode'],
  postcode: ['address.postalCode'],
  postalcode: ['address.postalCode'],
  country: ['address.countryCode'],
  countrycode: ['address.countryCode'],
  language: ['preferredLanguage'],
  lang: ['preferredLanguage'],
  tz: ['timezone'],
  zone: ['timezone'],
  avatar: ['photo.href'],
  avatarurl: ['photo.href'],
  photo: ['photo.href'],
  photourl: ['photo.href'],
  picture: ['photo.href'],
  image: ['photo.href'],
  employeeid: ['externalId'],
  employeenumber: ['externalId'],
  staffid: ['externalId'],
  created: CREATED,
  createdon: CREATED,
  createddate: CREATED,
  creationdate: CREATED,
  updated: UPDATED,
  modified: UPDATED,
  modifiedat: UPDATED,
  updatedon: UPDATED,
  lastmodified: UPDATED,
  lastlogin: ['lastSignOn.at'],
  lastloginat: ['lastSignOn.at'],
  lastsignin: ['lastSignOn.at'],
  lastseen: ['lastSignOn.at'],
  locked: ['account.status'],
  islocked: ['account.status'],
  status: ['account.status', 'lifecycle.status'],
  accountstatus: ['account.status'],
  mfa: ['mfaEnabled'],
  twofactor: ['mfaEnabled'],
  verified: ['emailVerified'],
  isverified: ['emailVerified'],
  population: ['population.id'],
  populationid: ['population.id'],
  organization: ['population.id'],
  tenant: ['population.id'],
  passwordhash: ['password'],
  pwd: ['password'],
};

const GROUPS: Readonly<Record<string, readonly string[]>> = {
  groupname: ['name'],
  title: ['name'],
  label: ['name'],
  displayname: ['name'],
  population: ['population.id'],
  populationid: ['population.id'],
  data: ['customData'],
  metadata: ['customData'],
  extra: ['customData'],
  attributes: ['customData'],
  properties: ['customData'],
  created: CREATED,
  createdon: CREATED,
  createddate: CREATED,
  updated: UPDATED,
  modified: UPDATED,
  lastmodified: UPDATED,
  membercount: ['directMemberCounts.users'],
  usercount: ['directMemberCounts.users'],
  size: ['directMemberCounts.users'],
};

const POPULATIONS: Readonly<Record<string, readonly string[]>> = {
  populationname: ['name'],
  title: ['name'],
  label: ['name'],
  displayname: ['name'],
  isdefault: ['default'],
  usercount: ['userCount'],
  membercount: ['userCount'],
  size: ['userCount'],
  language: ['preferredLanguage'],
  created: CREATED,
  createdon: CREATED,
  createddate: CREATED,
  updated: UPDATED,
  modified: UPDATED,
  lastmodified: UPDATED,
};

const VOCABULARY: Readonly<Partial<Record<ResourceName, Readonly<Record<string, readonly string[]>>>>> = {
  users: USERS,
  groups: GROUPS,
  populations: POPULATIONS,
};

export function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[_\-\s.]/g, '');
}

/** The PingOne paths an app's name for an attribute means (those the resource has), best first; empty when unknown. */
export function attributesMeant(resource: ResourceName, spelled: string, has: (path: string) => boolean): readonly string[] {
  const key = normalizedName(spelled);
  // `Object.hasOwn`: the name is the app's text, and `constructor` or `__proto__` must not find Object's members.
  const words = VOCABULARY[resource] ?? {};
  const meant = Object.hasOwn(words, key) ? words[key] : [];
  return meant.filter(has);
}
