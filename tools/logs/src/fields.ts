// Where each fact about a log line lives: the api's module (the ops board's log tile needs it).
export * from '@dhakacart/api/src/log-store/fields';
