import Ajv, { type ValidateFunction } from 'ajv';
import { loadCrdSchemas, type CrdVersionSchema } from './crd-schema';
import type { Finding } from './finding';

export class CrdValidator {
  private readonly schemas = new Map<string, CrdVersionSchema>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });

  constructor(crdDirs: string[]) {
    for (const dir of crdDirs) {
      for (const crd of loadCrdSchemas(dir)) this.schemas.set(`${crd.apiVersion}/${crd.kind}`, crd);
    }
  }

  knows(apiVersion: string, kind: string): boolean {
    return this.schemas.has(`${apiVersion}/${kind}`);
  }

  get kinds(): string[] {
    return [...this.schemas.keys()].sort();
  }

  /** Compiled on first use: the Chaos Mesh schemas are large and most runs need a few kinds. */
  private validator(key: string): ValidateFunction | undefined {
    let fn = this.validators.get(key);
    const crd = this.schemas.get(key);
    if (!fn && crd) {
      fn = this.ajv.compile(crd.schema);
      this.validators.set(key, fn);
    }
    return fn;
  }

  validate(obj: { apiVersion: string; kind: string }): Finding[] {
    const fn = this.validator(`${obj.apiVersion}/${obj.kind}`);
    if (!fn) return [{ path: '', message: `no CRD schema for ${obj.apiVersion} ${obj.kind}` }];
    if (fn(obj)) return [];
    return (fn.errors ?? []).map((e) => ({
      path: e.instancePath || '/',
      message: `${e.message ?? 'invalid'}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`,
    }));
  }
}
