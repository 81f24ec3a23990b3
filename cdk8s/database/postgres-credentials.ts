import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { WORKLOADS, workloadLabels } from '../lib/labels.js';
import { checkPostgresPassword } from './password-source.js';

/** A Secret key holding one credential, for `secretKeyRef`. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** A container environment variable taken from a Secret key. */
export const secretEnv = (name: string, ref: SecretKeyRef): k8s.EnvVar => ({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } });

/** Where the database credentials are: what the server, the exporter and items-api read. */
export interface DatabaseCredentials {
  readonly username: SecretKeyRef;
  readonly password: SecretKeyRef;
}

export interface PostgresCredentialsProps {
  /** The password (see password-source.ts); no default is shipped. */
  readonly password: string;
  /** @default 'items' */
  readonly username?: string;
}

export const POSTGRES_DEFAULTS = { username: 'items', database: 'items' } as const;

/** The Secret with the PostgreSQL user and password: the only place the password is written. */
export class PostgresCredentials extends Construct implements DatabaseCredentials {
  readonly username: SecretKeyRef;
  readonly password: SecretKeyRef;

  constructor(scope: Construct, id: string, props: PostgresCredentialsProps) {
    super(scope, id);
    const password = checkPostgresPassword(props.password, 'PostgresCredentials props');
    const name = WORKLOADS.postgres.objectName;
    const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
    new k8s.KubeSecret(this, 'secret', {
      metadata: { name, labels: workloadLabels(WORKLOADS.postgres) },
      type: 'Opaque',
      data: { username: b64(props.username ?? POSTGRES_DEFAULTS.username), password: b64(password) },
    });
    this.username = { name, key: 'username' };
    this.password = { name, key: 'password' };
  }
}
