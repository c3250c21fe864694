// Not part of Geonovum-labs/ogc-checker's copy: the two constants its rulesets import from a module that is not
// in the copied files (written for this project).
export const APPLICATION_JSON_TYPE = 'application/json';
export const APPLICATION_GEO_JSON_TYPE = 'application/geo+json';
